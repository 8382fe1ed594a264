/**
 * What the cluster believes about each member, merged from everything an observer hears:
 * push-pull replies from any member (passive polls, joins, anti-entropy) and gossip (alive,
 * suspect, dead, Serf intents). Pure state, no I/O.
 *
 * Two layers, as in Serf itself:
 * - memberlist: state by incarnation. A higher incarnation wins; at the same incarnation the
 *   graver state wins (alive < suspect < dead = left), so a lagging member's view cannot undo
 *   what another member already saw, and only the member itself can clear suspicion by
 *   refuting with a higher incarnation (memberlist state.go rules).
 * - Serf: the member's last join or leave intent by Lamport time, which tells a graceful leave
 *   (`left`) from a crash (`failed`), as `serf members` shows it (serf.go handleNodeLeave).
 */
import { formatHostPort, type Member, type MemberStatus } from '../../cluster/member.js';
import type { Alive, Dead, Suspect } from '../memberlist/messages.js';
import type { NodeStateName, PushPull } from '../memberlist/push-pull.js';
import { decodeTags, TAG_MAGIC } from './tags.js';
import type { SerfPushPull } from './messages.js';

/** How statuses are reported: with Serf's join/leave intents, or memberlist states alone. */
export type Flavour = 'serf' | 'memberlist';

export interface NodeRecord {
  name: string;
  addr: Uint8Array;
  port: number;
  meta: Uint8Array;
  vsn: Uint8Array;
  incarnation: number;
  state: NodeStateName;
  /** Gone from memberlist's tables (dead and reaped): known only from Serf's state. */
  reaped: boolean;
  /** Lamport time of the member's last Serf intent, and whether it was a leave. */
  serfLTime: number | null;
  serfLeft: boolean;
}

const SEVERITY: Record<NodeStateName, number> = { alive: 0, suspect: 1, dead: 2, left: 2 };

/** IPv4 dotted quad, or IPv6 with the longest run of zero groups shortened (RFC 5952). */
export function ipString(addr: Uint8Array): string {
  if (addr.length === 4) return addr.join('.');
  if (addr.length !== 16) return '';
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((addr[i] as number) << 8) | (addr[i + 1] as number));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return addr.subarray(12).join('.');
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

export class MembershipTable {
  private readonly records = new Map<string, NodeRecord>();

  constructor(private readonly flavour: Flavour = 'serf') {}

  get size(): number {
    return this.records.size;
  }

  record(name: string): NodeRecord | undefined {
    return this.records.get(name);
  }

  names(): string[] {
    return [...this.records.keys()];
  }

  /** memberlist aliveNode: a higher incarnation replaces everything but the Serf intent. */
  applyAlive(alive: Pick<Alive, 'node' | 'addr' | 'port' | 'meta' | 'vsn' | 'incarnation'>): boolean {
    const known = this.records.get(alive.node);
    // A member known by name only (from Serf's state) takes its first address whatever its incarnation.
    if (known && known.addr.length > 0 && alive.incarnation <= known.incarnation) return false;
    this.records.set(alive.node, {
      name: alive.node,
      addr: Uint8Array.from(alive.addr),
      port: alive.port,
      meta: Uint8Array.from(alive.meta),
      vsn: Uint8Array.from(alive.vsn),
      incarnation: alive.incarnation,
      state: 'alive',
      reaped: false,
      serfLTime: known?.serfLTime ?? null,
      serfLeft: known?.serfLeft ?? false,
    });
    return true;
  }

  /** Suspicion or death at an incarnation: applies when it is newer, or graver at the same one. */
  applyState(name: string, incarnation: number, state: Exclude<NodeStateName, 'alive'>): boolean {
    const known = this.records.get(name);
    if (!known) return false; // nothing to attach it to (no address yet)
    if (incarnation < known.incarnation) return false;
    if (incarnation === known.incarnation && SEVERITY[state] <= SEVERITY[known.state]) return false;
    known.incarnation = incarnation;
    known.state = state;
    known.reaped = false;
    return true;
  }

  applySuspect(msg: Pick<Suspect, 'node' | 'incarnation'>): boolean {
    return this.applyState(msg.node, msg.incarnation, 'suspect');
  }

  /** `from === node` is a graceful memberlist leave. */
  applyDead(msg: Pick<Dead, 'node' | 'incarnation' | 'from'>): boolean {
    return this.applyState(msg.node, msg.incarnation, msg.from === msg.node ? 'left' : 'dead');
  }

