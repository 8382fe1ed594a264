/** Latency probes: open-loop pacing, HDR histograms, worker threads, results, interval logs. */
export { startBench, checkConfig, type BenchRun } from './run.js';
export { pace, intendedNs, totalRequests, type PacerPlan, type Pace } from './pacer.js';
export { createHistogram, encodeHistogram, decodeHistogram, mergeHistograms, percentilesOf, summaryOf } from './histogram.js';
export { errorKindOf, statusKindOf } from './error-kind.js';
export { hlogHeader, hlogLine, readHlog, mergeHlogs, looksLikeHlog, probeOfTag, HLOG_TAG_PREFIX, type HlogInterval } from './hlog.js';
export { mergeResults, parseBenchResult, hlogTotals, type HlogTotals } from './merge.js';
export { planRoutes } from './routing-plan.js';
export { renderBenchSummary, formatMs } from './summary.js';
export { parseTarget, pathFor, type Target } from './url-template.js';
export type { Route } from './lanes.js';
export {
  PROBES,
  ERROR_KINDS,
  type ProbeName,
  type ProbeKey,
  type ErrorKind,
  type ErrorCounts,
  type BenchConfig,
  type BenchResult,
  type ProbeResult,
  type LatencySummary,
  type Percentiles,
  type IntervalRecord,
  type RoutingMember,
} from './types.js';
