/** What `dash` prints after the screen is torn down (text, or JSON with --json). Pure. */
import type { MembershipEventType } from '../../src/cluster/events.js';
import type { MemberStatus } from '../../src/cluster/member.js';
import type { DashState } from '../state.js';
import { countByStatus } from './members.js';
import { formatDurationMs } from '../../src/units.js';

export interface ProbeSummary {
  intervals: number;
  count: number;
  errors: number;
  /** Over the whole run, in milliseconds with microsecond precision (CLI.md); null without samples. */
  p50: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
}

export interface DashSummary {
  source: string;
  startedAt: string;
  durationMs: number;
  members: { total: number } & Record<MemberStatus, number>;
  events: Record<MembershipEventType, number>;
  latency: Record<string, ProbeSummary>;
  faults: { seen: number; activeAtExit: number };
}

export interface RunPercentilesUs {
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
}

const ms = (us: number | undefined): number | null => (us === undefined ? null : Math.round(us) / 1000);

export function summarize(state: DashState, options: { source: string; nowMs: number; percentiles: ReadonlyMap<string, RunPercentilesUs | null> }): DashSummary {
  const latency: Record<string, ProbeSummary> = {};
  for (const [probe, totals] of [...state.latencyTotals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = options.percentiles.get(probe) ?? undefined;
    latency[probe] = { ...totals, p50: ms(p?.p50Us), p99: ms(p?.p99Us), p999: ms(p?.p999Us), max: ms(p?.maxUs) };
  }
  return {
    source: options.source,
    startedAt: new Date(state.startedAtMs).toISOString(),
    durationMs: options.nowMs - state.startedAtMs,
    members: { total: state.members.length, ...countByStatus(state.members) },
    events: { ...state.eventCounts },
    latency,
    faults: { seen: state.faultIdsSeen.size, activeAtExit: state.faults?.length ?? 0 },
  };
}

export function summaryText(summary: DashSummary): string {
  const m = summary.members;
  const e = summary.events;
  const lines = [
    `ringside dash: ${formatDurationMs(summary.durationMs)} on ${summary.source}`,
    `members at exit: ${m.total} (${m.alive} alive, ${m.suspect} suspect, ${m.failed} failed, ${m.left} left)`,
    `events: ${e.joined} joined, ${e.alive} alive again, ${e.suspect} suspect, ${e.failed} failed, ${e.left} left, ${e.updated} updated`,
  ];
  for (const [probe, p] of Object.entries(summary.latency)) {
    const f = (v: number | null): string => (v === null ? '-' : `${v.toFixed(3)} ms`);
    lines.push(`latency ${probe}: ${p.count} answered, ${p.errors} failed, p50 ${f(p.p50)}, p99 ${f(p.p99)}, p99.9 ${f(p.p999)}, max ${f(p.max)}`);
  }
  if (summary.faults.seen > 0) lines.push(`faults: ${summary.faults.seen} seen, ${summary.faults.activeAtExit} still active at exit`);
  return lines.join('\n');
}
