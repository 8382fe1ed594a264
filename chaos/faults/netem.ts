/**
 * netem parameters as tc arguments (pure): delay with jitter, correlation and distribution; loss,
 * duplicate, reorder and corrupt with optional correlation. netem shapes egress only.
 */
import { usageError } from '../../src/errors.js';

export const DISTRIBUTIONS = ['uniform', 'normal', 'pareto', 'paretonormal'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

export interface NetemParams {
  delayMs?: number;
  jitterMs?: number;
  /** Correlation of each delay with the previous one, percent. */
  delayCorrelationPct?: number;
  distribution?: Distribution;
  lossPct?: number;
  lossCorrelationPct?: number;
  duplicatePct?: number;
  duplicateCorrelationPct?: number;
  /** Percent of packets sent at once while the rest wait `delayMs` (netem needs a delay). */
  reorderPct?: number;
  reorderCorrelationPct?: number;
  corruptPct?: number;
  corruptCorrelationPct?: number;
}

/** `12.5` -> `12.5%`, with at most 4 decimals; checked to be within 0..100. */
export function percent(value: number, what: string): string {
  if (!Number.isFinite(value) || value < 0 || value > 100) throw usageError(`${what} ${value} is not a percentage`, 'give a number from 0 to 100');
  return `${Number(value.toFixed(4))}%`;
}

/** Milliseconds as tc writes them: `100ms`, `0.25ms` as `250us`. */
export function tcTime(ms: number, what: string): string {
  if (!Number.isFinite(ms) || ms < 0) throw usageError(`${what} ${ms} is not a duration`);
  if (Number.isInteger(ms)) return `${ms}ms`;
  return `${Math.round(ms * 1000)}us`;
}

function withCorrelation(pct: number, corr: number | undefined, what: string): string[] {
  return corr === undefined ? [percent(pct, what)] : [percent(pct, what), percent(corr, `${what} correlation`)];
}

/** The arguments after `netem`. */
export function netemArgs(p: NetemParams): string[] {
  const args: string[] = [];
  if (p.delayMs !== undefined) {
    args.push('delay', tcTime(p.delayMs, 'delay'));
    if (p.jitterMs !== undefined) {
      args.push(tcTime(p.jitterMs, 'jitter'));
      if (p.delayCorrelationPct !== undefined) args.push(percent(p.delayCorrelationPct, 'delay correlation'));
      if (p.distribution !== undefined) args.push('distribution', p.distribution);
    } else if (p.delayCorrelationPct !== undefined || p.distribution !== undefined) {
      throw usageError('correlation and distribution need a jitter', 'add --jitter');
    }
  }
  if (p.lossPct !== undefined) args.push('loss', 'random', ...withCorrelation(p.lossPct, p.lossCorrelationPct, 'loss'));
  if (p.duplicatePct !== undefined) args.push('duplicate', ...withCorrelation(p.duplicatePct, p.duplicateCorrelationPct, 'duplicate'));
  if (p.reorderPct !== undefined) {
    if (p.delayMs === undefined || p.delayMs <= 0) throw usageError('reorder needs a delay (packets not reordered wait that long)', 'add --delay');
    args.push('reorder', ...withCorrelation(p.reorderPct, p.reorderCorrelationPct, 'reorder'));
  }
  if (p.corruptPct !== undefined) args.push('corrupt', ...withCorrelation(p.corruptPct, p.corruptCorrelationPct, 'corrupt'));
  if (args.length === 0) throw usageError('the netem fault has no effect', 'give a delay, loss, duplicate, reorder or corrupt percentage');
  return args;
}

/** One line: `delay 100ms ±10ms (normal)`, `loss 80%`. */
export function describeNetem(p: NetemParams): string {
  const parts: string[] = [];
  if (p.delayMs !== undefined) parts.push(`delay ${p.delayMs}ms${p.jitterMs !== undefined ? ` ±${p.jitterMs}ms` : ''}${p.distribution ? ` (${p.distribution})` : ''}`);
  if (p.lossPct !== undefined) parts.push(`loss ${p.lossPct}%`);
  if (p.duplicatePct !== undefined) parts.push(`duplicate ${p.duplicatePct}%`);
  if (p.reorderPct !== undefined) parts.push(`reorder ${p.reorderPct}%`);
  if (p.corruptPct !== undefined) parts.push(`corrupt ${p.corruptPct}%`);
  return parts.join(', ');
}
