/**
 * Passive observation (CLI `--mode passive`, the default): reads the cluster through TCP
 * push-pulls that list no nodes. A memberlist listener replies with its whole state before it
 * validates or merges anything, and merges nothing from an empty list (memberlist.md 3.3), so
 * the observer never becomes a member, never takes keyspace and fires no Serf event.
 *
 * It starts by asking every seed at once. Polls rotate over every member seen alive plus the
 * seeds, so one dead seed does not blind it; each reply is kept as that member's latest view
 * (`recentViews()`) and merged into one MembershipTable by incarnation and Lamport time, so a
 * lagging member's view cannot undo what another already reported.
 */
import { formatHostPort, type HostPort, parseHostPort } from '../../cluster/member.js';
import type { ClusterObserver, MemberView, ViewTarget } from '../../cluster/observer.js';
import { RingsideError } from '../../errors.js';
import { OBSERVER_DEFAULTS } from '../memberlist/config.js';
import type { PushPull } from '../memberlist/push-pull.js';
import { DialError } from '../memberlist/transport.js';
import { exchangeFailure, type GossipOptions, pushPullWith, type RemoteView } from './exchange.js';
import { ObservedMembership } from './observed-membership.js';
import { firstAndGrace, SEED_GRACE_MS } from '../../cluster/observer-base.js';
import { askSerfView, serfViewTargets } from './views.js';

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
    // Every seed at once, each attempt bounded by what is left of --timeout: the first answer
    // starts the observation, and the other seeds get a short grace to answer too, so several
    // seeds give several witnesses (a split cluster shows as disagreeing replies).
    while (Date.now() < deadline) {
      const outcome = await firstAndGrace(
        this.options.seeds.map((seed) => this.pollSeed(seed, deadline - Date.now())),
        Math.min(SEED_GRACE_MS, Math.max(0, deadline - Date.now())),
      );
      if (outcome.answered) {
        // Not unref'd: while observing, the polls are what keeps a watch running.
        this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
        return;
      }
      failure = outcome.errors[0];
      // A wrong key or a port that is not memberlist will not get better by retrying.
      const lasting = outcome.errors.find((e) => !isTransient(e.cause));
      if (lasting) throw lasting;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
    }
    throw failure ?? new RingsideError('RS_UNREACHABLE', 'no seed answered', 'check --join and --timeout');
  }

  /** Polls one seed and merges its state; a failure is returned as the operator's line. */
  private async pollSeed(seed: HostPort, timeoutMs: number): Promise<RingsideError | null> {
    const target: ViewTarget = { name: formatHostPort(seed), addr: formatHostPort(seed), seed: true };
    const startedAt = Date.now();
    try {
      const reply = await this.poll(seed, Math.max(1, timeoutMs));
      this.rememberReply(target, reply, startedAt);
      this.merge(reply);
      return null;
    } catch (error) {
      return exchangeFailure(target.addr, error, this.options.label);
    }
  }

  viewTargets(): ViewTarget[] {
    return serfViewTargets(this.table, this.options.seeds);
  }

  askView(target: ViewTarget): Promise<MemberView> {
    return askSerfView(target, this.options.flavour, (hp) => this.poll(hp, this.options.timeoutMs));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.clearListeners();
  }

  /** Members to poll: everyone seen alive, then the seeds, deduplicated, rotating. */
  private targets(): ViewTarget[] {
    return this.viewTargets().filter((t) => {
      const record = this.table.record(t.name);
      return t.seed || (record !== undefined && record.state === 'alive' && !record.reaped);
    });
  }

  private async tick(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      const targets = this.targets();
      for (let attempt = 0; attempt < Math.min(OBSERVER_DEFAULTS.pollAttempts, targets.length); attempt++) {
        const target = targets[this.cursor++ % targets.length] as ViewTarget;
        const startedAt = Date.now();
        try {
          const reply = await this.poll(hostPortOf(target), this.options.timeoutMs);
          this.rememberReply(target, reply, startedAt);
          this.merge(reply);
          return;
        } catch (error) {
          this.drops.add(exchangeFailure(target.addr, error).message.replace(/^[^:]*: /, ''));
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

function hostPortOf(target: ViewTarget): HostPort {
  return parseHostPort(target.addr) as HostPort;
}
