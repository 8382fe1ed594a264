/**
 * `ringside/probes`: open-loop latency probes (first connection, warm keep-alive, routing) with
 * coordinated-omission correction, HDR histograms, results, `.hlog` interval logs and merging.
 */
export {
  startBench,
  pace,
  createHistogram,
  encodeHistogram,
  decodeHistogram,
  mergeHistograms,
  percentilesOf,
  readHlog,
  mergeHlogs,
  hlogHeader,
  hlogLine,
  probeOfTag,
  mergeResults,
  parseBenchResult,
  hlogTotals,
  planRoutes,
  renderBenchSummary,
  PROBES,
  ERROR_KINDS,
  type BenchRun,
  type BenchConfig,
  type BenchResult,
  type ProbeResult,
  type IntervalRecord,
  type RoutingMember,
  type ProbeName,
  type ErrorKind,
  type HlogInterval,
  type HlogTotals,
} from '../probes/index.js';
export { routingOf } from '../probes/routing-members.js';
