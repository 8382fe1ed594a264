// Plans checked against brute force: the exact moved fraction computed from ring ranges must
// match what actually happens to random keys looked up in the two rings (whose lookups are
// checked against the real implementations in test/ring).
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { planChange } from '../../src/plan/plan.js';
import type { MaglevRing } from '../../src/ring/maglev.js';
import type { Algorithm } from '../../src/ring/types.js';
import { randomAddresses, randomKeys } from '../support/random.js';

const before = randomAddresses(10, 90);
const joiner = '10.99.99.99:3000';
// Distinct keys: repeats (randomKeys includes the empty key every 97th) would bias the sample.
const keys = [...new Set(randomKeys(200_000, 91))];

/** Fraction of keys whose replica set changes, weighted like the plan: |after \ before| / R. */
function empirical(algorithm: Algorithm, from: string[], to: string[], replicas: number): number {
  const a = createRing({ algorithm, nodes: from });
  const b = createRing({ algorithm, nodes: to });
  let moved = 0;
  for (const key of keys) {
    const was = a.owners(key, replicas);
    moved += b.owners(key, replicas).filter((id) => !was.includes(id)).length / replicas;
  }
  return moved / keys.length;
}

function tolerance(p: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / keys.length) + 1e-4;
}

describe('plan movement = what happens to real keys', () => {
  it.each<[Algorithm, number]>([
    ['ringpop', 1],
    ['ketama', 1],
    ['murmur3', 1],
    ['maglev', 1],
    ['ringpop', 3],
    ['murmur3', 2],
  ])('%s, replicas %i: one node joins, one leaves', (algorithm, replicas) => {
    const joined = planChange({ ring: { algorithm }, replicas, before, changes: [{ kind: 'add', node: { id: joiner, key: joiner, weight: 1 } }] });
    expect(joined.exact).toBe(true);
    const p = empirical(algorithm, before, [...before, joiner], replicas);
    expect(Math.abs(joined.movedFraction - p)).toBeLessThan(tolerance(p));

    const left = planChange({ ring: { algorithm }, replicas, before, changes: [{ kind: 'remove', id: before[4] as string }] });
    const q = empirical(algorithm, before, before.filter((n) => n !== before[4]), replicas);
    expect(Math.abs(left.movedFraction - q)).toBeLessThan(tolerance(q));
  });

  it('counts maglev table entries exactly', () => {
    const a = createRing({ algorithm: 'maglev', nodes: before }) as MaglevRing;
    const b = createRing({ algorithm: 'maglev', nodes: [...before, joiner] }) as MaglevRing;
    const ids = (ring: MaglevRing, i: number): string => (ring.nodes[ring.table[i] as number] as { id: string }).id;
    let changed = 0;
    for (let i = 0; i < a.table.length; i++) if (ids(a, i) !== ids(b, i)) changed++;
    const plan = planChange({ ring: { algorithm: 'maglev' }, replicas: 1, before, changes: [{ kind: 'add', node: { id: joiner, key: joiner, weight: 1 } }] });
    expect(plan.movedFraction).toBe(changed / 65537);
  });

  it('estimates jump and rendezvous from samples, and says so', () => {
    for (const algorithm of ['jump', 'rendezvous'] as const) {
      const plan = planChange({ ring: { algorithm, samples: 100_000 }, replicas: 1, before, changes: [{ kind: 'add', node: { id: joiner, key: joiner, weight: 1 } }] });
      expect(plan.exact).toBe(false);
      expect(plan.sampleSize).toBe(100_000);
      const p = empirical(algorithm, before, [...before, joiner], 1);
      expect(Math.abs(plan.movedFraction - p)).toBeLessThan(2 * tolerance(p));
      expect(plan.transfers.every((t) => t.ranges === null)).toBe(true);
    }
  });
});

