/**
 * Partition topologies as cuts (pure). A cut says: packets from `from` never reach `to`. Named
 * topologies follow Jepsen's grudges (halves, random-halves, bridge, majorities-ring); randomness
 * comes from a seed, so a run can be repeated exactly.
 */
import { usageError } from '../../src/errors.js';

/** `ANY` stands for every address (used by --isolate). */
export const ANY = 'any';

export interface Cut {
  from: string[];
  to: string[];
}

export const TOPOLOGIES = ['halves', 'random-halves', 'bridge', 'majorities-ring'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** Cuts between every pair of groups: both ways, or only from each group to the later ones. */
export function groupCuts(groups: string[][], direction: 'both' | 'one-way' = 'both'): Cut[] {
  if (groups.length < 2) throw usageError('a partition needs at least two groups', 'pass --group twice, or --isolate HOST, or --topology');
  const seen = new Set<string>();
  for (const g of groups) {
    if (g.length === 0) throw usageError('a partition group is empty');
    for (const host of g) {
      if (seen.has(host)) throw usageError(`${host} is in two partition groups`, 'each host belongs to one group');
      seen.add(host);
    }
  }
  const cuts: Cut[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = 0; j < groups.length; j++) {
      if (i === j || (direction === 'one-way' && j < i)) continue;
      cuts.push({ from: groups[i] as string[], to: groups[j] as string[] });
    }
  }
  return cuts;
}

/** One host cut off from everyone (both ways), without needing to know the others. */
export function isolateCuts(host: string): Cut[] {
  return [
    { from: [host], to: [ANY] },
    { from: [ANY], to: [host] },
  ];
}

/** mulberry32: a small seeded PRNG, so random-halves is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Jepsen's halves: the first floor(n/2) nodes against the rest. */
export function halves(nodes: readonly string[]): string[][] {
  const half = Math.floor(nodes.length / 2);
  return [nodes.slice(0, half), nodes.slice(half)];
}

/**
 * Cuts for a named topology over `nodes` (in the order given).
 * - halves: first half | second half (both ways).
 * - random-halves: the same after a shuffle seeded with `seed`.
 * - bridge: two halves that cannot talk, and the middle node that talks to both.
 * - majorities-ring: nodes on a ring; each talks only to the nodes within distance k on either
 *   side (k = ceil((floor(n/2)) / 2)), so every node sees a majority and no two see the same one.
 */
export function topologyCuts(topology: Topology, nodes: readonly string[], seed = 0): Cut[] {
  if (new Set(nodes).size !== nodes.length) throw usageError('a node is listed twice in --nodes');
  const min = topology === 'majorities-ring' ? 4 : topology === 'bridge' ? 3 : 2;
  if (nodes.length < min) throw usageError(`topology ${topology} needs at least ${min} nodes (got ${nodes.length})`, 'list the cluster hosts with --nodes');
  switch (topology) {
    case 'halves':
      return groupCuts(halves(nodes));
    case 'random-halves':
      return groupCuts(halves(shuffle(nodes, seededRandom(seed))));
    case 'bridge': {
      const mid = Math.floor((nodes.length - 1) / 2);
      return groupCuts([nodes.slice(0, mid), nodes.slice(mid + 1)]);
    }
    case 'majorities-ring':
      return majoritiesRing(nodes);
  }
}

function majoritiesRing(nodes: readonly string[]): Cut[] {
  const n = nodes.length;
  const k = Math.ceil(Math.floor(n / 2) / 2);
  const cuts: Cut[] = [];
  for (let i = 0; i < n; i++) {
    const far: string[] = [];
    for (let j = 0; j < n; j++) {
      const d = Math.abs(i - j);
      if (Math.min(d, n - d) > k) far.push(nodes[j] as string);
    }
    // Node i never hears from the far nodes (each pair appears once from each side: both ways).
    if (far.length > 0) cuts.push({ from: far, to: [nodes[i] as string] });
  }
  return cuts;
}

/** Who can reach whom under a set of cuts (for tests and reports): true when a -> b is open. */
export function reachable(cuts: readonly Cut[], a: string, b: string): boolean {
  return !cuts.some((c) => (c.from.includes(a) || c.from.includes(ANY)) && (c.to.includes(b) || c.to.includes(ANY)) && a !== b);
}
