/**
 * What a scenario phase did to the cluster, from the observer's membership events (pure): per
 * faulted member the time to first suspect and to failed; suspicions of healthy members; flaps
 * (suspect then alive again); and, after healing, the time until every view agrees.
 */
import type { MembershipEvent } from '../../src/cluster/events.js';

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
  /** alive -> suspect -> alive (a refuted suspicion), over all members. */
  flaps: number;
  flapsByMember: Record<string, number>;
}

export function phaseMetrics(events: readonly TimedEvent[], startMs: number, endMs: number, faulted: readonly string[]): PhaseMetrics {
  const inPhase = events.filter((e) => e.atMs >= startMs && e.atMs < endMs);
  const first = (member: string, type: string): number | null => {
    const hit = inPhase.find((e) => e.event.member === member && e.event.type === type);
    return hit ? Math.round(hit.atMs - startMs) : null;
  };
  const faultedSet = new Set(faulted);
  const falseSuspects = inPhase.filter((e) => (e.event.type === 'suspect' || e.event.type === 'failed') && !faultedSet.has(e.event.member)).map((e) => e.event.member);
  const flapsByMember: Record<string, number> = {};
  for (const e of inPhase) {
    if (e.event.type === 'alive' && e.event.previous === 'suspect') flapsByMember[e.event.member] = (flapsByMember[e.event.member] ?? 0) + 1;
  }
  return {
    faulted: faulted.map((member) => ({ member, firstSuspectMs: first(member, 'suspect'), failedMs: first(member, 'failed') })),
    falseSuspicions: falseSuspects.length,
    falseSuspects: [...new Set(falseSuspects)],
    flaps: Object.values(flapsByMember).reduce((a, b) => a + b, 0),
    flapsByMember,
  };
}

/** True when every member's own view lists the same members, all alive (left ones aside). */
export function viewsAgree(views: ReadonlyArray<{ members: ReadonlyArray<{ name: string; status: string }> | null }>): boolean {
  if (views.length === 0) return false;
  const keys = views.map((v) =>
    v.members === null
      ? null
      : v.members
          .filter((m) => m.status !== 'left')
          .map((m) => `${m.name}=${m.status}`)
          .sort()
          .join(','),
  );
  const [k0] = keys;
  return k0 !== null && k0 !== undefined && keys.every((k) => k === k0) && !/=(suspect|failed)/.test(k0);
}
