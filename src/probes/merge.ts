/**
 * `bench merge`: results from several hosts (or runs) added exactly, histogram bucket by bucket:
 * result documents into one result document, interval logs into one log plus its totals.
 */
import { fileError } from '../errors.js';
import { addErrors, zeroErrors } from './error-kind.js';
import { createHistogram, decodeHistogram, summaryOf } from './histogram.js';
import { type HlogInterval, mergeHlogs, probeOfTag } from './hlog.js';
import { addPhase, benchResult, emptyTotals, type ProbeTotals } from './result.js';
import type { BenchResult, LatencySummary } from './types.js';

export function parseBenchResult(text: string, file: string): BenchResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fileError(`${file} is neither a bench result (JSON) nor an HdrHistogram log`, 'give results written by ringside bench -o/--json, or .hlog files from --hlog');
  }
  const doc = data as Partial<BenchResult>;
  if (doc === null || typeof doc !== 'object' || doc.kind !== 'ringside.bench' || doc.schemaVersion !== 1 || typeof doc.probes !== 'object') {
    throw fileError(`${file} is not a ringside bench result (schema 1)`, 'give a result written by ringside bench -o or --json');
  }
  return doc as BenchResult;
}

export function mergeResults(results: readonly BenchResult[]): BenchResult {
  const totals = new Map<string, ProbeTotals>();
  for (const result of results) {
    for (const [key, probe] of Object.entries(result.probes)) {
      let t = totals.get(key);
      if (!t) totals.set(key, (t = emptyTotals()));
      t.count += probe.count;
      addErrors(t.errorsByKind, probe.errorsByKind ?? zeroErrors());
      t.corrected.add(decodeHistogram(probe.histogram));
      t.uncorrected.add(decodeHistogram(probe.uncorrected.histogram));
      for (const [phase, summary] of Object.entries(probe.phases ?? {})) addPhase(t, phase, decodeHistogram(summary.histogram));
    }
  }
  const startedAt = new Date(Math.min(...results.map((r) => Date.parse(r.startedAt))));
  const durationMs = Math.max(...results.map((r) => r.durationMs));
  const shards = shardsOf(results);
  return benchResult(startedAt, durationMs, { mergedFrom: results.length, ...(shards ? { shards } : {}), configs: results.map((r) => r.config) }, totals);
}

/** Which shards of a `--shard i/N` run the results hold, and which are missing (a partial merge). */
export interface ShardCoverage {
  count: number;
  present: number[];
  missing: number[];
  partial: boolean;
}

export function shardsOf(results: readonly BenchResult[]): ShardCoverage | undefined {
  const shards = results.map((r) => r.config.shard as { index?: unknown; count?: unknown } | undefined).filter((s) => s !== undefined && typeof s.index === 'number' && typeof s.count === 'number') as Array<{ index: number; count: number }>;
  if (shards.length === 0) return undefined;
  const count = Math.max(...shards.map((s) => s.count));
  const present = [...new Set(shards.filter((s) => s.count === count).map((s) => s.index))].sort((a, b) => a - b);
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !present.includes(i));
  return { count, present, missing, partial: missing.length > 0 };
}

export interface HlogTotals {
  schemaVersion: 1;
  kind: 'ringside.hlog';
  startedAt: string;
  durationMs: number;
  intervals: number;
  probes: Record<string, LatencySummary & { count: number }>;
}

/** Totals per probe of one or more logs (only latencies: logs carry no error counts). */
export function hlogTotals(logs: readonly { startTimeSec: number; intervals: HlogInterval[] }[]): HlogTotals {
  const byProbe = new Map<string, ReturnType<typeof createHistogram>>();
  const all = logs.flatMap((l) => l.intervals);
  for (const interval of all) {
    const probe = probeOfTag(interval.tag);
    let h = byProbe.get(probe);
    if (!h) byProbe.set(probe, (h = createHistogram()));
    h.add(interval.histogram);
  }
  const start = Math.min(...logs.map((l) => l.startTimeSec));
  const end = Math.max(start, ...all.map((i) => i.endSec));
  const probes: HlogTotals['probes'] = {};
  for (const [probe, h] of byProbe) probes[probe] = { count: h.totalCount, ...summaryOf(h) };
  return { schemaVersion: 1, kind: 'ringside.hlog', startedAt: new Date(start * 1000).toISOString(), durationMs: Math.round((end - start) * 1000), intervals: all.length, probes };
}

export { mergeHlogs };
