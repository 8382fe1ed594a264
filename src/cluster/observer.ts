/**
 * A live cluster source: every protocol's observer (serf/memberlist passive or member, ringpop)
 * yields the same members and change notifications, so commands never know the protocol.
 */
import type { Accusation } from './accusations.js';
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

/** One member's own view of the cluster, for --all-views, diagnose and scenario observation. */
export interface MemberView {
  /** The member that was asked (its name; a seed nobody named yet goes by its address). */
  observer: string;
  addr: string;
  members: Member[] | null;
  error?: string;
  /** The member's own membership checksum, where the protocol has one (ringpop). */
  checksum?: number;
  /** How long the member took to answer (or to fail), in ms. */
  ms: number;
  /** When the answer (or the failure) arrived, epoch ms. */
  at: number;
}

/** A member to ask for its view: every member that has not left, and the seeds. */
export interface ViewTarget {
  /** Member name, or the address for a seed no member is known at. */
  name: string;
  /** HOST:PORT; empty for a member known by name only (its address was forgotten). */
  addr: string;
  /** A --join seed (also when it is a known member). */
  seed: boolean;
}

/** A key that tells targets apart, also those without an address. */
export function targetKey(target: { addr: string; name?: string; observer?: string }): string {
  return target.addr !== '' ? target.addr : `name:${target.name ?? target.observer ?? ''}`;
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
  /** Every member that has not left (alive, suspect and failed alike) and the seeds. */
  viewTargets(): ViewTarget[];
  /** Asks one member for its own view; never rejects (a failure is a view with `members: null`). */
  askView(target: ViewTarget): Promise<MemberView>;
  /** Asks every view target (a few at a time) for its own view. */
  views(): Promise<MemberView[]>;
  /** The latest reply of each member to the observer's own polls (evidence the merged view hides). */
  recentViews(): MemberView[];
  stats(): ObserverStats;
  /** Member mode: the suspect and dead messages heard, with their accusers. Absent where they cannot be heard (passive). */
  accusations?(): Accusation[];
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
