/**
 * Ringpop checksums (ringpop.md 3.5, 4.1-4.3), computed the way each implementation does, so an
 * observer can tell which one a cluster runs and whether its ring hash is reproducible:
 * - node membership: members sorted by address, tombstones dropped, `address+status+incarnation`
 *   joined by `;` (no trailing `;`), hashed with the cluster's hashFunc;
 * - go membership: per-member strings (with `#labels<int32>` when labelled) sorted as whole
 *   strings, each followed by `;`, Fingerprint32;
 * - ring (both; go's "legacy"): hashFunc of the sorted server addresses joined by `;`.
 * Pure; only fingerprint32 is reproducible (hash32v1 and hash32 depend on the build).
 */
import { fingerprint32, fingerprint32Bytes } from '../../ring/hash/farmhash32.js';
import type { RingpopMember } from './membership.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function nodeMembershipChecksum(members: readonly RingpopMember[], hash: (text: string) => number = fingerprint32): number {
  const text = [...members]
    .filter((m) => m.status !== 'tombstone')
    .sort((a, b) => byString(a.address, b.address))
    .map((m) => `${m.address}${m.status}${m.incarnationNumber}`)
    .join(';');
  return hash(text);
}

/** ringpop-go's labels checksum: XOR of fingerprint32(len(k) k len(v) v), as a signed int32. */
export function goLabelsChecksum(labels: Record<string, string>): number {
  let sum = 0;
  for (const [key, value] of Object.entries(labels)) {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const bytes = Buffer.alloc(8 + k.length + v.length);
    bytes.writeInt32BE(k.length, 0);
    k.copy(bytes, 4);
    bytes.writeInt32BE(v.length, 4 + k.length);
    v.copy(bytes, 8 + k.length);
    sum ^= fingerprint32Bytes(bytes);
  }
  return sum | 0;
}

export function goMembershipChecksum(members: readonly RingpopMember[]): number {
  const strings = members
    .filter((m) => m.status !== 'tombstone')
    .map((m) => {
      const labels = m.labels ? goLabelsChecksum(m.labels) : 0;
      return `${m.address}${m.status}${m.incarnationNumber}${labels !== 0 ? `#labels${labels}` : ''}`;
    })
    .sort(byString);
  return fingerprint32(strings.map((s) => `${s};`).join(''));
}

export function ringChecksum(servers: readonly string[], hash: (text: string) => number = fingerprint32): number {
  return hash([...servers].sort(byString).join(';'));
}

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
  /** Who was asked. */
  reporter: string;
}

/**
 * Detects from one member's /admin/stats whether its cluster hashes with fingerprint32: its
 * membership checksum must match a fingerprint32 formula, and its ring checksum must match the
 * fingerprint32 checksum of its ring servers. Without ring information (a join reply), the
 * membership checksum decides alone.
 */
export function detectFidelity(reporter: string, stats: { members: readonly RingpopMember[]; membershipChecksum: number | null; ringChecksum: number | null; ringServers: readonly string[] }, ringKnown = true): RingFidelity {
  let formula: ChecksumFormula | null = null;
  if (stats.membershipChecksum !== null) {
    if (nodeMembershipChecksum(stats.members) === stats.membershipChecksum) formula = 'node-fingerprint32';
    else if (goMembershipChecksum(stats.members) === stats.membershipChecksum) formula = 'go-fingerprint32';
  }
  const computed = stats.ringServers.length > 0 ? ringChecksum(stats.ringServers) : null;
  const ringMatches = ringKnown ? stats.ringChecksum !== null && computed === stats.ringChecksum : true;
  const reproducible = formula !== null && ringMatches;
  return {
    reproducible,
    formula,
    implementation: formula === 'node-fingerprint32' ? 'node' : formula === 'go-fingerprint32' ? 'go' : 'unknown',
    hash: reproducible ? 'fingerprint32' : 'unknown',
    ringChecksum: stats.ringChecksum,
    computedRingChecksum: computed,
    reporter,
  };
}
