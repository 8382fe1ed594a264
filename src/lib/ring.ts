/**
 * `ringside/ring`: placement math alone. Rings for every algorithm, hashes, ownership, ring reports
 * and change plans. Loads nothing outside this package.
 */
export { createRing, ALGORITHM_HASH, isAlgorithm } from '../ring/create-ring.js';
export { ALGORITHMS } from '../ring/types.js';
export type { Algorithm, NodeInput, OwnershipReport, Partition, Ring, RingNode, RingOptions, RingSettings } from '../ring/types.js';
export { lookupOwners, type OwnerRecord } from '../ring/lookup.js';
export { describeRing, type RingReport, type RingNodeReport } from '../ring/report.js';
export { imbalanceOf, type Imbalance } from '../ring/imbalance.js';
export { fingerprint32 } from '../ring/hash/farmhash32.js';
export { fingerprint64 } from '../ring/hash/farmhash64.js';
export { cassandraToken } from '../ring/hash/murmur3.js';
export { planChange, type PlanOptions, type PlanResult, type MembershipChange } from '../plan/plan.js';
export { parseKeys, readKeysFile } from '../keys-file.js';
export { RingsideError, EXIT } from '../errors.js';
