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
