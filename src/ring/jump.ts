/**
 * Jump consistent hash (Lamping & Veach, 2014): the paper's function, with the key's 64-bit
 * input = farmhash fingerprint64 of its UTF-8 bytes. Bucket i is the i-th node in byte order of
 * node keys, so adding or removing a node anywhere but at the end of that order renumbers the
 * buckets after it, and most keys move: jump is built for numbered shards that only grow or
 * shrink at the end, and plans show that honestly.
 *
 * Replicas (not defined by the paper): the owner's bucket b, then b+1, b+2, ... modulo N.
 */
import { BaseRing } from './base-ring.js';
import { fingerprint64Bytes } from './hash/farmhash64.js';
import { mulHigh32 } from './hash/u64.js';
import { encodeScratch } from './hash/utf8.js';
import { DEFAULT_JUMP_SAMPLES, sampleHashes, sharesOfSample } from './sample.js';
import type { OwnershipReport, Partition, RingNode, RingSettings } from './types.js';

// 2862933555777941757, the paper's linear congruential multiplier, as two halves.
const LCG_HI = 0x27bb2ee6;
const LCG_LO = 0x87b0b0fd;
const TWO_31 = 2 ** 31;

/**
 * The paper's JumpConsistentHash(key, buckets) for a key given as two uint32 halves:
 * key = key * LCG + 1 (mod 2^64), j = (b + 1) * (2^31 / ((key >> 33) + 1)) in double precision.
 */
export function jumpBucket(keyHi: number, keyLo: number, buckets: number): number {
  let hi = keyHi >>> 0;
  let lo = keyLo >>> 0;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    const nextHi = (mulHigh32(lo, LCG_LO) + Math.imul(hi, LCG_LO) + Math.imul(lo, LCG_HI)) >>> 0;
    const nextLo = Math.imul(lo, LCG_LO) >>> 0;
    lo = (nextLo + 1) >>> 0;
    hi = lo === 0 ? (nextHi + 1) >>> 0 : nextHi;
    j = Math.floor((b + 1) * (TWO_31 / ((hi >>> 1) + 1)));
  }
  return b;
}

export class JumpRing extends BaseRing {
  constructor(
    nodes: readonly RingNode[],
    settings: RingSettings,
    private readonly samples: number = DEFAULT_JUMP_SAMPLES,
  ) {
    super('jump', nodes, settings);
  }

  keyHash(key: string): bigint {
    const k = encodeScratch(key);
    return fingerprint64Bytes(k.bytes, k.length).toBigInt();
  }

  ownerIndex(key: string): number {
    const k = encodeScratch(key);
    const h = fingerprint64Bytes(k.bytes, k.length);
    return jumpBucket(h.hi, h.lo, this.nodes.length);
  }

  ownerIndices(key: string, n: number): number[] {
    const first = this.ownerIndex(key);
    const count = Math.min(n, this.nodes.length);
    return Array.from({ length: count }, (_, r) => (first + r) % this.nodes.length);
  }

  protected computeOwnership(): OwnershipReport {
    const { prefs, count } = this.partition(1) as Extract<Partition, { kind: 'cells' }>;
    return { shares: sharesOfSample(prefs, this.nodes.length), points: null, exact: false, sampleSize: count };
  }

  protected computePartition(replicas: number): Partition {
    const sample = sampleHashes(this.samples);
    const n = this.nodes.length;
    const count = this.samples;
    const prefs = new Int32Array(count * replicas);
    for (let i = 0; i < count; i++) {
      const b = jumpBucket(sample.hi[i] as number, sample.lo[i] as number, n);
      for (let r = 0; r < replicas; r++) prefs[i * replicas + r] = r < n ? (b + r) % n : -1;
    }
    return { kind: 'cells', basis: `sample:jump:${count}`, count, prefs, replicas, exact: false };
  }
}
