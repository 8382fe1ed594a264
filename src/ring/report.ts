/** The share of the keyspace each node owns, as `ringside ring` reports it. */
import { type Imbalance, imbalanceOf } from './imbalance.js';
import type { Partition, Ring } from './types.js';
import { countPerNode } from './walk.js';

export interface RingNodeReport {
  node: string;
  addr: string | null;
  /** Points (vnodes, tokens, table entries); null for algorithms without points. */
  points: number | null;
  weight: number;
  /** Fraction of the keyspace this node owns as primary (0..1). */
  ownership: number;
  /** Ownership over the node's fair share (1.0 = exactly fair). */
  load: number;
  /** With --replicas > 1: fraction of keys this node holds a replica of (sums to replicas). */
  effectiveOwnership?: number;
}

export interface RingReport {
  algorithm: string;
  hash: string;
  vnodes: number | null;
  tableSize: number | null;
  numTokens: number | null;
  replicas: number;
  exact: boolean;
  sampleSize: number | null;
  nodes: RingNodeReport[];
  imbalance: Imbalance;
  excluded: { name: string; reason: string }[];
}

/** Fraction of the keyspace for which each node is among the replicas. */
export function effectiveShares(partition: Partition, nodeCount: number): Float64Array {
  const r = partition.replicas;
  const shares = new Float64Array(nodeCount);
  const credit = (piece: number, amount: number): void => {
    for (let k = 0; k < r; k++) {
      const node = partition.prefs[piece * r + k] as number;
      if (node >= 0) shares[node] = (shares[node] as number) + amount;
    }
  };
  if (partition.kind === 'cells') {
    const counts = countPerNode(partition.prefs, nodeCount);
    return Float64Array.from(counts, (c) => c / partition.count);
  }
  const n = partition.positions.length;
  if (partition.kind === 'arcs32') {
    const p = partition.positions;
    for (let i = 0; i < n; i++) credit(i, (i === 0 ? (p[0] as number) + 2 ** 32 - (p[n - 1] as number) : (p[i] as number) - (p[i - 1] as number)) / 2 ** 32);
  } else {
    const p = partition.positions;
    for (let i = 0; i < n; i++) credit(i, Number(i === 0 ? (p[0] as bigint) + 2n ** 64n - (p[n - 1] as bigint) : (p[i] as bigint) - (p[i - 1] as bigint)) / 2 ** 64);
  }
  return shares;
}

export function describeRing(ring: Ring, options: { replicas: number; addrs: ReadonlyMap<string, string>; excluded?: { name: string; reason: string }[] }): RingReport {
  const report = ring.ownershipReport();
  const weights = ring.nodes.map((n) => n.weight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const effective = options.replicas > 1 ? effectiveShares(ring.partition(options.replicas), ring.nodes.length) : undefined;
  return {
    algorithm: ring.algorithm,
    hash: ring.settings.hash,
    vnodes: ring.settings.vnodes,
    tableSize: ring.settings.tableSize,
    numTokens: ring.settings.numTokens,
    replicas: options.replicas,
    exact: report.exact,
    sampleSize: report.sampleSize,
    nodes: ring.nodes.map((node, i) => {
      const ownership = report.shares[i] as number;
      const entry: RingNodeReport = {
        node: node.id,
        addr: options.addrs.get(node.id) ?? null,
        points: report.points ? (report.points[i] as number) : null,
        weight: node.weight,
        ownership,
        load: ownership / (node.weight / totalWeight),
      };
      if (effective) entry.effectiveOwnership = effective[i] as number;
      return entry;
    }),
    imbalance: imbalanceOf(report.shares, weights),
    excluded: options.excluded ?? [],
  };
}
