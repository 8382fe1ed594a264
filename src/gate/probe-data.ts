/**
 * One probe's figures as the gate reads them, from a bench result or an .hlog: counts, the
 * stored summary (ms) and, when present, the HDR histogram (microseconds). Percentiles come from
 * the histogram when there is one, so any percentile can be checked; otherwise from the stored
 * figures, which then limit the gate to p50 p90 p95 p99 p999 max mean.
 */
import type { Histogram } from 'hdr-histogram-js';
import { usageError } from '../errors.js';
import type { Stat, StoredStat } from './stats.js';

export interface ProbeData {
  /** Successful requests recorded (the histogram's total count when there is one). */
  count: number;
  /** Failed requests (not in the latencies); null when the source does not say (.hlog). */
  errors: number | null;
  /** Achieved requests per second; null when the source does not say. */
  rate: number | null;
  /** Stored figures in milliseconds, where the source has them. */
  stored: Partial<Record<StoredStat, number>>;
  /** Latencies in microseconds. */
  histogram: Histogram | null;
}

/** A run: probe name -> figures, and where it came from. */
export interface RunData {
  file: string;
  format: 'json' | 'hlog';
  probes: Map<string, ProbeData>;
}

/** Microseconds (integers in HDR) to milliseconds with microsecond precision. */
export function usToMs(us: number): number {
  return Math.round(us) / 1000;
}

/** The statistic's value for one probe: ms for latencies, a count for errors, req/s for rate. */
export function statValue(probe: ProbeData, stat: Stat, where: string): number {
  if (stat.kind === 'errors') {
    if (probe.errors === null) throw usageError(`${where} does not record errors`, 'check errors against a bench result JSON, not an .hlog');
    return probe.errors;
  }
  if (stat.kind === 'rate') {
    if (probe.rate === null) throw usageError(`${where} does not record the achieved rate`, 'check rate against a bench result JSON, not an .hlog');
    return probe.rate;
  }
  const h = probe.histogram;
  if (h !== null) {
    if (stat.name === 'max') return usToMs(h.maxValue);
    if (stat.name === 'mean') return usToMs(h.mean);
    return usToMs(Math.min(h.getValueAtPercentile(stat.percentile as number), h.maxValue)); // never above the recorded max
  }
  const stored = probe.stored[stat.name as StoredStat];
  if (stored === undefined) throw usageError(`${where} has no histogram and no stored ${stat.name}`, 'use p50, p90, p95, p99, p999, max or mean, or a result with histograms');
  return stored;
}
