/**
 * `ringside/chaos`: faults on real hosts through tc/iptables (pure plans, executors, journal,
 * dead-man timer, heal, status, recover) and scenarios that measure how the cluster copes.
 */
export {
  listActiveFaults,
  faultStatus,
  defaultJournalDir,
  applyFault,
  runFault,
  healFaults,
  recoverHosts,
  planFault,
  parseExecutor,
  topologyCuts,
  groupCuts,
  isolateCuts,
  TOPOLOGIES,
  runScenario,
  parseScenario,
  type ActiveFault,
  type FaultStatus,
  type Applied,
  type ApplyOptions,
  type FaultRun,
  type FaultSpec,
  type FaultPlan,
  type Step,
  type Executor,
  type Cut,
  type Topology,
  type ScenarioReport,
  type ProbeRunner,
} from '../../chaos/index.js';

export { createBenchProbeRunner, assignIntervals, phaseIndexOf, parseProbeSection, type ProbeOutcome, type ProbeFigures, type PhaseWindow } from '../../chaos/index.js';
