// ringside's maglev table against the paper's Pseudocode 1 (with Envoy's weighting) compiled
// from C and hashed with Debian's libxxhash.
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { MaglevRing } from '../../src/ring/maglev.js';
import { runReference } from '../reference/index.js';
import { randomAddresses, randomKeys } from '../support/random.js';

async function reference(size: number, nodes: { key: string; weight: number }[], keys: string[]) {
  const input = [`${size} ${nodes.length}`, ...nodes.map((n) => `${n.weight} ${n.key}`), ...keys].join('\n') + '\n';
  const [table = '', ...owners] = (await runReference('maglev', input)).split('\n');
  return { table: table.split(' ').map(Number), owners: owners.slice(0, keys.length).map(Number) };
}

describe('maglev = Maglev paper / Envoy table', () => {
  it.each([
    [65537, 3],
    [65537, 50],
    [7, 3],
    [655373, 200],
  ])('builds the same table as the reference (M=%i, %i equal nodes) and looks keys up the same way', async (size, count) => {
    const addresses = randomAddresses(count, count);
    const keys = randomKeys(3000, count).filter((k) => !k.includes('\n'));
    const ring = createRing({ algorithm: 'maglev', nodes: addresses, tableSize: size }) as MaglevRing;
    const ref = await reference(size, addresses.map((key) => ({ key, weight: 1 })), keys);
    expect(Array.from(ring.table)).toEqual(ref.table);
    expect(keys.map((k) => ring.ownerIndex(k))).toEqual(ref.owners);
  });

  it('weights nodes like Envoy (weights 1, 1, 2, 5, 0.5)', async () => {
    const addresses = randomAddresses(5, 77);
    const weights = [1, 1, 2, 5, 0.5];
    const ring = createRing({ algorithm: 'maglev', nodes: addresses.map((id, i) => ({ id, weight: weights[i] })) }) as MaglevRing;
    const ordered = ring.nodes.map((n) => ({ key: n.key, weight: n.weight }));
    const ref = await reference(65537, ordered, []);
    expect(Array.from(ring.table)).toEqual(ref.table);
    const shares = ring.ownershipReport().shares;
    ring.nodes.forEach((node, i) => expect(shares[i]).toBeCloseTo(node.weight / 9.5, 2));
  });

  it('reports exact ownership from table counts', () => {
    const ring = createRing({ algorithm: 'maglev', nodes: ['a:1', 'b:1', 'c:1'] });
    const report = ring.ownershipReport();
    expect(report.exact).toBe(true);
    expect([...(report.points ?? [])].reduce((a, b) => a + b, 0)).toBe(65537);
  });
});
