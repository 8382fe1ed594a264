/**
 * The passive ringpop observer (CLI `--protocol ringpop`): reads membership only through
 * side-effect-free calls (ringpop.md 2.4) — `/admin/stats`, or on a node without it a join with
 * the cluster's own app name — never sends a membership change, connects as an ephemeral
 * TChannel peer and declines every call a node makes back. It polls several members per round,
 * merges their lists by ringpop's incarnation rules, and reports the same members and change
 * notifications as the Serf observers (normalised statuses, `nativeStatus` keeps ringpop's word).
 */
import { formatHostPort, type HostPort, type Member, parseHostPort } from '../../cluster/member.js';
import { type ClusterObserver, type MemberView, type ViewTarget } from '../../cluster/observer.js';
import { firstAndGrace, ObserverBase, SEED_GRACE_MS } from '../../cluster/observer-base.js';
import { RingsideError } from '../../errors.js';
import { TChannelConnection, TChannelError } from '../tchannel/client.js';
import { discoverApp, fetchStats, joinMembership, lookupKey, MissingEndpointError, ringpopFailure } from './calls.js';
import type { RingFidelity } from '../../cluster/ring-fidelity.js';
import { detectFidelity } from './checksum.js';
import { isRingMember, type RingpopMember, RingpopTable } from './membership.js';

/** Answers in a row that must all leave out a non-ring member before it is forgotten. */
const RETAIN_REPORTS = 6;
/** `/admin/lookup` calls in flight at once on one connection. */
const LOOKUP_WINDOW = 64;

export interface RingpopObserverOptions {
  seeds: HostPort[];
  timeoutMs: number;
  intervalMs: number;
  /** Members asked per polling round (default 3). */
  fanout?: number;
}

/** What one member said about the cluster. */
export interface MemberReport {
  addr: string;
  members: RingpopMember[];
  membershipChecksum: number | null;
  via: '/admin/stats' | '/protocol/join';
  fidelity?: RingFidelity;
}

export class RingpopObserver extends ObserverBase implements ClusterObserver {
  readonly protocol = 'ringpop' as const;
  readonly mode = 'passive' as const;
  readonly seeds: readonly string[];
  private readonly table = new RingpopTable();
  private readonly connections = new Map<string, Promise<TChannelConnection>>();
  private app: string | undefined;
  private lastFidelity: RingFidelity | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<string>();
  private readonly lastListed = new Map<string, number>();
  private reportSeq = 0;
  private cursor = 0;

  constructor(private readonly options: RingpopObserverOptions) {
    super();
    this.seeds = options.seeds.map(formatHostPort);
  }

