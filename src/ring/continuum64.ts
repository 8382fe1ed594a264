/**
 * A token ring over the signed 64-bit space, as Cassandra's token metadata is: a key with token t
 * belongs to the node owning the first token >= t, wrapping to the smallest token; token i owns
 * the range (t[i-1], t[i]].
 */
import type { Partition } from './types.js';
import { countPerNode, OwnerWalker } from './walk.js';

const SPACE = 2 ** 64;
const SPACE_BIG = 2n ** 64n;

export class Continuum64 {
  private readonly walker: OwnerWalker;

  private constructor(
    readonly positions: BigInt64Array,
    readonly owners: Int32Array,
    readonly nodeCount: number,
  ) {
    this.walker = new OwnerWalker(owners, nodeCount);
  }

  /**
   * Builds the ring from each node's tokens. When two nodes claim the same token, the one that
   * comes first in node order keeps it (Cassandra itself refuses such a ring; explicit tokens are
   * checked for duplicates before they get here).
   */
  static fromTokens(tokensByNode: readonly (readonly bigint[])[]): Continuum64 {
    const ownerOf = new Map<bigint, number>();
    tokensByNode.forEach((tokens, node) => {
      for (const token of tokens) if (!ownerOf.has(token)) ownerOf.set(token, node);
    });
    const positions = BigInt64Array.from(ownerOf.keys()).sort();
    const owners = new Int32Array(positions.length);
    positions.forEach((token, i) => {
      owners[i] = ownerOf.get(token) as number;
    });
    return new Continuum64(positions, owners, tokensByNode.length);
  }

  pointFor(token: bigint): number {
    const positions = this.positions;
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((positions[mid] as bigint) < token) lo = mid + 1;
      else hi = mid;
    }
    return lo === positions.length ? 0 : lo;
  }

  ownerOf(token: bigint): number {
    return this.owners[this.pointFor(token)] as number;
  }

  ownersOf(token: bigint, n: number): number[] {
    return this.walker.from(this.pointFor(token), n);
  }

  shares(): Float64Array {
    const widths = new Array<bigint>(this.nodeCount).fill(0n);
    const { positions, owners } = this;
    const n = positions.length;
    for (let i = 0; i < n; i++) {
      const width = i === 0 ? (positions[0] as bigint) + SPACE_BIG - (positions[n - 1] as bigint) : (positions[i] as bigint) - (positions[i - 1] as bigint);
      const owner = owners[i] as number;
      widths[owner] = (widths[owner] as bigint) + width;
    }
    return Float64Array.from(widths, (w) => Number(w) / SPACE);
  }

  pointsPerNode(): Int32Array {
    return countPerNode(this.owners, this.nodeCount);
  }

  partition(replicas: number): Partition {
    return { kind: 'arcs64', positions: this.positions, prefs: this.walker.prefsOfEveryPoint(replicas), replicas };
  }
}
