/**
 * Passive observation (CLI `--mode passive`, the default): reads the cluster through TCP
 * push-pulls that list no nodes. A memberlist listener replies with its whole state before it
 * validates or merges anything, and merges nothing from an empty list (memberlist.md 3.3), so
 * the observer never becomes a member, never takes keyspace and fires no Serf event.
 *
 * Polls rotate over every member seen alive plus the seeds, so one dead seed does not blind
 * it; each reply is merged into one MembershipTable by incarnation and Lamport time, so a
 * lagging member's view cannot undo what another already reported.
 */
import { formatHostPort, type HostPort } from '../../cluster/member.js';
import type { ClusterObserver, MemberView } from '../../cluster/observer.js';
import { RingsideError } from '../../errors.js';
import { OBSERVER_DEFAULTS } from '../memberlist/config.js';
import type { PushPull } from '../memberlist/push-pull.js';
import { DialError } from '../memberlist/transport.js';
import { exchangeFailure, type GossipOptions, pushPullWith, type RemoteView } from './exchange.js';
import { ipString, MembershipTable } from './membership.js';
import { ObservedMembership } from './observed-membership.js';

export interface PassiveObserverOptions extends GossipOptions {
  seeds: HostPort[];
  intervalMs: number;
}

const EMPTY_REQUEST: PushPull = { join: false, nodes: [], userState: new Uint8Array(0) };

export class PassiveObserver extends ObservedMembership implements ClusterObserver {
  readonly mode = 'passive' as const;
  readonly seeds: readonly string[];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private cursor = 0;

  constructor(private readonly options: PassiveObserverOptions) {
    super(options.flavour);
    this.seeds = options.seeds.map(formatHostPort);
  }

  get protocol(): 'serf' | 'memberlist' {
    return this.options.flavour;
  }

  async start(): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    let failure: RingsideError | undefined;
    // The seeds in order until one answers (each attempt bounded by what is left of --timeout).
    // A slow seed must not use up the whole budget while another could answer.
    const perAttempt = Math.max(2000, Math.floor(this.options.timeoutMs / Math.max(1, this.options.seeds.length)));
    while (Date.now() < deadline) {
      for (const seed of this.options.seeds) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        try {
          this.merge(await this.poll(seed, Math.min(left, perAttempt)));
          // Not unref'd: while observing, the polls are what keeps a watch running.
          this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
          return;
        } catch (error) {
          failure = exchangeFailure(formatHostPort(seed), error);
          // A wrong key or a port that is not memberlist will not get better by retrying.
          if (!isTransient(error)) throw failure;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
    }
    throw failure ?? new RingsideError('RS_UNREACHABLE', 'no seed answered', 'check --join and --timeout');
  }

  async views(): Promise<MemberView[]> {
    return collectViews(this.table, this.options, (target) => this.poll(target, this.options.timeoutMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.clearListeners();
  }

  /** Members to poll: everyone seen alive, then the seeds, deduplicated, rotating. */
  private targets(): HostPort[] {
    const seen = new Map<string, HostPort>();
    for (const name of this.table.names()) {
      const record = this.table.record(name);
      if (!record || record.state !== 'alive' || record.reaped) continue;
      const host = ipString(record.addr);
      if (host) seen.set(formatHostPort({ host, port: record.port }), { host, port: record.port });
    }
    for (const seed of this.options.seeds) seen.set(formatHostPort(seed), seed);
    return [...seen.values()];
  }

  private async tick(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const targets = this.targets();
      for (let attempt = 0; attempt < Math.min(OBSERVER_DEFAULTS.pollAttempts, targets.length); attempt++) {
        const target = targets[this.cursor++ % targets.length] as HostPort;
        try {
          this.merge(await this.poll(target, this.options.timeoutMs));
          return;
        } catch (error) {
          this.drops.add(exchangeFailure(formatHostPort(target), error).message.replace(/^[^:]*: /, ''));
        }
      }
    } finally {
      this.polling = false;
    }
  }

  private poll(target: HostPort, timeoutMs: number): Promise<RemoteView> {
    return this.counted(() => pushPullWith(target.host, target.port, EMPTY_REQUEST, { ...this.options, timeoutMs }));
  }

  private merge(view: RemoteView): void {
    if (this.table.applyView(view.pushPull, view.serf)) this.notify();
  }
}

/** Connection failures may pass (an agent starting up); protocol and key errors do not. */
function isTransient(error: unknown): boolean {
  return error instanceof DialError && ['refused', 'timeout', 'unreachable', 'reset'].includes(error.code);
}

/** Polls every member seen alive (bounded concurrency) and returns each one's own view. */
export async function collectViews(table: MembershipTable, options: GossipOptions, poll: (target: HostPort) => Promise<RemoteView>): Promise<MemberView[]> {
  const asked = table
    .names()
    .map((name) => table.record(name))
    .filter((r) => r !== undefined && r.state === 'alive' && !r.reaped && ipString(r.addr) !== '')
    .map((r) => ({ name: r!.name, target: { host: ipString(r!.addr), port: r!.port } }));
  const results: MemberView[] = [];
  const queue = [...asked];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const addr = formatHostPort(next.target);
      try {
        const view = await poll(next.target);
        const own = new MembershipTable(options.flavour);
        own.applyView(view.pushPull, view.serf);
        results.push({ observer: next.name, addr, members: own.members() });
      } catch (error) {
        results.push({ observer: next.name, addr, members: null, error: exchangeFailure(addr, error).line });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, asked.length) }, worker));
  return results.sort((a, b) => (a.observer < b.observer ? -1 : 1));
}
