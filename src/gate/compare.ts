/**
 * The gate itself, pure: a baseline run, a current run, thresholds and regression settings in;
 * one check per (threshold, probe) and per (probe, percentile) out, each pass, fail or skip.
 *
 * - A threshold holds when the current value satisfies it (k6 semantics).
 * - A relative regression fails when current > baseline * (1 + maxRegression) AND
 *   current - baseline > slackMs: both, so a 0.2 ms -> 0.3 ms wobble is not a 50% regression.
 * - Regressions are skipped (not failed) when either run has fewer than minCount requests: too
 *   few samples to tell a tail apart from noise.
 * - A probe in the baseline but missing from the current run fails (the bench stopped measuring it).
 */
import { usageError } from '../errors.js';
import { type ProbeData, type RunData, statValue } from './probe-data.js';
import { type Stat, unitOf } from './stats.js';
import { holds, type Threshold } from './thresholds.js';

export interface GateSettings {
  thresholds: Threshold[];
  /** Allowed relative increase, e.g. 0.1; null disables regression checks. */
  maxRegression: number | null;
  /** Latency statistics compared against the baseline. */
  percentiles: Stat[];
  /** Fewer requests than this in either run: regression checks are skipped. */
  minCount: number;
  /** Absolute noise floor in ms: smaller increases never count as regressions. */
  slackMs: number;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface GateCheck {
  /** A stable name, one JUnit testcase: `first-connection.p99 regression`, `warm.p99<200ms`. */
  name: string;
  kind: 'threshold' | 'regression' | 'presence';
  probe: string;
  stat: string;
  status: CheckStatus;
  unit: 'ms' | 'errors' | 'req/s' | 'fraction' | 'count';
  baseline: number | null;
  current: number | null;
  /** The bound the current value was held to, and how (`<`, `<=`, `>`, `>=`). */
  limit: number | null;
  op: string | null;
  /** (current - baseline) / baseline, when both exist and baseline > 0. */
  change: number | null;
  /** One sentence: why it passed, failed or was skipped. */
  message: string;
}

export interface GateReport {
  baseline: { file: string; format: string; probes: string[] };
  current: { file: string; format: string; probes: string[] };
  settings: { maxRegression: number | null; percentiles: string[]; minCount: number; slackMs: number; thresholds: string[] };
  checks: GateCheck[];
  passed: boolean;
  counts: { pass: number; fail: number; skip: number };
}

function change(baseline: number, current: number): number | null {
  return baseline > 0 ? (current - baseline) / baseline : null;
}

function fmt(value: number, unit: string): string {
  if (unit === 'fraction') return `${(value * 100).toFixed(3).replace(/\.?0+$/, '')}%`;
  if (unit === 'ms') return `${value.toFixed(3)} ms`;
  const text = Number.isInteger(value) ? String(value) : value.toFixed(3).replace(/\.?0+$/, '');
  return `${text} ${unit}`;
}

function thresholdCheck(t: Threshold, probe: string, base: ProbeData | undefined, cur: ProbeData | undefined, current: RunData): GateCheck {
  const name = `${probe}.${t.stat.name}${t.op}${t.limitText}`;
  const unit = t.percent ? 'fraction' : unitOf(t.stat);
  const check: GateCheck = { name, kind: 'threshold', probe, stat: t.stat.name, status: 'fail', unit, baseline: null, current: null, limit: t.limit, op: t.op, change: null, message: '' };
  if (cur === undefined) return { ...check, message: `the current run has no ${probe} probe` };
  const value = (p: ProbeData, where: string): number => {
    const v = statValue(p, t.stat, where);
    return t.percent ? v / Math.max(1, p.count + v) : v;
  };
  check.current = value(cur, `${current.file} (${probe})`);
  if (base !== undefined) {
    try {
      check.baseline = value(base, 'baseline');
      check.change = change(check.baseline, check.current);
    } catch {
      // the baseline (an .hlog) may not carry errors or rate: it is only shown, never required
    }
  }
  const ok = holds(check.current, t.op, t.limit);
  check.status = ok ? 'pass' : 'fail';
  check.message = `${probe} ${t.stat.name} is ${fmt(check.current, unit)}, ${ok ? 'within' : 'breaks'} ${t.op} ${fmt(t.limit, unit)}`;
  return check;
}

function regressionCheck(stat: Stat, probe: string, base: ProbeData, cur: ProbeData, settings: GateSettings, files: { base: string; cur: string }): GateCheck {
  const b = statValue(base, stat, `${files.base} (${probe})`);
  const c = statValue(cur, stat, `${files.cur} (${probe})`);
  const r = settings.maxRegression as number;
  const limit = Math.max(b * (1 + r), b + settings.slackMs);
  const check: GateCheck = { name: `${probe}.${stat.name} regression`, kind: 'regression', probe, stat: stat.name, status: 'pass', unit: 'ms', baseline: b, current: c, limit, op: '<=', change: change(b, c), message: '' };
  const pct = check.change === null ? '' : ` (${check.change >= 0 ? '+' : ''}${(check.change * 100).toFixed(1)}%)`;
  const fewest = Math.min(base.count, cur.count);
  if (fewest < settings.minCount) {
    return { ...check, status: 'skip', message: `${fewest} requests in the ${base.count < cur.count ? 'baseline' : 'current run'}, fewer than --min-count ${settings.minCount}` };
  }
  const regressed = c > limit;
  check.status = regressed ? 'fail' : 'pass';
  check.message = `${probe} ${stat.name} ${fmt(b, 'ms')} -> ${fmt(c, 'ms')}${pct}, ${regressed ? 'above' : 'within'} the allowed ${fmt(limit, 'ms')} (+${(r * 100).toFixed(1).replace(/\.0$/, '')}%, slack ${fmt(settings.slackMs, 'ms')})`;
  return check;
}

export function compareRuns(baseline: RunData, current: RunData, settings: GateSettings): GateReport {
  const checks: GateCheck[] = [];
  for (const t of settings.thresholds) {
    if (t.probe !== null && !baseline.probes.has(t.probe) && !current.probes.has(t.probe)) {
      const known = [...new Set([...baseline.probes.keys(), ...current.probes.keys()])].join(', ');
      throw usageError(`--threshold "${t.text}" names probe "${t.probe}", which neither run has`, `the runs have: ${known}`);
    }
    const probes = t.probe !== null ? [t.probe] : [...current.probes.keys()];
    for (const probe of probes) checks.push(thresholdCheck(t, probe, baseline.probes.get(probe), current.probes.get(probe), current));
  }
  for (const [probe, base] of baseline.probes) {
    const cur = current.probes.get(probe);
    if (cur === undefined) {
      checks.push({ name: `${probe} present`, kind: 'presence', probe, stat: 'count', status: 'fail', unit: 'count', baseline: base.count, current: null, limit: null, op: null, change: null, message: `the baseline has a ${probe} probe, the current run does not` });
      continue;
    }
    if (settings.maxRegression === null) continue;
    for (const stat of settings.percentiles) checks.push(regressionCheck(stat, probe, base, cur, settings, { base: baseline.file, cur: current.file }));
  }
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  const side = (run: RunData) => ({ file: run.file, format: run.format, probes: [...run.probes.keys()] });
  return {
    baseline: side(baseline),
    current: side(current),
    settings: { maxRegression: settings.maxRegression, percentiles: settings.percentiles.map((s) => s.name), minCount: settings.minCount, slackMs: settings.slackMs, thresholds: settings.thresholds.map((t) => t.text) },
    checks,
    passed: counts.fail === 0,
    counts,
  };
}

export { fmt as formatValue };
