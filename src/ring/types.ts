/** The placement algorithms ringside reproduces; each file in src/ring names the system it matches. */
export const ALGORITHMS = ['ringpop', 'ketama', 'jump', 'rendezvous', 'maglev', 'murmur3'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** A node as a ring sees it. */
export interface RingNode {
  /** What `owner` returns: the member name (for ringpop, its address). */
  id: string;
  /** The string hashed to place the node (`--node-key`). */
  key: string;
  /** Relative capacity; 1 unless the algorithm supports weights and one was given. */
  weight: number;
  /** murmur3 only: the node's tokens (signed 64-bit). */
  tokens?: readonly bigint[];
}

/** What a node spec may say when passed to createRing: a plain string is both id and key. */
export type NodeInput = string | { id: string; key?: string; weight?: number; tokens?: readonly bigint[] };

export interface RingOptions {
  algorithm: Algorithm;
  nodes: readonly NodeInput[];
  /** ringpop: `fingerprint32` (default) or `hash32`. */
  hash?: string;
  /** Points per node: ringpop replica points (default 100), ketama points per unit weight (default 160). */
  vnodes?: number;
  /** Weights by node id, for ketama, rendezvous and maglev (an alternative to NodeInput.weight). */
  weights?: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  /** maglev: lookup table size, a prime (default 65537, as in the paper and Envoy). */
  tableSize?: number;
  /** murmur3: tokens generated per node that has none (default 256). */
  numTokens?: number;
  /** jump and rendezvous: sample size for estimated ownership and plans. */
  samples?: number;
}

/** Settings a ring was built with, as reported in JSON. */
export interface RingSettings {
  algorithm: Algorithm;
  hash: string;
  vnodes: number | null;
  tableSize: number | null;
  numTokens: number | null;
}

/** Share of the keyspace per node (indices follow `ring.nodes`). */
export interface OwnershipReport {
  shares: Float64Array;
  /** Points (vnodes, tokens, table entries) per node where the algorithm has them. */
  points: Int32Array | null;
  exact: boolean;
  /** Number of sampled key hashes when not exact. */
  sampleSize: number | null;
}

/**
 * The keyspace cut into pieces, each with its preference list of `replicas` node indices.
 * - arcs: piece i is the hash range (positions[i-1], positions[i]] (the first wraps around);
 * - cells: `count` equally likely pieces: maglev table entries, or sampled key hashes.
 * Two partitions with the same kind and basis can be compared piece by piece (see src/plan).
 */
export type Partition =
  | { kind: 'arcs32'; positions: Uint32Array; prefs: Int32Array; replicas: number }
  | { kind: 'arcs64'; positions: BigInt64Array; prefs: Int32Array; replicas: number }
  | { kind: 'cells'; basis: string; count: number; prefs: Int32Array; replicas: number; exact: boolean };

export interface Ring {
  readonly algorithm: Algorithm;
  /** Nodes in the ring's canonical order; every index in this API refers to it. */
  readonly nodes: readonly RingNode[];
  readonly settings: RingSettings;
  /** The key's position in the algorithm's hash space (64-bit values as bigint). */
  keyHash(key: string): number | bigint;
  ownerIndex(key: string): number;
  /** Up to n distinct node indices in preference order. */
  ownerIndices(key: string, n: number): number[];
  owner(key: string): string;
  owners(key: string, n: number): string[];
  ownership(): Map<string, number>;
  ownershipReport(): OwnershipReport;
  partition(replicas: number): Partition;
}
