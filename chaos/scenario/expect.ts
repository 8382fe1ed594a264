/**
 * Scenario assertions (pure): `PHASE.METRIC OP VALUE` or `PHASE.METRIC[MEMBER] OP VALUE`, e.g.
 * `gray.flaps >= 1`, `partition.failedMs[n3] < 15s`, `recovery.agreementMs < 30s`,
 * `baseline.falseSuspicions == 0`, `gray.failedCycles[n1] >= 1`; probe figures as `PHASE.PROBE.FIGURE`, e.g.
 * `partition.warm.p99 < 500ms`, `baseline.routing-routed.errors == 0` (latencies in ms).
 * A metric that never happened (null; for a probe: no response in the phase) fails every comparison.
 */
import { usageError } from '../../src/errors.js';
import { parseDuration } from '../../src/units.js';

export interface ExpectationResult {
  expect: string;
  actual: number | null;
  pass: boolean;
}

const EXPR = /^\s*([A-Za-z0-9_-]+)\.((?:[a-z][a-z-]*\.)?[A-Za-z0-9]+)(?:\[([A-Za-z0-9_.:-]+)\])?\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/;

export type MetricLookup = (phase: string, metric: string, member: string | undefined) => number | null | undefined;

export function checkExpectation(text: string, lookup: MetricLookup): ExpectationResult {
  const m = EXPR.exec(text);
  if (!m) throw usageError(`expectation "${text}" is not PHASE.METRIC OP VALUE`, 'e.g. "fault.flaps >= 1" or "partition.failedMs[n3] < 15s"');
  const [, phase, metric, member, op, raw] = m as unknown as [string, string, string, string | undefined, string, string];
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : parseDuration(raw, 'expect');
  const actual = lookup(phase, metric, member);
  if (actual === undefined) throw usageError(`expectation "${text}": no metric ${metric}${member ? `[${member}]` : ''} in phase ${phase}`, 'metrics: flaps, falseSuspicions, firstSuspectMs[M], failedMs[M], maxFirstSuspectMs, maxFailedMs, agreementMs, viewPolls, flaps[M], failedCycles[M], suspectCycles[M], incarnationDelta[M]; with a probe section PROBE.count|errors|p50|p90|p99|p999|max (e.g. warm.p99)');
  if (actual === null) return { expect: text, actual, pass: false };
  const pass = op === '<' ? actual < value : op === '<=' ? actual <= value : op === '>' ? actual > value : op === '>=' ? actual >= value : op === '==' ? actual === value : actual !== value;
  return { expect: text, actual, pass };
}
