/** The CI gate: thresholds and baseline comparison over bench results and .hlog files. */
export { runGate, type GateOptions, type GateResult, DEFAULT_PERCENTILES, DEFAULT_MAX_REGRESSION, DEFAULT_MIN_COUNT, DEFAULT_SLACK } from './run-gate.js';
export { compareRuns, type GateCheck, type GateReport, type GateSettings, type CheckStatus } from './compare.js';
export { parseThreshold, parseFraction, holds, type Threshold, type Operator } from './thresholds.js';
export { parseStat, parseStatList, percentileOf, type Stat } from './stats.js';
export { parseRun, parseBenchResult, parseHlogRun, loadRun, BENCH_KIND } from './result-file.js';
export { sumHlogByProbe } from './hlog.js';
export { renderGateTable, renderGateMarkdown, renderJunit } from './render.js';
export { statValue, type ProbeData, type RunData } from './probe-data.js';
