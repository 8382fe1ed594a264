/**
 * Ringpop checksums (ringpop.md 3.5, 4.1-4.3), computed the way each implementation does, so an
 * observer can tell which one a cluster runs and whether its ring hash is reproducible:
 * - node membership: members sorted by address, tombstones dropped, `address+status+incarnation`
 *   joined by `;` (no trailing `;`), hashed with the cluster's hashFunc;
 * - go membership: per-member strings (with `#labels<int32>` when labelled) sorted as whole
 *   strings, each followed by `;`, Fingerprint32;
 * - ring (both; go's "legacy"): hashFunc of the sorted server addresses joined by `;`; ringpop-go
 *   lists a member's identity (its `__identity` label) instead of its address when it has one;
 * - go's ring "replica" checksum: Fingerprint32 of every replica point in ring order, each as
 *   `<point hash>-<address>;`: the one checksum that depends on the number of replica points.
 * Pure; only fingerprint32 is reproducible (hash32v1 and hash32 depend on the build).
 */
import { fingerprint32, fingerprint32Bytes } from '../../ring/hash/farmhash32.js';
import { RINGPOP_DEFAULT_POINTS, RINGPOP_IDENTITY_LABEL, ringpopIdentity, ringpopPlacementKey } from '../../ring/ringpop.js';
import type { RingpopMember } from './membership.js';
import type { ChecksumFormula, RingFidelity } from '../../cluster/ring-fidelity.js';

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

/** ringpop-go's replica checksum of the ring of these servers (identity: its `__identity` label) at `replicaPoints` points each. */
export function goReplicaChecksum(servers: readonly { address: string; identity?: string | undefined }[], replicaPoints: number): number {
  const points: { hash: number; address: string; index: number }[] = [];
  for (const { address, identity } of servers) {
    const key = ringpopPlacementKey(address, identity);
    for (let index = 0; index < replicaPoints; index++) points.push({ hash: fingerprint32(`${key}${index}`), address, index });
  }
  // hashring's order: point hash, then address, then replica index.
  points.sort((a, b) => a.hash - b.hash || byString(a.address, b.address) || a.index - b.index);
  return fingerprint32(points.map((p) => `${p.hash}-${p.address};`).join(''));
}

/**
 * Detects from one member's /admin/stats whether its cluster hashes with fingerprint32: its
 * membership checksum must match a fingerprint32 formula, and its ring checksum must match the
 * fingerprint32 checksum of its ring servers; a ringpop-go replica checksum, when reported, must
 * match 100 replica points. Without ring information (a join reply), the membership checksum
 * decides alone.
 */
export function detectFidelity(
  reporter: string,
  stats: { members: readonly RingpopMember[]; membershipChecksum: number | null; ringChecksum: number | null; ringServers: readonly string[]; ringChecksums?: Record<string, number> },
  ringKnown = true,
): RingFidelity {
  let formula: ChecksumFormula | null = null;
  if (stats.membershipChecksum !== null) {
    if (nodeMembershipChecksum(stats.members) === stats.membershipChecksum) formula = 'node-fingerprint32';
    else if (goMembershipChecksum(stats.members) === stats.membershipChecksum) formula = 'go-fingerprint32';
  }
  const identities = new Map(stats.members.map((m) => [m.address, m.labels?.[RINGPOP_IDENTITY_LABEL]]));
  const computed = stats.ringServers.length > 0 ? ringChecksum(stats.ringServers.map((s) => ringpopIdentity(s, identities.get(s)))) : null;
  const replica = stats.ringChecksums?.replica;
  const computedReplica = ringKnown && replica !== undefined ? goReplicaChecksum(stats.ringServers.map((address) => ({ address, identity: identities.get(address) })), RINGPOP_DEFAULT_POINTS) : undefined;
  // fingerprint32 placed these servers; the replica checksum then tells whether at 100 points each.
  const fingerprint = formula !== null && (ringKnown ? stats.ringChecksum !== null && computed === stats.ringChecksum : true);
  const reproducible = fingerprint && computedReplica === replica;
  return {
    reproducible,
    formula,
    implementation: formula === 'node-fingerprint32' ? 'node' : formula === 'go-fingerprint32' ? 'go' : 'unknown',
    hash: fingerprint ? 'fingerprint32' : 'unknown',
    ringChecksum: stats.ringChecksum,
    computedRingChecksum: computed,
    ...(replica !== undefined && computedReplica !== undefined ? { replicaChecksum: replica, computedReplicaChecksum: computedReplica } : {}),
    reporter,
  };
}
