/**
 * Whether ringside's own ring reproduces a Ringpop cluster's ring, as its checksums prove it
 * (src/protocols/ringpop/checksum.ts detects it; snapshots and `owner` carry it).
 */
export type ChecksumFormula = 'node-fingerprint32' | 'go-fingerprint32';

export interface RingFidelity {
  /** Whether ringside's fingerprint32 ring is the cluster's ring. */
  reproducible: boolean;
  /** Which formula reproduced the member's membership checksum, if any. */
  formula: ChecksumFormula | null;
  implementation: 'node' | 'go' | 'unknown';
  hash: 'fingerprint32' | 'unknown';
  /** The ring checksum the member reported, and the one ringside computes from its servers. */
  ringChecksum: number | null;
  computedRingChecksum: number | null;
  /**
   * ringpop-go only: the ring's replica checksum it reported, and ringside's for 100 replica
   * points; they differ when the cluster was configured with other replica points.
   */
  replicaChecksum?: number;
  computedReplicaChecksum?: number;
  /** Who was asked. */
  reporter: string;
}
