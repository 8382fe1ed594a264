/**
 * Exact movement between two partitions of the keyspace (src/ring/types.ts, Partition).
 *
 * Arcs: the union of both rings' points cuts the circle into elementary arcs; inside one, each
 * ring has a single preference list (that of its first point at or after the arc's end), so
 * comparing the lists arc by arc and adding up arc widths gives the exact moved fraction.
 * Cells (maglev table entries, sampled key hashes) are compared cell by cell.
 *
 * With replicas, a piece moves |after \ before| / R of its data: each node that gains the piece
 * receives a copy, from the node that lost it (paired in preference order) or, when nobody lost
 * one, from a replica that keeps it. Fractions are of all stored data, so they add up to the
 * moved fraction.
 */
import { planError } from '../errors.js';
import type { Partition } from '../ring/types.js';

export interface Transfer {
  from: string;
  to: string;
  fraction: number;
  /** Contiguous ranges (arcs, or runs of table entries) moved; null for sampled keyspaces. */
  ranges: number | null;
}

export interface PartitionDiff {
  movedFraction: number;
  transfers: Transfer[];
}

interface Accumulator {
  from: string;
  to: string;
  units: number;
  ranges: number;
  firstPiece: number;
  lastPiece: number;
}

class DiffBuilder {
  private readonly transfers = new Map<string, Accumulator>();
  private movedUnits = 0;
  private readonly beforeList: string[] = [];
  private readonly afterList: string[] = [];

  constructor(
    private readonly beforeIds: readonly string[],
    private readonly afterIds: readonly string[],
    private readonly replicas: number,
  ) {}

  /** Compares one piece of `units` size: preference lists at offsets in the two prefs arrays. */
  piece(index: number, units: number, before: Int32Array, beforeAt: number, after: Int32Array, afterAt: number): void {
    if (units === 0) return;
    const r = this.replicas;
    if (r === 1) {
      const from = this.beforeIds[before[beforeAt] as number] as string;
      const to = this.afterIds[after[afterAt] as number] as string;
      if (from !== to) this.add(index, from, to, units);
      return;
    }
    const b = this.ids(before, beforeAt, this.beforeIds, this.beforeList);
    const a = this.ids(after, afterAt, this.afterIds, this.afterList);
    const lost = b.filter((id) => !a.includes(id));
    const share = units / r;
    let k = 0;
    for (const id of a) {
      if (b.includes(id)) continue;
      const source = lost[k++] ?? b.find((old) => a.includes(old)) ?? (b[0] as string);
      this.add(index, source, id, share);
    }
  }

  result(totalUnits: number, pieces: number, countRanges: boolean): PartitionDiff {
    const transfers = [...this.transfers.values()].map((t) => {
      // A run that wraps from the last piece to the first is one range.
      const wraps = countRanges && t.ranges > 1 && t.firstPiece === 0 && t.lastPiece === pieces - 1;
      return { from: t.from, to: t.to, fraction: t.units / totalUnits, ranges: countRanges ? t.ranges - (wraps ? 1 : 0) : null };
    });
    transfers.sort((x, y) => y.fraction - x.fraction || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
    return { movedFraction: this.movedUnits / totalUnits, transfers };
  }

  private ids(prefs: Int32Array, at: number, names: readonly string[], out: string[]): string[] {
    out.length = 0;
    for (let i = 0; i < this.replicas; i++) {
      const node = prefs[at + i] as number;
      if (node >= 0) out.push(names[node] as string);
    }
    return out;
  }

  private add(index: number, from: string, to: string, units: number): void {
    this.movedUnits += units;
    const key = `${from}\u0000${to}`;
    const t = this.transfers.get(key);
    if (!t) {
      this.transfers.set(key, { from, to, units, ranges: 1, firstPiece: index, lastPiece: index });
      return;
    }
    t.units += units;
    if (index !== t.lastPiece && index !== t.lastPiece + 1) t.ranges++;
    t.lastPiece = index;
  }
}

export function diffPartitions(before: Partition, after: Partition, beforeIds: readonly string[], afterIds: readonly string[]): PartitionDiff {
  if (before.replicas !== after.replicas) throw planError('cannot compare rings with different replica counts');
  const builder = new DiffBuilder(beforeIds, afterIds, before.replicas);
  if (before.kind === 'arcs32' && after.kind === 'arcs32') return diffArcs32(before, after, builder);
  if (before.kind === 'arcs64' && after.kind === 'arcs64') return diffArcs64(before, after, builder);
  if (before.kind === 'cells' && after.kind === 'cells') {
    if (before.basis !== after.basis) throw planError(`cannot compare ${before.basis} with ${after.basis}`, 'plan with the same ring options before and after');
    const r = before.replicas;
    for (let k = 0; k < before.count; k++) builder.piece(k, 1, before.prefs, k * r, after.prefs, k * r);
    return builder.result(before.count, before.count, before.exact);
  }
  throw planError(`cannot compare a ${before.kind} ring with a ${after.kind} ring`);
}

const SPACE32 = 2 ** 32;

function diffArcs32(before: Extract<Partition, { kind: 'arcs32' }>, after: Extract<Partition, { kind: 'arcs32' }>, builder: DiffBuilder): PartitionDiff {
  const a = before.positions;
  const b = after.positions;
  const r = before.replicas;
  const na = a.length;
  const nb = b.length;
  const last = Math.max(a[na - 1] as number, b[nb - 1] as number);
  let i = 0;
  let j = 0;
  let prev = -1;
  let piece = 0;
  while (i < na || j < nb) {
    const q = Math.min(i < na ? (a[i] as number) : Infinity, j < nb ? (b[j] as number) : Infinity);
    const width = prev < 0 ? q + SPACE32 - last : q - prev;
    builder.piece(piece++, width, before.prefs, (i < na ? i : 0) * r, after.prefs, (j < nb ? j : 0) * r);
    prev = q;
    while (i < na && a[i] === q) i++;
    while (j < nb && b[j] === q) j++;
  }
  return builder.result(SPACE32, piece, true);
}

const SPACE64 = 2n ** 64n;

function diffArcs64(before: Extract<Partition, { kind: 'arcs64' }>, after: Extract<Partition, { kind: 'arcs64' }>, builder: DiffBuilder): PartitionDiff {
  const a = before.positions;
  const b = after.positions;
  const r = before.replicas;
  const na = a.length;
  const nb = b.length;
  const lastA = a[na - 1] as bigint;
  const lastB = b[nb - 1] as bigint;
  const last = lastA > lastB ? lastA : lastB;
  let i = 0;
  let j = 0;
  let prev: bigint | null = null;
  let piece = 0;
  while (i < na || j < nb) {
    const qa = i < na ? (a[i] as bigint) : null;
    const qb = j < nb ? (b[j] as bigint) : null;
    const q = qa === null ? (qb as bigint) : qb === null || qa < qb ? qa : qb;
    const width = prev === null ? q + SPACE64 - last : q - prev;
    builder.piece(piece++, Number(width), before.prefs, (i < na ? i : 0) * r, after.prefs, (j < nb ? j : 0) * r);
    prev = q;
    while (i < na && a[i] === q) i++;
    while (j < nb && b[j] === q) j++;
  }
  return builder.result(2 ** 64, piece, true);
}
