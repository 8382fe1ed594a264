/**
 * Ringpop's membership model (ringpop.md 3.1-3.3): statuses with their precedence, the
 * incarnation rule both implementations apply to every change, and a table that merges what
 * several members report, so a lagging member's view cannot undo newer news. Pure.
 */
import type { Member, MemberStatus } from '../../cluster/member.js';
import { parseHostPort } from '../../cluster/member.js';

export const RINGPOP_STATUSES = ['alive', 'suspect', 'faulty', 'leave', 'tombstone'] as const;
export type RingpopStatus = (typeof RINGPOP_STATUSES)[number];

export interface RingpopMember {
  address: string;
  status: RingpopStatus;
  incarnationNumber: number;
  /** ringpop-node only, advisory. */
  dampScore?: number;
  /** ringpop-go only. */
  labels?: Record<string, string>;
}

/** alive 0 < suspect 1 < faulty 2 < leave 3 < tombstone 4; unknown -1. */
export function statusPrecedence(status: string): number {
  return (RINGPOP_STATUSES as readonly string[]).indexOf(status);
}

export function isRingpopStatus(value: unknown): value is RingpopStatus {
  return typeof value === 'string' && statusPrecedence(value) >= 0;
}

/**
 * Whether a gossiped change `incoming` overrides `current`. An unknown address is taken unless it
 * is a tombstone: ringpop ignores those so as not to bring evicted members back.
 */
export function supersedes(current: RingpopMember | undefined, incoming: RingpopMember): boolean {
  if (!current) return incoming.status !== 'tombstone';
  if (incoming.incarnationNumber !== current.incarnationNumber) return incoming.incarnationNumber > current.incarnationNumber;
  return statusPrecedence(incoming.status) > statusPrecedence(current.status);
}

const NORMALISED: Record<RingpopStatus, MemberStatus> = { alive: 'alive', suspect: 'suspect', faulty: 'failed', leave: 'left', tombstone: 'failed' };

export function normaliseStatus(status: RingpopStatus): MemberStatus {
  return NORMALISED[status];
}

/** In the hash ring: alive and suspect only. */
export function isRingMember(status: RingpopStatus): boolean {
  return status === 'alive' || status === 'suspect';
}

export function toMember(m: RingpopMember): Member {
  const hp = parseHostPort(m.address);
  return {
    name: m.address,
    addr: m.address,
    port: hp?.port ?? 0,
    status: normaliseStatus(m.status),
    nativeStatus: m.status,
    incarnation: m.incarnationNumber,
    tags: { ...(m.labels ?? {}) },
    protocol: m.dampScore !== undefined ? { dampScore: m.dampScore } : {},
  };
}

/** Members by address, merged by the incarnation rule. */
export class RingpopTable {
  private readonly byAddress = new Map<string, RingpopMember>();

  /**
   * Merges one member's own list (/admin/stats, a join reply); returns whether anything changed.
   * Unlike gossip, a tombstone the member lists is taken even when unknown: it is what that
   * member holds now (both ringpops list tombstones until they evict them), and retain() forgets
   * it once no member lists it.
   */
  apply(members: readonly RingpopMember[]): boolean {
    let changed = false;
    for (const incoming of members) {
      const current = this.byAddress.get(incoming.address);
      if (current === undefined || supersedes(current, incoming)) {
        this.byAddress.set(incoming.address, { ...incoming });
        changed = true;
      } else if (current && current.incarnationNumber === incoming.incarnationNumber && current.status === incoming.status && incoming.dampScore !== undefined && current.dampScore !== incoming.dampScore) {
        current.dampScore = incoming.dampScore;
      }
    }
    return changed;
  }

  /**
   * Forgets members out of the ring that no answering member lists any more (tombstones are
   * evicted after 60 s). Ring members stay: a member one node has not heard of yet is news.
   */
  retain(addresses: ReadonlySet<string>): boolean {
    let changed = false;
    for (const [address, member] of [...this.byAddress]) {
      if (!addresses.has(address) && !isRingMember(member.status)) {
        this.byAddress.delete(address);
        changed = true;
      }
    }
    return changed;
  }

  get(address: string): RingpopMember | undefined {
    return this.byAddress.get(address);
  }

  list(): RingpopMember[] {
    return [...this.byAddress.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  members(): Member[] {
    return this.list().map(toMember);
  }
}
