/**
 * A live cluster source: every protocol's observer (serf/memberlist passive or member, ringpop)
 * yields the same members and change notifications, so commands never know the protocol.
 */
import type { Member } from './member.js';
import type { ClusterProtocol, ObserveMode } from './snapshot.js';

export interface ObserverStats {
  /** Successful and failed exchanges with members (polls, joins, push-pulls). */
  exchanges: number;
  exchangeFailures: number;
  packetsReceived: number;
  /** Messages that could not be read, by reason (bounded: at most 32 reasons kept). */
  dropped: Record<string, number>;
}

/** One member's own view of the cluster, for --all-views. */
export interface MemberView {
  /** The member that was asked. */
  observer: string;
  addr: string;
  members: Member[] | null;
  error?: string;
  /** The member's own membership checksum, where the protocol has one (ringpop). */
  checksum?: number;
}

export interface ClusterObserver {
  readonly protocol: ClusterProtocol;
  readonly mode: ObserveMode;
  readonly seeds: readonly string[];
  /** Resolves once a complete membership is known; rejects with an exit-3 RingsideError otherwise. */
  start(): Promise<void>;
  members(): Member[];
  /** Called after every change in what the observer knows. Returns an unsubscribe function. */
  onChange(listener: (members: Member[]) => void): () => void;
  /** Asks every reachable member for its own view. */
  views(): Promise<MemberView[]>;
  stats(): ObserverStats;
  /** Stops observing; a member-mode observer leaves the cluster gracefully first. */
  stop(): Promise<void>;
}

/** Counts dropped messages by reason, keeping at most `limit` distinct reasons. */
export class DropCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit = 32) {}

  /** Counts a reason; numbers are folded ("offset 10" and "offset 12" are one reason). */
  add(text: string): void {
    const reason = text.replace(/\d+/g, 'N');
    const known = this.counts.get(reason);
    if (known !== undefined) this.counts.set(reason, known + 1);
    else if (this.counts.size < this.limit) this.counts.set(reason, 1);
    else this.counts.set('other', (this.counts.get('other') ?? 0) + 1);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
