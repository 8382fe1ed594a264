// ringside's rendezvous hashing against a C reference of go-rendezvous (go-redis Ring) with
// weights by the logarithmic method, hashed with Debian's libxxhash.
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { runReference } from '../reference/index.js';
import { randomAddresses, randomKeys } from '../support/random.js';

async function reference(nodes: { key: string; weight: number }[], keys: string[], replicas: number): Promise<number[][]> {
  const input = [`${nodes.length} ${replicas}`, ...nodes.map((n) => `${n.weight} ${n.key}`), ...keys].join('\n') + '\n';
  const lines = (await runReference('rendezvous', input)).trim().split('\n');
  return lines.map((line) => line.split(' ').map(Number));
}

describe('rendezvous = go-rendezvous (+ logarithmic weights)', () => {
  const keys = randomKeys(5000, 12).filter((k) => !k.includes('\n'));

  it.each([1, 2, 9, 64])('ranks %i equal nodes like go-rendezvous', async (count) => {
    const ring = createRing({ algorithm: 'rendezvous', nodes: randomAddresses(count, count + 100) });
    const expected = await reference(ring.nodes.map((n) => ({ key: n.key, weight: 1 })), keys, Math.min(3, count));
    expect(keys.map((k) => ring.ownerIndices(k, 3))).toEqual(expected);
  });

  it('ranks weighted nodes by -w / ln(u)', async () => {
    const addresses = randomAddresses(6, 300);
    const weights = [1, 2, 3, 0.25, 10, 1];
    const ring = createRing({ algorithm: 'rendezvous', nodes: addresses.map((id, i) => ({ id, weight: weights[i] })) });
    const expected = await reference(ring.nodes.map((n) => ({ key: n.key, weight: n.weight })), keys, 4);
    expect(keys.map((k) => ring.ownerIndices(k, 4))).toEqual(expected);
  });

  it('gives each node its weighted share (estimated, with the sample size)', () => {
    const ring = createRing({ algorithm: 'rendezvous', nodes: [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }] });
    const report = ring.ownershipReport();
    expect(report.exact).toBe(false);
    expect(report.sampleSize).toBe(1_000_000);
    const shares = ring.ownership();
    expect(shares.get('a')).toBeCloseTo(0.25, 2);
    expect(shares.get('b')).toBeCloseTo(0.75, 2);
  });
});
