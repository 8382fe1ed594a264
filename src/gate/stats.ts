/**
 * The statistics a gate can check, as written in thresholds and `--percentiles`: percentiles
 * (`p50`, `p999` = 99.9, `p9999` = 99.99, or `p99.9`), `max`, `mean`, and the run-level `errors`
 * and `rate`. Pure: names in, percentile numbers and units out.
 */
import { usageError } from '../errors.js';

export type StatKind = 'latency' | 'errors' | 'rate';

export interface Stat {
  /** As the user wrote it, normalised (`p999`, `max`, `errors`). */
  name: string;
  kind: StatKind;
  /** For percentiles: 0 < percentile < 100. */
  percentile?: number;
}

/** The stored figures of a bench result, in the order reports show them. */
export const STORED_STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;
export type StoredStat = (typeof STORED_STATS)[number];

/** `p50` -> 50, `p999` -> 99.9, `p9999` -> 99.99, `p99.9` -> 99.9 (HdrHistogram's naming). */
export function percentileOf(name: string): number | undefined {
  const dotted = /^p(\d{1,2}(?:\.\d+)?)$/.exec(name);
  const digits = /^p(\d+)$/.exec(name);
  let value: number | undefined;
  if (dotted && name.includes('.')) value = Number(dotted[1]);
  else if (digits) {
    const d = digits[1] as string;
    // p100 would read as 10.0 and p05 as 0.5: surely not meant (use max, or p5).
    if (/^10+$/.test(d) || (d.length > 1 && d.startsWith('0'))) return undefined;
    value = d.length <= 2 ? Number(d) : Number(`${d.slice(0, 2)}.${d.slice(2)}`);
  }
  return value !== undefined && value > 0 && value < 100 ? value : undefined;
}

export function parseStat(text: string, context: string): Stat {
  const name = text.trim().toLowerCase();
  if (name === 'errors' || name === 'rate') return { name, kind: name };
  if (name === 'max' || name === 'mean') return { name, kind: 'latency' };
  const percentile = percentileOf(name);
  if (percentile === undefined) {
    throw usageError(`${context}: "${text}" is not a statistic`, 'use p50, p90, p95, p99, p999 (any pNN), max, mean, errors or rate');
  }
  return { name, kind: 'latency', percentile };
}

/** `p50,p99,max` -> stats, for --percentiles (latency statistics only). */
export function parseStatList(text: string): Stat[] {
  const stats = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parseStat(s, '--percentiles'));
  if (stats.length === 0) throw usageError('--percentiles is empty', 'give a list such as p50,p99');
  const bad = stats.find((s) => s.kind !== 'latency');
  if (bad) throw usageError(`--percentiles: "${bad.name}" is not a latency statistic`, 'use pNN, max or mean; check errors and rate with --threshold');
  return stats;
}

/** How a statistic's value is printed. */
export function unitOf(stat: Stat): 'ms' | 'errors' | 'req/s' {
  return stat.kind === 'latency' ? 'ms' : stat.kind === 'errors' ? 'errors' : 'req/s';
}
