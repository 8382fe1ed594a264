/**
 * Rendezvous (highest random weight) hashing as github.com/dgryski/go-rendezvous does it, the
 * sharding of go-redis's Ring: khash = xxh64(key), for each node s = xorshiftMult64(khash ^
 * xxh64(node key)), the largest s wins (the first node in order on a tie).
 *
 * Weights use the logarithmic method (Resch, weighted rendezvous hashing): u = ((s >> 12) + 0.5)
 * / 2^52, strictly inside (0, 1), and score = -weight / ln(u); the largest score wins, ties go to
 * the larger s. A node's expected share is then exactly weight / total weight. With all
 * weights equal the ranking is by s alone, identical to go-rendezvous.
 *
 * Replicas: the n highest-ranked nodes.
 */
import { BaseRing } from './base-ring.js';
import { mulHigh32 } from './hash/u64.js';
import { xxh64 } from './hash/xxhash64.js';
import { defaultRendezvousSamples, sampleHashes, sharesOfSample } from './sample.js';
import type { OwnershipReport, Partition, RingNode, RingSettings } from './types.js';

// 2685821657736338717, go-rendezvous's xorshift* multiplier, as two halves.
const MULT_HI = 0x2545f491;
const MULT_LO = 0x4f6cdd1d;
const TWO_20 = 2 ** 20;
const TWO_52 = 2 ** 52;

export class RendezvousRing extends BaseRing {
  private readonly nodeHi: Uint32Array;
  private readonly nodeLo: Uint32Array;
  private readonly weighted: boolean;
  /** Scores of the last key, reused: s as two halves, and the weighted score. */
  private readonly sHi: Uint32Array;
  private readonly sLo: Uint32Array;
  private readonly score: Float64Array;
  private readonly samples: number;

  constructor(nodes: readonly RingNode[], settings: RingSettings, samples?: number) {
    super('rendezvous', nodes, settings);
    const n = nodes.length;
    this.nodeHi = new Uint32Array(n);
    this.nodeLo = new Uint32Array(n);
    nodes.forEach((node, i) => {
      const h = xxh64(node.key);
      this.nodeHi[i] = h.hi;
      this.nodeLo[i] = h.lo;
    });
    this.weighted = nodes.some((node) => node.weight !== (nodes[0] as RingNode).weight);
    this.sHi = new Uint32Array(n);
    this.sLo = new Uint32Array(n);
    this.score = new Float64Array(n);
    this.samples = samples ?? defaultRendezvousSamples(n);
  }

  keyHash(key: string): bigint {
    return xxh64(key).toBigInt();
  }

  ownerIndex(key: string): number {
    const h = xxh64(key);
    return this.bestOf(h.hi, h.lo);
  }

  ownerIndices(key: string, n: number): number[] {
    const h = xxh64(key);
    return this.rankOf(h.hi, h.lo, n);
  }

  protected computeOwnership(): OwnershipReport {
    const { prefs, count } = this.partition(1) as Extract<Partition, { kind: 'cells' }>;
    return { shares: sharesOfSample(prefs, this.nodes.length), points: null, exact: false, sampleSize: count };
  }

  protected computePartition(replicas: number): Partition {
    const sample = sampleHashes(this.samples);
    const count = this.samples;
    const prefs = new Int32Array(count * replicas).fill(-1);
    for (let i = 0; i < count; i++) {
      const hi = sample.hi[i] as number;
      const lo = sample.lo[i] as number;
      if (replicas === 1) {
        prefs[i] = this.bestOf(hi, lo);
      } else {
        this.rankOf(hi, lo, replicas).forEach((node, r) => (prefs[i * replicas + r] = node));
      }
    }
    return { kind: 'cells', basis: `sample:rendezvous:${count}`, count, prefs, replicas, exact: false };
  }

  /** Fills the score arrays for the key hash (hi, lo). */
  private scoreAll(hi: number, lo: number): void {
    const n = this.nodes.length;
    for (let i = 0; i < n; i++) {
      // xorshiftMult64(khash ^ nhash) on two uint32 halves.
      let h = hi ^ (this.nodeHi[i] as number);
      let l = lo ^ (this.nodeLo[i] as number);
      let t = (l >>> 12) | (h << 20); // x ^= x >> 12
      h ^= h >>> 12;
      l ^= t;
      t = (h << 25) | (l >>> 7); // x ^= x << 25
      l ^= l << 25;
      h ^= t;
      t = (l >>> 27) | (h << 5); // x ^= x >> 27
      h ^= h >>> 27;
      l ^= t;
      l >>>= 0;
      const sHi = (mulHigh32(l, MULT_LO) + Math.imul(h, MULT_LO) + Math.imul(l, MULT_HI)) >>> 0;
      const sLo = Math.imul(l, MULT_LO) >>> 0;
      this.sHi[i] = sHi;
      this.sLo[i] = sLo;
      if (this.weighted) {
        const u = (sHi * TWO_20 + (sLo >>> 12) + 0.5) / TWO_52;
        this.score[i] = -(this.nodes[i] as RingNode).weight / Math.log(u);
      }
    }
  }

  /** True when node a ranks above node b for the last scored key. */
  private beats(a: number, b: number): boolean {
    if (this.weighted) {
      const sa = this.score[a] as number;
      const sb = this.score[b] as number;
      if (sa !== sb) return sa > sb;
    }
    const ha = this.sHi[a] as number;
    const hb = this.sHi[b] as number;
    if (ha !== hb) return ha > hb;
    const la = this.sLo[a] as number;
    const lb = this.sLo[b] as number;
    if (la !== lb) return la > lb;
    return a < b;
  }

  private bestOf(hi: number, lo: number): number {
    this.scoreAll(hi, lo);
    let best = 0;
    for (let i = 1; i < this.nodes.length; i++) if (this.beats(i, best)) best = i;
    return best;
  }

  /** The n best nodes, best first (insertion into a short sorted list: O(nodes x n)). */
  private rankOf(hi: number, lo: number, n: number): number[] {
    this.scoreAll(hi, lo);
    const top: number[] = [];
    const want = Math.min(n, this.nodes.length);
    for (let i = 0; i < this.nodes.length; i++) {
      if (top.length === want && !this.beats(i, top[want - 1] as number)) continue;
      let at = top.length === want ? want - 1 : top.length;
      while (at > 0 && this.beats(i, top[at - 1] as number)) {
        top[at] = top[at - 1] as number;
        at--;
      }
      top[at] = i;
    }
    return top;
  }
}
