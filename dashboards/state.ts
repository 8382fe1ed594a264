/**
 * The dashboard's state between frames, and how a drained buffer changes it. No I/O: the
 * controller calls applyDrained on each render tick; view-models read the state.
 */
import type { MembershipEventType } from '../src/cluster/events.js';
import type { Member } from '../src/cluster/member.js';
import type { ViewsReport } from '../src/cluster/views.js';
import type { RingReport } from '../src/ring/report.js';
import type { Drained } from './buffer.js';
import type { ActiveFault } from './feeds.js';
import { initialUi, type UiState } from './keys.js';
import type { LogEntry } from './view-models/events.js';
import { appendInterval, createLatencyHistory, type LatencyHistory } from './view-models/latency.js';

export interface DashState {
  startedAtMs: number;
  members: Member[];
  log: LogEntry[];
  logLimit: number;
  eventCounts: Record<MembershipEventType, number>;
  latency: LatencyHistory;
  /** Totals per probe over the whole run. */
  latencyTotals: Map<string, { intervals: number; count: number; errors: number }>;
  faults: ActiveFault[] | null;
  faultsError: string | null;
  faultIdsSeen: Set<string>;
  /** --all-views: null until the first comparison; undefined when off. */
  views: ViewsReport | null | undefined;
  ring: { report: RingReport | null; error: string | null };
  ui: UiState;
}

export function createDashState(options: { nowMs: number; members: Member[]; allViews: boolean; logLimit?: number }): DashState {
  return {
    startedAtMs: options.nowMs,
    members: options.members,
    log: [{ atMs: options.nowMs, note: `observing ${options.members.length} members` }],
    logLimit: options.logLimit ?? 2000,
    eventCounts: { joined: 0, alive: 0, suspect: 0, failed: 0, left: 0, updated: 0 },
    latency: createLatencyHistory(),
    latencyTotals: new Map(),
    faults: null,
    faultsError: null,
    faultIdsSeen: new Set(),
    views: options.allViews ? null : undefined,
    ring: { report: null, error: null },
    ui: initialUi(),
  };
}

/** Applies what the sources reported since the last tick; says whether the membership changed. */
export function applyDrained(state: DashState, drained: Drained, nowMs: number): { membersChanged: boolean } {
  if (drained.members) state.members = drained.members;
  if (drained.droppedEvents > 0) state.log.push({ atMs: nowMs, note: `${drained.droppedEvents} events dropped while paused` });
  for (const event of drained.events) {
    state.eventCounts[event.type]++;
    const atMs = Date.parse(event.ts);
    state.log.push({ atMs: Number.isNaN(atMs) ? nowMs : atMs, event });
  }
  if (state.log.length > state.logLimit) state.log.splice(0, state.log.length - state.logLimit);
  for (const summary of drained.intervals) {
    appendInterval(state.latency, summary);
    const totals = state.latencyTotals.get(summary.probe) ?? { intervals: 0, count: 0, errors: 0 };
    totals.intervals++;
    totals.count += summary.count;
    totals.errors += summary.errors;
    state.latencyTotals.set(summary.probe, totals);
  }
  if (drained.faults) {
    state.faults = drained.faults;
    for (const fault of drained.faults) state.faultIdsSeen.add(fault.id);
  }
  if (drained.faultsError !== undefined) state.faultsError = drained.faultsError;
  if (drained.views) state.views = drained.views;
  return { membersChanged: drained.members !== null };
}
