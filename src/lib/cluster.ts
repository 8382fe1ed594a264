/**
 * `ringside/cluster`: members, member files and snapshots, and the live observers for
 * Serf/memberlist and Ringpop (one-shot reads, all views, diagnosis), with the cluster's ring
 * and plans built from its members.
 */
export type { Member, MemberStatus } from '../cluster/member.js';
export { parseMembers } from '../cluster/members-file.js';
export { createSnapshot, parseSnapshot, serializeSnapshot, SNAPSHOT_SCHEMA_VERSION, type MembershipSnapshot, type ClusterInfo } from '../cluster/snapshot.js';
export { loadMembership, loadMembershipFile, type SourceOptions } from '../cluster/source.js';
export { createObserver, observeOnce, withObserver, snapshotOf, LIVE_PROTOCOLS, OBSERVE_MODES, type LiveSourceOptions } from '../cluster/live.js';
export type { ClusterObserver, MemberView, ViewTarget, ObserverStats } from '../cluster/observer.js';
export { compareViews, viewsSummary, type ViewsReport, type ViewGroup, type Disagreement, type Reachability } from '../cluster/views.js';
export { runDiagnosis, type DiagnoseRun, type DiagnoseRunOptions } from '../cluster/diagnose/run.js';
export { diagnose, type Diagnosis, type DiagnoseInput } from '../cluster/diagnose/index.js';
export { selectRingMembers, OBSERVER_TAG, OBSERVER_TAG_VALUE } from '../cluster/ring-members.js';
export { clusterRing, checkReplicas, type ClusterRing, type ClusterRingOptions } from '../cluster/cluster-ring.js';
export { planClusterChange, parseAddedMember, type ClusterPlanOptions } from '../plan/cluster-plan.js';
export { PassiveObserver, type PassiveObserverOptions } from '../protocols/serf/passive-observer.js';
export { MemberObserver, type MemberObserverOptions } from '../protocols/serf/member-observer.js';
export { RingpopObserver, type RingpopObserverOptions, type MemberReport } from '../protocols/ringpop/observer.js';
export { ringpopOwners, type RingpopOwnerRecord, type RingpopOwners } from '../cluster/ringpop-owners.js';
export { detectFidelity, nodeMembershipChecksum, goMembershipChecksum, ringChecksum } from '../protocols/ringpop/checksum.js';
export type { RingFidelity } from '../cluster/ring-fidelity.js';
export { type RingpopMember, type RingpopStatus, RingpopTable, supersedes } from '../protocols/ringpop/membership.js';
export { TChannelConnection, TChannelError, type CallOptions, type CallResult } from '../protocols/tchannel/client.js';
export { RingsideError, EXIT } from '../errors.js';
export { parseDuration, parseSize } from '../units.js';
