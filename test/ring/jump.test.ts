// ringside's jump ring against the paper's reference function compiled from C, with
// fingerprint64 (checked against npm farmhash in test/hash) as the key input.
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { fingerprint64 } from '../../src/ring/hash/farmhash64.js';
import { jumpBucket } from '../../src/ring/jump.js';
import { runReference } from '../reference/index.js';
import { prng, randomKeys } from '../support/random.js';

function randomU64(rand: () => number): bigint {
  return (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32));
}

describe('jump consistent hash = Lamping & Veach reference', () => {
  it('gives the reference bucket for random 64-bit keys and bucket counts 1..2^31-1', async () => {
    const rand = prng(5);
    const cases = Array.from({ length: 20_000 }, (_, i) => {
      const buckets = i % 4 === 0 ? 1 + Math.floor(rand() * 10) : i % 4 === 1 ? 1 + Math.floor(rand() * 2000) : 1 + Math.floor(rand() * (2 ** 31 - 1));
      return { key: i < 3 ? [0n, 1n, 2n ** 64n - 1n][i]! : randomU64(rand), buckets };
    });
    const out = await runReference('jump', cases.map((c) => `${c.key} ${c.buckets}\n`).join(''));
    const expected = out.trim().split('\n').map(Number);
    const actual = cases.map((c) => jumpBucket(Number(c.key >> 32n), Number(c.key & 0xffffffffn), c.buckets));
    expect(actual).toEqual(expected);
  });

  it('places keys by the bucket of fingerprint64(key), nodes in byte order of their keys', async () => {
    const nodes = ['shard-07', 'shard-01', 'shard-10', 'shard-02', 'shard-03'];
    const ordered = [...nodes].sort();
    const keys = randomKeys(3000, 6);
    const out = await runReference('jump', keys.map((k) => `${fingerprint64(k)} ${nodes.length}\n`).join(''));
    const expected = out.trim().split('\n').map((b) => ordered[Number(b)]);
    const ring = createRing({ algorithm: 'jump', nodes });
    expect(keys.map((k) => ring.owner(k))).toEqual(expected);
  });

  it('estimates ownership from a sample and says so', () => {
    const ring = createRing({ algorithm: 'jump', nodes: ['a', 'b', 'c', 'd'] });
    const report = ring.ownershipReport();
    expect(report.exact).toBe(false);
    expect(report.sampleSize).toBe(1_000_000);
    for (const share of report.shares) expect(share).toBeGreaterThan(0.245);
    for (const share of report.shares) expect(share).toBeLessThan(0.255);
  });
});
