/**
 * What a scenario phase did to the cluster (pure): from the observer's membership events and
 * every member's polled view, per faulted member the time to first suspect and to failed;
 * suspicions of healthy members; flaps (suspect or failed, then alive again) as the merged view
 * and each member's own view saw them, with incarnation rises.
 */
import type { MembershipEvent } from '../../src/cluster/events.js';
import { flapsIn, type MemberFlaps, type ViewTimeline } from '../../src/cluster/view-timeline.js';

/** A membership event with its time on the run's monotonic clock (ms since the run began). */
export interface TimedEvent {
  atMs: number;
  event: MembershipEvent;
}

export interface MemberMetrics {
  member: string;
  /** From the phase start; null when it never happened in the phase. */
  firstSuspectMs: number | null;
  failedMs: number | null;
}

export interface PhaseMetrics {
  faulted: MemberMetrics[];
  /** Suspect or failed events of members that were not faulted in this phase. */
  falseSuspicions: number;
  falseSuspects: string[];
  /** Cycles (alive -> suspect or failed -> alive), over all members: each member's count from the view that saw the most. */
  flaps: number;
  flapsByMember: Record<string, number>;
  /** Per member with a cycle or an incarnation rise: what each view saw. */
  memberFlaps: MemberFlaps[];
}

/** Cycles in the merged view's events: back to alive after suspect or failed, with when each began. */
export function mergedCycles(events: readonly TimedEvent[]): Array<{ member: string; beganMs: number; worst: 'suspect' | 'failed' }> {
  const out: Array<{ member: string; beganMs: number; worst: 'suspect' | 'failed' }> = [];
  const open = new Map<string, { beganMs: number; worst: 'suspect' | 'failed' }>();
  for (const { atMs, event } of events) {
    const current = open.get(event.member);
    if (event.type === 'suspect' || event.type === 'failed') {
      if (!current) open.set(event.member, { beganMs: atMs, worst: event.type });
      else if (event.type === 'failed') current.worst = 'failed';
    } else if (event.type === 'alive' && current) {
      out.push({ member: event.member, ...current });
      open.delete(event.member);
    } else if (event.type === 'left') open.delete(event.member);
  }
  return out;
}

/**
 * `events` are the merged view's (ms on the run's clock); `views` (optional) is every member's
 * polled view, with `epochOffset` turning the run's clock into the views' epoch ms. A cycle
 * belongs to the phase in which it began.
 */
export function phaseMetrics(events: readonly TimedEvent[], startMs: number, endMs: number, faulted: readonly string[], views?: { timeline: ViewTimeline; epochOffset: number }): PhaseMetrics {
  const inPhase = events.filter((e) => e.atMs >= startMs && e.atMs < endMs);
  const fromViews = views ? views.timeline.episodes(startMs + views.epochOffset, endMs + views.epochOffset, true) : [];
  const first = (member: string, type: 'suspect' | 'failed'): number | null => {
    const hit = inPhase.find((e) => e.event.member === member && e.event.type === type);
    const seen = fromViews.filter((e) => e.member === member && (type === 'suspect' || e.worst === 'failed')).map((e) => e.from - (views?.epochOffset ?? 0));
    // A view's episode records when it was first seen suspect or failed: for "failed", an upper bound from the view is only the start.
    const times = [...(hit ? [hit.atMs] : []), ...(type === 'suspect' ? seen : [])];
    return times.length > 0 ? Math.round(Math.min(...times) - startMs) : null;
  };
  const faultedSet = new Set(faulted);
  const falseSuspects = inPhase.filter((e) => (e.event.type === 'suspect' || e.event.type === 'failed') && !faultedSet.has(e.event.member)).map((e) => e.event.member);
  // The merged view is one more view ("observer"); its cycles count from the phase's events.
  const flapsByMember: Record<string, number> = {};
  for (const c of mergedCycles(events)) if (c.beganMs >= startMs && c.beganMs < endMs) flapsByMember[c.member] = (flapsByMember[c.member] ?? 0) + 1;
  const memberFlaps = views ? flapsIn(views.timeline, startMs + views.epochOffset, endMs + views.epochOffset) : [];
  for (const f of memberFlaps) if (f.flaps > (flapsByMember[f.member] ?? 0)) flapsByMember[f.member] = f.flaps;
  return {
    faulted: faulted.map((member) => ({ member, firstSuspectMs: first(member, 'suspect'), failedMs: first(member, 'failed') })),
    falseSuspicions: falseSuspects.length,
    falseSuspects: [...new Set(falseSuspects)],
    flaps: Object.values(flapsByMember).reduce((a, b) => a + b, 0),
    flapsByMember,
    memberFlaps,
  };
}