  /** A Serf join or leave intent; ignored unless newer than the last one (serf.go). */
  applyIntent(kind: 'join' | 'leave', name: string, ltime: number): boolean {
    const known = this.records.get(name);
    if (!known) return false;
    if (known.serfLTime !== null && ltime <= known.serfLTime) return false;
    known.serfLTime = ltime;
    known.serfLeft = kind === 'leave';
    return true;
  }

  /**
   * Merges one member's full view (a push-pull). Its node states apply as gossip would; its Serf
   * state applies intents as Serf's MergeRemoteState does (a left member's intent is a leave at
   * its status time + 1); a member Serf still tracks but memberlist has reaped is dead, if the
   * view is current about its last intent.
   */
  applyView(view: PushPull, serf?: SerfPushPull): boolean {
    let changed = false;
    const listed = new Set<string>();
    for (const node of view.nodes) {
      listed.add(node.name);
      changed = this.applyAlive({ node: node.name, addr: node.addr, port: node.port, meta: node.meta, vsn: node.vsn, incarnation: node.incarnation }) || changed;
      if (node.state !== 'alive') changed = this.applyState(node.name, node.incarnation, node.state) || changed;
    }
    if (!serf) return changed;
    const left = new Set(serf.leftMembers);
    for (const [name, ltime] of serf.statusLTimes) {
      // memberlist forgets a dead member after GossipToTheDeadTime (30 s on a LAN) while Serf keeps
      // it (24 h): a member we never saw listed is known by name only, never dropped.
      if (!this.records.has(name) && !listed.has(name)) {
        this.records.set(name, { name, addr: new Uint8Array(0), port: 0, meta: new Uint8Array(0), vsn: new Uint8Array(0), incarnation: 0, state: left.has(name) ? 'left' : 'dead', reaped: true, serfLTime: null, serfLeft: false });
        changed = true;
      }
      changed = (left.has(name) ? this.applyIntent('leave', name, ltime + 1) : this.applyIntent('join', name, ltime)) || changed;
      const known = this.records.get(name);
      if (!listed.has(name) && known && !known.reaped && known.serfLTime !== null && ltime >= known.serfLTime - (known.serfLeft ? 1 : 0)) {
        if (known.state === 'alive' || known.state === 'suspect') known.state = known.serfLeft ? 'left' : 'dead';
        known.reaped = true;
        changed = true;
      }
    }
    return changed;
  }

  /** Serf's status word and ringside's normalised status for a record. */
  statusOf(record: NodeRecord): { status: MemberStatus; nativeStatus: string } {
    const gone = record.reaped || record.state === 'dead' || record.state === 'left';
    if (this.flavour === 'memberlist') {
      const status: MemberStatus = record.state === 'dead' || record.reaped ? 'failed' : record.state === 'left' ? 'left' : record.state;
      return { status, nativeStatus: record.reaped ? 'dead' : record.state };
    }
    if (record.serfLeft) return gone ? { status: 'left', nativeStatus: 'left' } : { status: 'alive', nativeStatus: 'leaving' };
    if (gone) return { status: 'failed', nativeStatus: 'failed' };
    return { status: record.state === 'suspect' ? 'suspect' : 'alive', nativeStatus: 'alive' };
  }

  toMember(record: NodeRecord): Member {
    const { status, nativeStatus } = this.statusOf(record);
    const host = ipString(record.addr);
    // A member known by name only (Serf's state lists it, memberlist forgot it before we saw it
    // listed) has no meta on the wire: its tags are unknown, not Serf's legacy empty role.
    const nameOnly = record.addr.length === 0;
    const tags = !nameOnly && (this.flavour === 'serf' || record.meta[0] === TAG_MAGIC) ? decodeTags(record.meta) : {};
    return {
      name: record.name,
      addr: host ? formatHostPort({ host, port: record.port }) : '',
      port: record.port,
      status,
      nativeStatus,
      incarnation: record.incarnation,
      tags,
      protocol: {
        memberlist: record.reaped ? 'reaped' : record.state,
        vsn: [...record.vsn],
        ...(record.serfLTime !== null ? { serfLTime: record.serfLTime } : {}),
      },
    };
  }

  members(): Member[] {
    return [...this.records.values()].map((r) => this.toMember(r)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
