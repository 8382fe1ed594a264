/**
 * Threshold expressions, k6-style but with ringside's probe names: `first-connection.p99<200ms`,
 * `warm.p999<=1.5s`, `routing-routed.mean<20ms`, `warm.errors<1`, `warm.errors<0.5%`,
 * `warm.rate>=900`. Without a probe (`p99<200ms`) the threshold applies to every probe of the
 * current run. Also the `--max-regression 10%` and `--slack 1ms` values. Pure.
 */
import { usageError } from '../errors.js';
import { parseDuration } from '../units.js';
import { parseStat, type Stat } from './stats.js';

export type Operator = '<' | '<=' | '>' | '>=';

export interface Threshold {
  /** As written, for reports. */
  text: string;
  /** A probe name, or null for every probe. */
  probe: string | null;
  stat: Stat;
  op: Operator;
  /** ms for latencies, a count (or a fraction when `percent`) for errors, req/s for rate. */
  limit: number;
  /** The limit as written (`200ms`, `1%`). */
  limitText: string;
  /** errors only: the limit is a fraction of all requests (count + errors). */
  percent: boolean;
}

const HINT = 'write it like first-connection.p99<200ms, warm.errors<1%, warm.rate>=900';

export function parseThreshold(text: string): Threshold {
  const match = /^\s*([^<>=\s]+)\s*(<=|>=|<|>)\s*(\S+)\s*$/.exec(text);
  if (!match) throw usageError(`--threshold "${text}" is not PROBE.STAT<LIMIT`, HINT);
  const [, left, op, right] = match as unknown as [string, string, Operator, string];
  // Probe names have no dots; a dotted percentile (p99.9) keeps its dot.
  const dot = left.indexOf('.');
  const probe = dot > 0 && !/^p\d/.test(left) ? left.slice(0, dot) : null;
  const stat = parseStat(probe === null ? left : left.slice(dot + 1), `--threshold "${text}"`);
  let limit: number;
  let percent = false;
  if (stat.kind === 'latency') {
    limit = parseDuration(right, `threshold "${text}": limit`);
  } else if (stat.kind === 'errors' && right.endsWith('%')) {
    limit = Number(right.slice(0, -1)) / 100;
    percent = true;
  } else {
    limit = /^\d+(\.\d+)?$/.test(right) ? Number(right) : Number.NaN;
  }
  if (!Number.isFinite(limit) || limit < 0) {
    throw usageError(`--threshold "${text}": "${right}" is not a valid limit for ${stat.name}`, stat.kind === 'latency' ? 'give a duration such as 200ms or 1.5s' : HINT);
  }
  return { text: text.trim(), probe, stat, op, limit, limitText: right, percent };
}

export function holds(value: number, op: Operator, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

/** `10%` or `0.1` -> 0.1, for --max-regression. */
export function parseFraction(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (!match) throw usageError(`--${flag} ${text} is not a percentage`, 'write it like 10%');
  const value = match[2] === '%' ? Number(match[1]) / 100 : Number(match[1]);
  if (!Number.isFinite(value)) throw usageError(`--${flag} ${text} is not a percentage`, 'write it like 10%');
  return value;
}
