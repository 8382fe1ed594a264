/**
 * Rings made of points on a circle (ringpop, ketama: 32-bit hashes; murmur3: 64-bit tokens): a
 * key is looked up at its hash, and ownership is exact from the arcs between points.
 */
import { BaseRing } from './base-ring.js';
import type { OwnershipReport, Partition } from './types.js';

/** What a point ring needs from its circle (Continuum32, Continuum64). */
export interface Continuum<P> {
  ownerOf(position: P): number;
  ownersOf(position: P, n: number): number[];
  shares(): Float64Array;
  pointsPerNode(): Int32Array;
  partition(replicas: number): Partition;
}

export abstract class PointRing<P extends number | bigint> extends BaseRing {
  protected abstract readonly continuum: Continuum<P>;

  abstract override keyHash(key: string): P;

  ownerIndex(key: string): number {
    return this.continuum.ownerOf(this.keyHash(key));
  }

  ownerIndices(key: string, n: number): number[] {
    return this.continuum.ownersOf(this.keyHash(key), n);
  }

  protected computeOwnership(): OwnershipReport {
    return { shares: this.continuum.shares(), points: this.continuum.pointsPerNode(), exact: true, sampleSize: null };
  }

  protected computePartition(replicas: number): Partition {
    return this.continuum.partition(replicas);
  }
}