describe('plan bookkeeping', () => {
  const plan = planChange({
    ring: { algorithm: 'ringpop' },
    replicas: 1,
    before,
    changes: [
      { kind: 'add', node: { id: joiner, key: joiner, weight: 1 } },
      { kind: 'remove', id: before[0] as string },
    ],
    keys: keys.slice(0, 5000),
    dataBytes: 1e12,
    stepByStep: true,
  });

  it('transfers add up to the moved fraction, shares to 1 before and after', () => {
    expect(plan.transfers.reduce((s, t) => s + t.fraction, 0)).toBeCloseTo(plan.movedFraction, 12);
    expect(plan.nodes.reduce((s, n) => s + n.before, 0)).toBeCloseTo(1, 12);
    expect(plan.nodes.reduce((s, n) => s + n.after, 0)).toBeCloseTo(1, 12);
    expect(plan.movedBytes).toBe(Math.round(plan.movedFraction * 1e12));
    for (const t of plan.transfers) expect(t.bytes).toBe(Math.round(t.fraction * 1e12));
    const added = plan.nodes.find((n) => n.node === joiner);
    expect(added?.status).toBe('added');
    expect(plan.transfers.filter((t) => t.to === joiner).reduce((s, t) => s + t.fraction, 0)).toBeCloseTo(added?.after ?? -1, 12);
    expect(plan.nodes.find((n) => n.node === before[0])?.status).toBe('removed');
  });

  it('lists exactly the keys whose owner changes', () => {
    const a = createRing({ algorithm: 'ringpop', nodes: before });
    const b = createRing({ algorithm: 'ringpop', nodes: [...before.slice(1), joiner] });
    const expected = keys.slice(0, 5000).filter((k) => a.owner(k) !== b.owner(k));
    expect(plan.keys?.map((k) => k.key)).toEqual(expected);
    expect(plan.keys?.every((k) => k.from === a.owner(k.key) && k.to === b.owner(k.key))).toBe(true);
    expect(plan.keysTotal).toBe(5000);
    expect(plan.keysMoved).toBe(expected.length);
  });

  it('goes step by step, adds first, and sums the steps', () => {
    expect(plan.steps?.map((s) => s.change)).toEqual([`add ${joiner}`, `remove ${before[0]}`]);
    expect(plan.stepsMovedFraction).toBeCloseTo((plan.steps ?? []).reduce((s, x) => s + x.movedFraction, 0), 12);
    expect(plan.stepsMovedFraction).toBeGreaterThanOrEqual(plan.movedFraction - 1e-12);
    expect(plan.steps?.[0]?.idealFraction).toBeCloseTo(1 / 11, 12);
    expect(plan.steps?.[1]?.idealFraction).toBeCloseTo(1 / 11, 12);
  });
});

describe('ideal movement', () => {
  const ring = { algorithm: 'ringpop' as const };
  it('is 1/(N+1) for one join and 1/N for one leave, with equal nodes', () => {
    expect(planChange({ ring, replicas: 1, before, changes: [{ kind: 'add', node: { id: joiner, key: joiner, weight: 1 } }] }).idealFraction).toBeCloseTo(1 / 11, 12);
    expect(planChange({ ring, replicas: 1, before, changes: [{ kind: 'remove', id: before[3] as string }] }).idealFraction).toBeCloseTo(1 / 10, 12);
  });

  it('follows weights', () => {
    const plan = planChange({ ring: { algorithm: 'ketama' }, replicas: 1, before: [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }], changes: [{ kind: 'add', node: { id: 'c', key: 'c', weight: 2 } }] });
    expect(plan.idealFraction).toBeCloseTo(0.5, 12);
  });
});

describe('jump hash, honestly', () => {
  const shards = Array.from({ length: 10 }, (_, i) => `shard-${String(i).padStart(2, '0')}`);
  it('moves about 1/N when the last node leaves, and most keys when the first one does', () => {
    const last = planChange({ ring: { algorithm: 'jump' }, replicas: 1, before: shards, changes: [{ kind: 'remove', id: 'shard-09' }] });
    const first = planChange({ ring: { algorithm: 'jump' }, replicas: 1, before: shards, changes: [{ kind: 'remove', id: 'shard-00' }] });
    expect(last.movedFraction).toBeCloseTo(0.1, 2);
    expect(first.movedFraction).toBeGreaterThan(0.85);
    expect(first.idealFraction).toBeCloseTo(0.1, 12);
    expect(first.overIdeal).toBeGreaterThan(8);
  });
});

describe('plan to a target membership', () => {
  it('finds what was added, removed and re-weighted, and ends on the target ring', () => {
    const from = [{ id: 'a', weight: 1 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }];
    const to = [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }, { id: 'd', weight: 1 }];
    const plan = planChange({ ring: { algorithm: 'ketama' }, replicas: 1, before: from, target: to, stepByStep: true });
    expect(plan.change).toEqual({ added: ['d'], removed: ['c'], updated: ['b'] });
    expect(plan.steps?.map((s) => s.change)).toEqual(['add d', 'remove c', 'update b']);
    const end = createRing({ algorithm: 'ketama', nodes: to }).ownership();
    for (const n of plan.nodes) expect(n.after).toBe(end.get(n.node) ?? 0);
  });
});
