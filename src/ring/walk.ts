/**
 * Clockwise walks over a ring's points (or a maglev table), collecting distinct owners: how
 * ringpop's lookupN, Cassandra's SimpleStrategy and libketama-style replica lists pick the
 * preference list of a key.
 */
export class OwnerWalker {
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(
    private readonly owners: Int32Array,
    nodeCount: number,
  ) {
    this.stamp = new Uint32Array(nodeCount);
  }

  /** Up to `n` distinct owners starting at point `start`, walking forward and wrapping. */
  from(start: number, n: number, out: number[] = []): number[] {
    out.length = 0;
    const owners = this.owners;
    const total = owners.length;
    if (total === 0 || n <= 0) return out;
    const gen = this.nextGeneration();
    for (let k = 0, i = start; k < total && out.length < n; k++, i = i + 1 === total ? 0 : i + 1) {
      const owner = owners[i] as number;
      if (this.stamp[owner] !== gen) {
        this.stamp[owner] = gen;
        out.push(owner);
      }
    }
    return out;
  }

  /** Preference lists of every point: `replicas` entries per point (-1 where fewer nodes exist). */
  prefsOfEveryPoint(replicas: number): Int32Array {
    const total = this.owners.length;
    if (replicas === 1) return Int32Array.from(this.owners);
    const prefs = new Int32Array(total * replicas).fill(-1);
    const list: number[] = [];
    for (let i = 0; i < total; i++) {
      this.from(i, replicas, list);
      for (let r = 0; r < list.length; r++) prefs[i * replicas + r] = list[r] as number;
    }
    return prefs;
  }

  private nextGeneration(): number {
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }
}

/** How many entries of `owners` each node has (points per node, table entries, sampled keys). */
export function countPerNode(owners: Int32Array, nodeCount: number): Int32Array {
  const counts = new Int32Array(nodeCount);
  for (const owner of owners) if (owner >= 0) counts[owner] = (counts[owner] as number) + 1;
  return counts;
}
