// ringside's ketama ring against npm hashring (a libketama-compatible continuum) and against
// libketama's own digest-count arithmetic compiled from C.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { ketamaDigests } from '../../src/ring/ketama.js';
import { sortNodesByKey } from '../../src/ring/node-order.js';
import { runReference } from '../reference/index.js';
import { randomAddresses, randomKeys } from '../support/random.js';

const require = createRequire(import.meta.url);
const HashRing = require('hashring') as new (
  servers: string[] | Record<string, number>,
  algorithm?: string,
  options?: Record<string, unknown>,
) => { get(key: string): string; range(key: string, size: number, unique?: boolean): string[] };

/** Servers in ringside's canonical order, so equal points tie-break the same way in both. */
function canonical(servers: string[]): string[] {
  return sortNodesByKey(servers.map((s) => ({ id: s, key: s, weight: 1 }))).map((n) => n.id);
}

describe('ketama ring = libketama continuum (npm hashring)', () => {
  it.each([1, 2, 3, 10, 50, 100])('owns keys like hashring with %i equal servers', (count) => {
    const servers = canonical(randomAddresses(count, count));
    const peer = new HashRing(servers, 'md5', { 'max cache size': 1 });
    const ring = createRing({ algorithm: 'ketama', nodes: servers });
    const keys = randomKeys(10_000, count);
    expect(keys.map((k) => ring.owner(k))).toEqual(keys.map((k) => peer.get(k)));
  });

  it('owns keys like hashring with weighted servers', () => {
    const servers = canonical(randomAddresses(4, 40));
    const weights = Object.fromEntries(servers.map((s, i) => [s, i + 1]));
    const peer = new HashRing(weights, 'md5', { 'max cache size': 1 });
    const ring = createRing({ algorithm: 'ketama', nodes: servers, weights });
    const keys = randomKeys(10_000, 41);
    expect(keys.map((k) => ring.owner(k))).toEqual(keys.map((k) => peer.get(k)));
    expect([...(ring.ownershipReport().points ?? [])]).toEqual(servers.map((s) => ketamaDigests(weights[s] as number, 10, 4, 40) * 4));
  });

  it("counts digests in single precision as ketama.c does (7 equal servers get 40, not 39)", async () => {
    const cases = [[1, 1, 1, 1, 1, 1, 1], Array(61).fill(1), Array(14).fill(1), [21, 16, 1, 1, 1], [3, 5, 7, 11, 13], Array(100).fill(2)];
    for (const weights of cases) {
      const total = weights.reduce((a, b) => a + b, 0);
      const expected = (await runReference('ketama-digests', weights.join('\n') + '\n')).trim().split('\n').map(Number);
      expect(weights.map((w) => ketamaDigests(w, total, weights.length, 40))).toEqual(expected);
    }
    expect(ketamaDigests(1, 7, 7, 40)).toBe(40);
  });

  it('lists replicas as distinct servers walking clockwise, like hashring.range', () => {
    const servers = canonical(randomAddresses(12, 44));
    const peer = new HashRing(servers, 'md5', { 'max cache size': 1 });
    const ring = createRing({ algorithm: 'ketama', nodes: servers });
    for (const key of randomKeys(2000, 45)) expect(ring.owners(key, 3)).toEqual(peer.range(key, 3, true));
  });
});
