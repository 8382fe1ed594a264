/**
 * Maglev hashing (Eisenbud et al., NSDI 2016, Pseudocode 1) as Envoy's Maglev load balancer
 * builds its table:
 *
 * - nodes sorted by node key bytes; offset = xxh64(key, seed 0) mod M,
 *   skip = xxh64(key, seed 1) mod (M - 1) + 1; node i's preference list is
 *   (offset + j * skip) mod M for j = 0, 1, 2, ...
 * - rounds over the nodes, each taking its next free preferred entry until all M entries are
 *   taken; with weights, a node takes a turn in round r only while r * w_i >= its running
 *   target (w_i = weight / total, the target grows by max w each turn), as Envoy does;
 * - a key goes to table[xxh64(key) mod M] (Envoy's header hash policy hashes with xxh64 seed 0);
 * - M is a prime, default 65537 (Envoy's default and the paper's small table).
 *
 * Replicas (not in the paper): walk the table forward from the key's entry, collecting distinct
 * nodes. Ownership is exact as table entries / M.
 */
import { BaseRing } from './base-ring.js';
import { U64 } from './hash/u64.js';
import { xxh64 } from './hash/xxhash64.js';
import type { OwnershipReport, Partition, RingNode, RingSettings } from './types.js';
import { countPerNode, OwnerWalker } from './walk.js';

export const MAGLEV_DEFAULT_TABLE_SIZE = 65537;
/** Largest table size ringside accepts (keeps every product below 2^53). */
export const MAGLEV_MAX_TABLE_SIZE = 2 ** 26;
const SEED_1 = new U64(0, 1);
const TWO_32 = 2 ** 32;

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

/** A 64-bit value modulo m (m < 2^26), without BigInt. */
function mod64(h: U64, m: number): number {
  return ((h.hi % m) * (TWO_32 % m) + (h.lo % m)) % m;
}

/** Envoy's weighted fill of Pseudocode 1. */
export function populateMaglev(offsets: readonly number[], skips: readonly number[], weights: readonly number[], size: number): Int32Array {
  const n = offsets.length;
  const table = new Int32Array(size).fill(-1);
  const total = weights.reduce((a, b) => a + b, 0);
  const normalized = weights.map((w) => w / total);
  const maxWeight = Math.max(...normalized);
  const target = new Float64Array(n);
  const position = Float64Array.from(offsets);
  let filled = 0;
  for (let round = 1; filled < size; round++) {
    for (let i = 0; i < n && filled < size; i++) {
      if (round * (normalized[i] as number) < (target[i] as number)) continue;
      target[i] = (target[i] as number) + maxWeight;
      const skip = skips[i] as number;
      let c = position[i] as number;
      while ((table[c] as number) !== -1) {
        c += skip;
        if (c >= size) c -= size;
      }
      table[c] = i;
      c += skip;
      position[i] = c >= size ? c - size : c;
      filled++;
    }
  }
  return table;
}

export class MaglevRing extends BaseRing {
  readonly table: Int32Array;
  private readonly size: number;
  private readonly walker: OwnerWalker;

  constructor(nodes: readonly RingNode[], settings: RingSettings) {
    super('maglev', nodes, settings);
    this.size = settings.tableSize ?? MAGLEV_DEFAULT_TABLE_SIZE;
    const offsets = nodes.map((node) => mod64(xxh64(node.key), this.size));
    const skips = nodes.map((node) => mod64(xxh64(node.key, SEED_1), this.size - 1) + 1);
    this.table = populateMaglev(
      offsets,
      skips,
      nodes.map((node) => node.weight),
      this.size,
    );
    this.walker = new OwnerWalker(this.table, nodes.length);
  }

  keyHash(key: string): bigint {
    return xxh64(key).toBigInt();
  }

  ownerIndex(key: string): number {
    return this.table[mod64(xxh64(key), this.size)] as number;
  }

  ownerIndices(key: string, n: number): number[] {
    return this.walker.from(mod64(xxh64(key), this.size), n);
  }

  protected computeOwnership(): OwnershipReport {
    const points = countPerNode(this.table, this.nodes.length);
    return { shares: Float64Array.from(points, (c) => c / this.size), points, exact: true, sampleSize: null };
  }

  protected computePartition(replicas: number): Partition {
    return { kind: 'cells', basis: `maglev:${this.size}`, count: this.size, prefs: this.walker.prefsOfEveryPoint(replicas), replicas, exact: true };
  }
}
