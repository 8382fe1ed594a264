/**
 * ringside chaos as a library: fault plans (pure), executors, the journal, apply/hold/heal,
 * status, recover and scenarios. The dashboard reads `listActiveFaults`.
 */
export { listActiveFaults, faultStatus, type ActiveFault, type FaultStatus } from './status.js';
export { defaultJournalDir, readJournals, type JournalRecord, DEFAULT_HOST_JOURNAL_DIR } from './journal.js';
export { applyFault, newFaultId, type Applied, type ApplyOptions, DEFAULT_GRACE_MS } from './apply.js';
export { runFault, type FaultRun, type RunFaultOptions } from './hold.js';
export { healFaults, revertRecord, type Reverted } from './revert.js';
export { recoverHosts, findRingsideState, type HostRecovered } from './recover.js';
export { planFault, type HostContext } from './faults/plan.js';
export type { FaultSpec, LossSpec, NetemSpec, BandwidthSpec, PartitionSpec } from './faults/spec.js';
export type { Argv, Step, FaultPlan, ControlPath } from './faults/types.js';
export { topologyCuts, groupCuts, isolateCuts, TOPOLOGIES, type Cut, type Topology } from './faults/topology.js';
export { parseExecutor } from './executors/parse.js';
export type { Executor } from './executors/types.js';
export { parseScenario, type Scenario, type ScenarioPhase } from './scenario/parse.js';
export { runScenario, type ScenarioReport, type PhaseReport, type RunScenarioOptions } from './scenario/run.js';
export type { ScenarioHost } from './scenario/faults.js';
export type { ProbeRunner, ProbeRun, ProbePhaseResult, ProbeFigures, ProbeOutcome, PhaseWindow } from './scenario/probes.js';
export { createBenchProbeRunner, type BenchProbeOptions } from './scenario/bench-probe.js';
export { assignIntervals, phaseIndexOf, phaseTag, type TimedInterval } from './scenario/probe-phases.js';
export { parseProbeSection, type ProbeSection } from './scenario/probe-section.js';
