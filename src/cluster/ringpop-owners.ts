/**
 * `owner --protocol ringpop --join ...`: owners from ringside's ring when the cluster's checksums
 * prove it hashes with fingerprint32 (ringpop.md 4.2), otherwise from the cluster's own
 * `/admin/lookup`, and the answer says which (`resolvedBy`, plus a note), never silently a ring
 * built with a different hash than the cluster's.
 */
import { type LiveSourceOptions, createObserver, snapshotOf, withObserver } from './live.js';
import { usageError } from '../errors.js';
import { checkReplicas, type ClusterRingOptions, clusterRing } from './cluster-ring.js';
import { lookupOwners, type OwnerRecord } from '../ring/lookup.js';
import { otherReplicaPoints, type RingFidelity } from './ring-fidelity.js';
import { RingpopObserver } from '../protocols/ringpop/observer.js';

export interface RingpopOwnerRecord extends Omit<OwnerRecord, 'hash'> {
  /** The key's fingerprint32; null when the cluster answered (its hash is not reproducible). */
  hash: number | bigint | null;
  /** `ring`: ringside's ring, checked against the cluster's checksums; `cluster-lookup`: a member's /admin/lookup. */
  resolvedBy: 'ring' | 'cluster-lookup';
}

export interface RingpopOwners {
  records: RingpopOwnerRecord[];
  fidelity: RingFidelity | null;
  /** For humans: why and how the owners were found, when not from ringside's own ring. */
  note: string | null;
}

/** Whether the ring flags ask for ringpop's own ring (so the cluster's fidelity matters). */
function wantsClusterRing(options: ClusterRingOptions): boolean {
  return options.algorithm === 'ringpop' && (options.hash === undefined || options.hash === 'fingerprint32') && (options.vnodes === undefined || options.vnodes === 100) && (options.nodeKey === undefined || options.nodeKey === 'addr') && (options.filters ?? []).length === 0;
}

export async function ringpopOwners(live: LiveSourceOptions, keys: readonly string[], ringOptions: ClusterRingOptions, replicas: number): Promise<RingpopOwners> {
  return withObserver(await createObserver(live), async (observer) => {
    const snapshot = snapshotOf(observer);
    const fidelity = observer instanceof RingpopObserver ? (observer.fidelity() ?? null) : null;
    if (!wantsClusterRing(ringOptions) || fidelity?.reproducible) {
      const { ring, addrs } = clusterRing(snapshot, ringOptions);
      checkReplicas(replicas, ring);
      return { records: lookupOwners(ring, keys, replicas, addrs).map((r) => ({ ...r, resolvedBy: 'ring' as const })), fidelity, note: null };
    }
    if (replicas !== 1) throw usageError(`--replicas ${replicas} needs ringside's own ring, but this cluster's ring cannot be reproduced (${whyNotReproducible(fidelity)})`, 'use --replicas 1: owners then come from the cluster\'s /admin/lookup');
    const { reporter, owners } = await (observer as RingpopObserver).lookup(keys);
    const note = `ring not reproducible (${whyNotReproducible(fidelity)}); owners answered by ${reporter}'s /admin/lookup`;
    return { records: keys.map((key, i) => ({ key, hash: null, owners: [owners[i] as string], addrs: [owners[i] as string], resolvedBy: 'cluster-lookup' as const })), fidelity, note };
  });
}

function whyNotReproducible(fidelity: RingFidelity | null): string {
  return otherReplicaPoints(fidelity) ? "the ring's replica checksum does not match 100 replica points: a ringpop-go HashRingConfig with other ReplicaPoints?" : "the cluster's checksums do not match fingerprint32: a platform-bound farmhash?";
}

