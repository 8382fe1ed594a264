/**
 * A hash ring over the 32-bit space: sorted points, each owned by a node. A key hashing to h
 * belongs to the first point at or after h, wrapping to the first point (ringpop's rbtree
 * upperBound, libketama's binary search). Point i therefore owns the arc (p[i-1], p[i]], which
 * makes ownership exact: the sum of a node's arc widths over 2^32.
 */
import type { Partition } from './types.js';
import { countPerNode, OwnerWalker } from './walk.js';

const SPACE = 2 ** 32;
/** bucketStart[b] = number of points below b << shift, for every bucket and one past the last. */
function bucketIndex(positions: Uint32Array, shift: number): Uint32Array {
  const buckets = 2 ** (32 - shift);
  const start = new Uint32Array(buckets + 1);
  for (let k = 0; k < positions.length; k++) {
    const b = ((positions[k] as number) >>> shift) + 1;
    start[b] = (start[b] as number) + 1;
  }
  for (let b = 1; b <= buckets; b++) start[b] = (start[b] as number) + (start[b - 1] as number);
  return start;
}

/**
 * Stable LSD radix sort of 32-bit keys, returning the sorted keys and the original index of each:
 * several times faster than a comparison sort for ring points.
 */
export function radixSort(input: Uint32Array): { keys: Uint32Array; order: Uint32Array } {
  const { keys, values } = sortPairs(input, Int32Array.from({ length: input.length }, (_, i) => i));
  return { keys, order: new Uint32Array(values.buffer, values.byteOffset, values.length) };
}

/**
 * Keys ascending with their values, equal keys in their original order. Three passes of 11 bits
 * (2,048 counters each, all three counted in one read: they stay in the CPU's first cache, where
 * two passes of 16 bits walk 2 x 65,536), moving each value with its key, so a ring's owners come
 * out in point order without a second gather. Below a few thousand keys (a CLI's ring of a
 * handful of nodes) a comparison sort is quicker and gives the same order.
 */
export function sortPairs(input: Uint32Array, values: Int32Array): { keys: Uint32Array; values: Int32Array } {
  const n = input.length;
  if (n < SMALL_SORT) return comparisonSort(input, values);
  const low = new Uint32Array(DIGIT);
  const mid = new Uint32Array(DIGIT);
  const high = new Uint32Array(DIGIT);
  for (let i = 0; i < n; i++) {
    const key = input[i] as number;
    low[key & MASK] = (low[key & MASK] as number) + 1;
    mid[(key >>> 11) & MASK] = (mid[(key >>> 11) & MASK] as number) + 1;
    high[key >>> 22] = (high[key >>> 22] as number) + 1;
  }
  startsOf(low);
  startsOf(mid);
  startsOf(high);
  const keysA = new Uint32Array(n);
  const valuesA = new Int32Array(n);
  const keysB = new Uint32Array(n);
  const valuesB = new Int32Array(n);
  radixPass(input, values, keysA, valuesA, low, 0);
  radixPass(keysA, valuesA, keysB, valuesB, mid, 11);
  radixPass(keysB, valuesB, keysA, valuesA, high, 22);
  return { keys: keysA, values: valuesA };
}

const SMALL_SORT = 4096;
const DIGIT = 2048;
const MASK = DIGIT - 1;

/** Counts per digit -> where each digit's run starts. */
function startsOf(counts: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < counts.length; d++) {
    const c = counts[d] as number;
    counts[d] = sum;
    sum += c;
  }
}

/** The same result as sortPairs: keys ascending, equal keys in their original order. */
function comparisonSort(input: Uint32Array, values: Int32Array): { keys: Uint32Array; values: Int32Array } {
  const order = Uint32Array.from({ length: input.length }, (_, i) => i).sort((a, b) => (input[a] as number) - (input[b] as number) || a - b);
  const keys = new Uint32Array(input.length);
  const sorted = new Int32Array(input.length);
  for (let i = 0; i < order.length; i++) {
    keys[i] = input[order[i] as number] as number;
    sorted[i] = values[order[i] as number] as number;
  }
  return { keys, values: sorted };
}

/** One stable counting-sort pass on the 11-bit digit at `shift`, with the digit starts given. */
function radixPass(keysIn: Uint32Array, valuesIn: Int32Array, keysOut: Uint32Array, valuesOut: Int32Array, starts: Uint32Array, shift: number): void {
  const n = keysIn.length;
  for (let i = 0; i < n; i++) {
    const key = keysIn[i] as number;
    const digit = (key >>> shift) & MASK;
    const at = starts[digit] as number;
    starts[digit] = at + 1;
    keysOut[at] = key;
    valuesOut[at] = valuesIn[i] as number;
  }
}

export class Continuum32 {
  private readonly walker: OwnerWalker;
  /** Right shift that turns a hash into its bucket of the index below. */
  private readonly shift: number;
  /** bucketStart[b] = first point whose hash >= b << shift; one more entry at the end. */
  private readonly bucketStart: Uint32Array;

  private constructor(
    readonly positions: Uint32Array,
    readonly owners: Int32Array,
    readonly nodeCount: number,
  ) {
    this.walker = new OwnerWalker(owners, nodeCount);
    // About one point per bucket (at most 2^16 buckets), so a lookup is an index read plus a
    // search over a handful of points instead of a full binary search.
    const bits = Math.min(16, Math.max(1, Math.ceil(Math.log2(positions.length + 1))));
    this.shift = 32 - bits;
    this.bucketStart = bucketIndex(positions, this.shift);
  }

  /**
   * Sorts points by hash; equal hashes keep insertion order (callers insert in the order their
   * algorithm breaks ties).
   */
  static fromPoints(hashes: Uint32Array, pointOwners: Int32Array, nodeCount: number): Continuum32 {
    const { keys, values } = sortPairs(hashes, pointOwners);
    return new Continuum32(keys, values, nodeCount);
  }

  /** Index of the point that owns hash `h`. */
  pointFor(h: number): number {
    const positions = this.positions;
    const bucket = h >>> this.shift;
    let lo = this.bucketStart[bucket] as number;
    let hi = this.bucketStart[bucket + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] as number) < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === positions.length ? 0 : lo;
  }

  ownerOf(h: number): number {
    return this.owners[this.pointFor(h)] as number;
  }

  ownersOf(h: number, n: number): number[] {
    return this.walker.from(this.pointFor(h), n);
  }

  /** Exact share of the 2^32 space per node. */
  shares(): Float64Array {
    const widths = new Float64Array(this.nodeCount);
    const { positions, owners } = this;
    const n = positions.length;
    for (let i = 0; i < n; i++) {
      const width = i === 0 ? (positions[0] as number) + SPACE - (positions[n - 1] as number) : (positions[i] as number) - (positions[i - 1] as number);
      const owner = owners[i] as number;
      widths[owner] = (widths[owner] as number) + width;
    }
    return widths.map((w) => w / SPACE);
  }

  pointsPerNode(): Int32Array {
    return countPerNode(this.owners, this.nodeCount);
  }

  partition(replicas: number): Partition {
    return { kind: 'arcs32', positions: this.positions, prefs: this.walker.prefsOfEveryPoint(replicas), replicas };
  }
}
