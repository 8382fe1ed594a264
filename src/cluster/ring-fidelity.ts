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

/** Whether only the replica points differ: the cluster hashes with fingerprint32, ringpop-go's replica checksum does not match 100 points. */
export function otherReplicaPoints(fidelity: RingFidelity | null): boolean {
  return fidelity !== null && !fidelity.reproducible && fidelity.hash === 'fingerprint32';
}

/** A one-line warning for `ring` and `plan` when the cluster's ring cannot be reproduced. */
export function fidelityWarning(snapshot: { cluster: { ringFidelity?: RingFidelity } }, algorithm: string): string | null {
  const fidelity = snapshot.cluster.ringFidelity;
  if (!fidelity || fidelity.reproducible || algorithm !== 'ringpop') return null;
  if (otherReplicaPoints(fidelity)) return `ringside: warning: this ringpop cluster's ring does not have 100 replica points per member (its replica checksum does not match), so the ring below is not necessarily the cluster's (use owner --protocol ringpop for the cluster's own answers)`;
  return `ringside: warning: this ringpop cluster's checksums do not match fingerprint32, so the ring below is ringside's fingerprint32 ring, not necessarily the cluster's (use owner --protocol ringpop for the cluster's own answers)`;
}
