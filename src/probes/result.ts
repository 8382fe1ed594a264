/**
 * Totals of a run (or of several runs being merged): per probe key, the corrected and
 * uncorrected histograms, counts, errors by kind and first-connection phases, turned into the
 * result document (types.ts BenchResult).
 */
import type { Histogram } from 'hdr-histogram-js';
import { addErrors, errorTotal, zeroErrors } from './error-kind.js';
import { createHistogram, decodeHistogram, percentilesOf, summaryOf } from './histogram.js';
import type { IntervalMessage } from './recorder.js';
import type { BenchResult, ErrorCounts, ProbeResult } from './types.js';

export interface ProbeTotals {
  count: number;
  errorsByKind: ErrorCounts;
  corrected: Histogram;
  uncorrected: Histogram;
  phases: Map<string, Histogram>;
}

export function emptyTotals(): ProbeTotals {
  return { count: 0, errorsByKind: zeroErrors(), corrected: createHistogram(), uncorrected: createHistogram(), phases: new Map() };
}

/** Adds one worker's interval to the totals; returns its decoded corrected histogram. */
export function addInterval(totals: ProbeTotals, message: IntervalMessage): Histogram {
  totals.count += message.count;
  addErrors(totals.errorsByKind, message.errorsByKind);
  const corrected = decodeHistogram(message.corrected);
  totals.corrected.add(corrected);
  totals.uncorrected.add(decodeHistogram(message.uncorrected));
  for (const [phase, encoded] of Object.entries(message.phases ?? {})) addPhase(totals, phase, decodeHistogram(encoded));
  return corrected;
}

export function addPhase(totals: ProbeTotals, phase: string, histogram: Histogram): void {
  let h = totals.phases.get(phase);
  if (!h) totals.phases.set(phase, (h = createHistogram()));
  h.add(histogram);
}

export function probeResult(totals: ProbeTotals, durationMs: number): ProbeResult {
  const result: ProbeResult = {
    count: totals.count,
    errors: errorTotal(totals.errorsByKind),
    errorsByKind: { ...totals.errorsByKind },
    rate: durationMs > 0 ? Math.round((totals.count / (durationMs / 1000)) * 10) / 10 : 0,
    ...summaryOf(totals.corrected),
    uncorrected: summaryOf(totals.uncorrected),
  };
  if (totals.phases.size > 0) {
    result.phases = {};
    for (const phase of ['connect', 'tls', 'ttfb', 'total']) {
      const h = totals.phases.get(phase);
      if (h && h.totalCount > 0) result.phases[phase] = { count: h.totalCount, ...summaryOf(h) };
    }
  }
  return result;
}

/** Routed minus direct at each percentile (the cost of the extra hop). */
export function routingOverhead(direct: Histogram, routed: Histogram): NonNullable<BenchResult['routing']> {
  const d = percentilesOf(direct);
  const r = percentilesOf(routed);
  const diff = (a: number, b: number): number => Math.round((a - b) * 1000) / 1000;
  return { overhead: { p50: diff(r.p50, d.p50), p90: diff(r.p90, d.p90), p99: diff(r.p99, d.p99), p999: diff(r.p999, d.p999) } };
}

export function benchResult(startedAt: Date, durationMs: number, config: Record<string, unknown>, totals: Map<string, ProbeTotals>): BenchResult {
  const probes: BenchResult['probes'] = {};
  for (const [key, t] of totals) probes[key] = probeResult(t, durationMs);
  const result: BenchResult = { schemaVersion: 1, kind: 'ringside.bench', startedAt: startedAt.toISOString(), durationMs: Math.round(durationMs), config, probes };
  const direct = totals.get('routing-direct');
  const routed = totals.get('routing-routed');
  if (direct && routed) result.routing = routingOverhead(direct.corrected, routed.corrected);
  return result;
}
