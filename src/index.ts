/**
 * ringside as a library: the same engine the CLI runs, importable by scripts and services.
 */
export { createRing, ALGORITHM_HASH, isAlgorithm } from './ring/create-ring.js';
export { ALGORITHMS } from './ring/types.js';
export type { Algorithm, NodeInput, OwnershipReport, Partition, Ring, RingNode, RingOptions, RingSettings } from './ring/types.js';
export { fingerprint32 } from './ring/hash/farmhash32.js';
export { fingerprint64 } from './ring/hash/farmhash64.js';
export { cassandraToken } from './ring/hash/murmur3.js';
export { RingsideError, EXIT } from './errors.js';