  async start(): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    let failure: RingsideError | undefined;
    // Every seed at once; the first answer starts the observation and the others get a short
    // grace, so several seeds give several witnesses.
    while (Date.now() < deadline) {
      const outcome = await firstAndGrace(
        this.seeds.map((seed) => this.pollSeed(seed, deadline - Date.now())),
        Math.min(SEED_GRACE_MS, Math.max(0, deadline - Date.now())),
      );
      if (outcome.answered) {
        this.timer = setInterval(() => this.tick(), this.options.intervalMs);
        return;
      }
      failure = outcome.errors[0];
      const lasting = outcome.errors.find((e) => !(e.cause instanceof TChannelError) || !['refused', 'reset', 'closed', 'unreachable'].includes(e.cause.kind));
      if (lasting) throw lasting;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
    }
    throw failure ?? new RingsideError('RS_UNREACHABLE', 'no ringpop seed answered', 'check --join and --timeout');
  }

  private async pollSeed(seed: string, timeoutMs: number): Promise<RingsideError | null> {
    const startedAt = Date.now();
    try {
      const report = await this.report(seed, Math.max(1, timeoutMs));
      this.rememberReport(report, startedAt);
      this.merge([report]);
      return null;
    } catch (error) {
      return ringpopFailure(seed, error);
    }
  }

  members(): Member[] {
    return this.table.members();
  }

  /** Keeps a poll's answer as that member's latest view (built only if read). */
  private rememberReport(report: MemberReport, startedAt: number): void {
    const at = Date.now();
    this.remember(report.addr, () => viewOfReport(report, startedAt, at));
  }

  /** Whether ringside's fingerprint32 ring is the cluster's, from the latest /admin/stats. */
  fidelity(): RingFidelity | undefined {
    return this.lastFidelity;
  }

  /** Owners of `keys` as the cluster itself answers them (`/admin/lookup` on one live member). */
  async lookup(keys: readonly string[]): Promise<{ reporter: string; owners: string[] }> {
    let failure: unknown;
    for (const addr of this.targets()) {
      try {
        const connection = await this.connection(addr, this.options.timeoutMs);
        // Pipelined on one connection, at most LOOKUP_WINDOW calls in flight.
        const owners: string[] = new Array<string>(keys.length);
        for (let start = 0; start < keys.length; start += LOOKUP_WINDOW) {
          const batch = keys.slice(start, start + LOOKUP_WINDOW);
          (await Promise.all(batch.map((key) => lookupKey(connection, key, this.options.timeoutMs)))).forEach((owner, i) => (owners[start + i] = owner));
        }
        return { reporter: addr, owners };
      } catch (error) {
        failure = error;
        this.forget(addr);
      }
    }
    throw ringpopFailure(this.seeds[0] ?? '?', failure ?? new Error('no member to ask'));
  }

  /** Every member that has not left (faulty ones too: the other side of a partition), and the seeds. */
  viewTargets(): ViewTarget[] {
    const targets = new Map<string, ViewTarget>();
    for (const m of this.table.list()) if (m.status !== 'leave') targets.set(m.address, { name: m.address, addr: m.address, seed: false });
    for (const seed of this.seeds) {
      const known = targets.get(seed);
      if (known) known.seed = true;
      else targets.set(seed, { name: seed, addr: seed, seed: true });
    }
    return [...targets.values()];
  }

  async askView(target: ViewTarget): Promise<MemberView> {
    const startedAt = Date.now();
    try {
      return viewOfReport(await this.report(target.addr, this.options.timeoutMs), startedAt);
    } catch (error) {
      this.forget(target.addr);
      const at = Date.now();
      return { observer: target.name, addr: target.addr, members: null, error: ringpopFailure(target.addr, error).line, ms: at - startedAt, at };
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.clearListeners();
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => c.then((conn) => conn.close(), () => undefined)));
  }

  /** One member's own view (stats, else a join with the cluster's app name). */
  async report(addr: string, timeoutMs: number): Promise<MemberReport> {
    this.counters.exchanges++;
    try {
      const connection = await this.connection(addr, timeoutMs);
      try {
        const stats = await fetchStats(connection, timeoutMs);
        const fidelity = detectFidelity(addr, stats);
        this.lastFidelity = fidelity;
        return { addr, members: stats.members, membershipChecksum: stats.membershipChecksum, via: '/admin/stats', fidelity };
      } catch (error) {
        if (!(error instanceof MissingEndpointError)) throw error;
        this.app ??= await discoverApp(connection, timeoutMs);
        const join = await joinMembership(connection, this.app, timeoutMs);
        const fidelity = detectFidelity(addr, { members: join.members, membershipChecksum: join.membershipChecksum, ringChecksum: null, ringServers: [] }, false);
        this.lastFidelity = fidelity;
        return { addr, members: join.members, membershipChecksum: join.membershipChecksum, via: '/protocol/join', fidelity };
      }
    } catch (error) {
      this.counters.exchangeFailures++;
      if (error instanceof TChannelError) this.forget(addr);
      throw error;
    }
  }

  private connection(addr: string, timeoutMs: number): Promise<TChannelConnection> {
    let connection = this.connections.get(addr);
    if (!connection) {
      const hp = parseHostPort(addr);
      if (!hp) return Promise.reject(new TChannelError('other', `${addr} is not HOST:PORT`));
      connection = TChannelConnection.connect({ host: hp.host, port: hp.port, timeoutMs });
      this.connections.set(addr, connection);
      connection.catch(() => this.connections.delete(addr));
    }
    return connection;
  }

  private forget(addr: string): void {
    const connection = this.connections.get(addr);
    this.connections.delete(addr);
    void connection?.then((c) => c.close(), () => undefined);
  }

  /** Members to ask: those in the ring (alive or suspect), then the seeds; deduplicated. */
  private targets(): string[] {
    const seen = new Set(this.table.list().filter((m) => isRingMember(m.status)).map((m) => m.address));
    for (const seed of this.seeds) seen.add(seed);
    return [...seen];
  }

  /**
   * One polling round: the next `fanout` members not already being asked. Answers are merged as
   * they come and a slow or blackholed member holds up only its own slot, never the others.
   */
  private tick(): void {
    if (this.stopped) return;
    const targets = this.targets().filter((addr) => !this.inFlight.has(addr));
    const count = Math.min(this.options.fanout ?? 3, targets.length);
    for (let i = 0; i < count; i++) {
      const addr = targets[(this.cursor + i) % targets.length] as string;
      this.inFlight.add(addr);
      const startedAt = Date.now();
      this.report(addr, this.options.timeoutMs)
        .then(
          (report) => {
            if (this.stopped) return;
            this.rememberReport(report, startedAt);
            this.merge([report]);
          },
          (error: unknown) => this.drops.add(ringpopFailure(addr, error).message.replace(/^[^ ]* /, '')),
        )
        .finally(() => this.inFlight.delete(addr));
    }
    this.cursor += Math.max(1, count);
  }

  /**
   * Merges reports by the incarnation rule. Members out of the ring that none of the last
   * `RETAIN_REPORTS` answers listed (tombstones the nodes evicted) are forgotten.
   */
  private merge(reports: readonly MemberReport[]): void {
    let changed = false;
    for (const report of reports) {
      this.reportSeq++;
      for (const m of report.members) this.lastListed.set(m.address, this.reportSeq);
      changed = this.table.apply(report.members) || changed;
    }
    const recent = new Set([...this.lastListed].filter(([, seq]) => seq > this.reportSeq - RETAIN_REPORTS).map(([addr]) => addr));
    changed = this.table.retain(recent) || changed;
    for (const addr of [...this.lastListed.keys()]) if (!this.table.get(addr)) this.lastListed.delete(addr);
    if (changed) this.notify();
  }
}

/** A member's own view from what it reported (its list alone, merged by the incarnation rule). */
function viewOfReport(report: MemberReport, startedAt: number, at = Date.now()): MemberView {
  const own = new RingpopTable();
  own.apply(report.members);
  return { observer: report.addr, addr: report.addr, members: own.members(), ...(report.membershipChecksum !== null ? { checksum: report.membershipChecksum } : {}), ms: at - startedAt, at };
}
