/**
 * A ring computed from a cluster's membership: which members take part (src/cluster/
 * ring-members.ts) placed by the chosen algorithm. Every command that answers ownership
 * questions goes through here, so `owner`, `ring`, `plan` and the dashboard agree.
 */
import { type NodeKeySpec, parseFilters, parseNodeKey, type RingMembership, selectRingMembers } from './ring-members.js';
import type { MembershipSnapshot } from './snapshot.js';
import { ringError } from '../errors.js';
import { createRing, isAlgorithm } from '../ring/create-ring.js';
import { ALGORITHMS, type Algorithm, type Ring, type RingOptions } from '../ring/types.js';

export interface ClusterRingOptions {
  algorithm: string;
  hash?: string;
  vnodes?: number;
  tableSize?: number;
  numTokens?: number;
  samples?: number;
  /** `addr`, `name` or `tag:NAME`. */
  nodeKey?: string;
  /** `TAG=VALUE` pairs. */
  filters?: readonly string[];
  weightTag?: string;
}

export interface ClusterRing extends RingMembership {
  ring: Ring;
}

export function algorithmOf(name: string): Algorithm {
  if (!isAlgorithm(name)) throw ringError(`unknown ring algorithm "${name}"`, `use one of ${ALGORITHMS.join(', ')}`);
  return name;
}

/** Ring options without nodes, from the cluster-ring options. */
export function ringSettingsOf(options: ClusterRingOptions): Omit<RingOptions, 'nodes'> {
  const settings: Omit<RingOptions, 'nodes'> = { algorithm: algorithmOf(options.algorithm) };
  if (options.hash !== undefined) settings.hash = options.hash;
  if (options.vnodes !== undefined) settings.vnodes = options.vnodes;
  if (options.tableSize !== undefined) settings.tableSize = options.tableSize;
  if (options.numTokens !== undefined) settings.numTokens = options.numTokens;
  if (options.samples !== undefined) settings.samples = options.samples;
  return settings;
}

export function ringMembershipOf(snapshot: MembershipSnapshot, options: ClusterRingOptions): RingMembership {
  const algorithm = algorithmOf(options.algorithm);
  const nodeKey: NodeKeySpec | undefined = options.nodeKey === undefined ? undefined : parseNodeKey(options.nodeKey);
  return selectRingMembers(snapshot.members, {
    algorithm,
    ...(nodeKey ? { nodeKey } : {}),
    filters: parseFilters(options.filters ?? []),
    ...(options.weightTag !== undefined ? { weightTag: options.weightTag } : {}),
  });
}

export function clusterRing(snapshot: MembershipSnapshot, options: ClusterRingOptions): ClusterRing {
  const membership = ringMembershipOf(snapshot, options);
  const ring = createRing({ ...ringSettingsOf(options), nodes: membership.nodes });
  return { ...membership, ring };
}

/** Checks a replica count against the ring (exit 2 when impossible). */
export function checkReplicas(replicas: number, ring: Ring): void {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > ring.nodes.length) {
    throw ringError(`--replicas ${replicas} is impossible with ${ring.nodes.length} node${ring.nodes.length === 1 ? '' : 's'} in the ring`, `use 1 to ${ring.nodes.length}`);
  }
}
