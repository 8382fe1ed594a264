/**
 * ringside as a library: the same engine the CLI runs, importable by scripts and services.
 * Everything a command does is callable from here.
 */
export { createRing, ALGORITHM_HASH, isAlgorithm } from './ring/create-ring.js';
export { ALGORITHMS } from './ring/types.js';
export type { Algorithm, NodeInput, OwnershipReport, Partition, Ring, RingNode, RingOptions, RingSettings } from './ring/types.js';
export { clusterRing, checkReplicas, type ClusterRing, type ClusterRingOptions } from './ring/cluster-ring.js';
export { lookupOwners, type OwnerRecord } from './ring/lookup.js';
export { describeRing, type RingReport, type RingNodeReport } from './ring/report.js';
export { imbalanceOf, type Imbalance } from './ring/imbalance.js';
export { parseKeys, readKeysFile } from './ring/keys-file.js';
export { fingerprint32 } from './ring/hash/farmhash32.js';
export { fingerprint64 } from './ring/hash/farmhash64.js';
export { cassandraToken } from './ring/hash/murmur3.js';

export { planChange, type PlanOptions, type PlanResult, type MembershipChange } from './plan/plan.js';
export { planClusterChange, parseAddedMember, type ClusterPlanOptions } from './plan/cluster-plan.js';

export type { Member, MemberStatus } from './cluster/member.js';
export { parseMembers } from './cluster/members-file.js';
export { createSnapshot, parseSnapshot, serializeSnapshot, SNAPSHOT_SCHEMA_VERSION, type MembershipSnapshot, type ClusterInfo } from './cluster/snapshot.js';
export { loadMembership, loadMembershipFile, type SourceOptions } from './cluster/source.js';
export { selectRingMembers, OBSERVER_TAG, OBSERVER_TAG_VALUE } from './cluster/ring-members.js';

export { RingsideError, EXIT } from './errors.js';
export { parseDuration, parseSize } from './units.js';

export {
  sandboxUp,
  sandboxDown,
  sandboxStatus,
  defaultStateDir,
  findSerf,
  serfMembers,
  SANDBOX_TAG,
  type SandboxUpOptions,
  type SandboxUpResult,
  type SandboxDownOptions,
  type SandboxDownResult,
  type SandboxStatusOptions,
  type SandboxStatusResult,
  type SandboxAgent,
  type SerfMember,
} from './sandbox/index.js';

// --- issue 6: CI gate (src/gate) and the demo stateful service (src/sandbox/service) ---
export {
  runGate,
  compareRuns,
  parseThreshold,
  parseRun,
  loadRun,
  renderGateTable,
  renderGateMarkdown,
  renderJunit,
  sumHlogByProbe,
  type GateOptions,
  type GateResult,
  type GateReport,
  type GateCheck,
  type GateSettings,
  type Threshold,
  type RunData,
  type ProbeData,
} from './gate/index.js';
export { startKvService, ownershipOf, SERVICE_TAG, FORWARDED_HEADER, type KvService, type KvServiceOptions, type KvServiceStats, type SandboxService, type SandboxServiceStatus } from './sandbox/index.js';

// --- ringpop over TChannel (issue 4) ---
export { RingpopObserver, type RingpopObserverOptions, type MemberReport } from './protocols/ringpop/observer.js';
export { ringpopOwners, type RingpopOwnerRecord, type RingpopOwners } from './protocols/ringpop/owners.js';
export { detectFidelity, nodeMembershipChecksum, goMembershipChecksum, ringChecksum, type RingFidelity } from './protocols/ringpop/checksum.js';
export { type RingpopMember, type RingpopStatus, RingpopTable, supersedes } from './protocols/ringpop/membership.js';
export { TChannelConnection, TChannelError, type CallOptions, type CallResult } from './protocols/tchannel/client.js';

// --- latency probes (issue 6: src/probes) ---
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
} from './probes/index.js';

// --- dashboard (issue 7): the `dash` engine and the feeds its panes consume ---
export { runDash, frameOf, ownerAnswer, type DashOptions } from '../dashboards/run-dash.js';
export { openMembership, observerFeed, type OpenedMembership } from '../dashboards/membership-source.js';
export type { FaultsFeed, LatencyFeed, LatencySource, MembershipFeed } from '../dashboards/feeds.js';
export { summarize as summarizeDash, summaryText as dashSummaryText, type DashSummary } from '../dashboards/view-models/summary.js';

// --- chaos (issue 5): faults on real hosts through tc/iptables, journaled and always reverted ---
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
} from '../chaos/index.js';

// --- chaos run latency probes (scenario probe: sections on the probes library) ---
export { createBenchProbeRunner, assignIntervals, phaseIndexOf, parseProbeSection, type ProbeOutcome, type ProbeFigures, type PhaseWindow } from '../chaos/index.js';
export { routingOf } from './probes/routing-members.js';
