/**
 * Everything the sources report between two render ticks. Sources only push here (cheap, no
 * drawing); the render tick drains it at most 10 times a second. While the display is paused
 * the buffer keeps filling (membership events capped at `eventLimit`, oldest dropped and counted).
 */
import type { MembershipEvent } from '../src/cluster/events.js';
import type { Member } from '../src/cluster/member.js';
import type { ViewsReport } from '../src/cluster/views.js';
import type { ActiveFault } from './feeds.js';
import type { IntervalSummary } from './view-models/latency.js';

export interface Drained {
  /** The newest member list, when it changed. */
  members: Member[] | null;
  events: MembershipEvent[];
  droppedEvents: number;
  /** Interval records, summarised when they arrived (a probe may reuse its histogram after emitting). */
  intervals: IntervalSummary[];
  /** The newest faults poll, when one answered. */
  faults: ActiveFault[] | null;
  /** Set when the newest faults poll failed; null when it succeeded; undefined when none ran. */
  faultsError: string | null | undefined;
  views: ViewsReport | undefined;
}

export class InputBuffer {
  private members: Member[] | null = null;
  private events: MembershipEvent[] = [];
  private dropped = 0;
  private intervals: IntervalSummary[] = [];
  private faults: ActiveFault[] | null = null;
  private faultsError: string | null | undefined = undefined;
  private views: ViewsReport | undefined = undefined;

  constructor(
    private readonly eventLimit = 10_000,
    private readonly intervalLimit = 600,
  ) {}

  pushMembers(members: Member[], events: readonly MembershipEvent[]): void {
    this.members = members;
    for (const event of events) this.events.push(event);
    if (this.events.length > this.eventLimit) {
      this.dropped += this.events.length - this.eventLimit;
      this.events.splice(0, this.events.length - this.eventLimit);
    }
  }

  pushInterval(summary: IntervalSummary): void {
    this.intervals.push(summary);
    if (this.intervals.length > this.intervalLimit) this.intervals.shift();
  }

  pushFaults(faults: ActiveFault[]): void {
    this.faults = faults;
    this.faultsError = null;
  }

  pushFaultsError(message: string): void {
    this.faultsError = message;
  }

  pushViews(views: ViewsReport): void {
    this.views = views;
  }

  /** Whether anything is waiting. */
  get pending(): boolean {
    return this.members !== null || this.intervals.length > 0 || this.faultsError !== undefined || this.views !== undefined;
  }

  get pendingEvents(): number {
    return this.events.length;
  }

  drain(): Drained {
    const drained: Drained = { members: this.members, events: this.events, droppedEvents: this.dropped, intervals: this.intervals, faults: this.faults, faultsError: this.faultsError, views: this.views };
    this.members = null;
    this.events = [];
    this.dropped = 0;
    this.intervals = [];
    this.faults = null;
    this.faultsError = undefined;
    this.views = undefined;
    return drained;
  }
}
