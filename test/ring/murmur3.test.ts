// ringside's murmur3 ring against the DataStax driver's token map (Murmur3Partitioner +
// SimpleStrategy), built from the same tokens.
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { generateTokens } from '../../src/ring/murmur3.js';
import { driverRing } from '../support/cassandra-ring.js';
import { prng, randomAddresses, randomKeys } from '../support/random.js';

function randomTokens(count: number, rand: () => number): bigint[] {
  return Array.from({ length: count }, () => BigInt.asIntN(64, (BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32))));
}

describe('murmur3 ring = Cassandra Murmur3Partitioner token ring', () => {
  const keys = randomKeys(5000, 31).filter((k) => k !== '');

  it('owns keys like the driver with explicit tokens (16 per node) and RF 1 and 3', () => {
    const rand = prng(32);
    const hosts = randomAddresses(12, 33).map((addr) => ({ addr, tokens: randomTokens(16, rand) }));
    const ring = createRing({ algorithm: 'murmur3', nodes: hosts.map((h) => ({ id: h.addr, tokens: h.tokens })) });
    const rf1 = driverRing(hosts, 1);
    const rf3 = driverRing(hosts, 3);
    expect(keys.map((k) => ring.owners(k, 1))).toEqual(keys.map((k) => rf1.replicas(k)));
    expect(keys.map((k) => ring.owners(k, 3))).toEqual(keys.map((k) => rf3.replicas(k)));
  });

  it('owns keys like the driver with one token per node (classic single-token ring)', () => {
    const hosts = [
      { addr: '10.0.0.1:9042', tokens: [-9223372036854775807n] },
      { addr: '10.0.0.2:9042', tokens: [-3074457345618258603n] },
      { addr: '10.0.0.3:9042', tokens: [3074457345618258602n] },
    ];
    const ring = createRing({ algorithm: 'murmur3', nodes: hosts.map((h) => ({ id: h.addr, tokens: h.tokens })) });
    const driver = driverRing(hosts, 2);
    expect(keys.map((k) => ring.owners(k, 2))).toEqual(keys.map((k) => driver.replicas(k)));
    const shares = ring.ownership();
    expect(shares.get('10.0.0.1:9042')).toBeCloseTo(1 / 3, 9);
  });

  it('generates tokens deterministically from the node key when a node has none', () => {
    const ring = createRing({ algorithm: 'murmur3', nodes: ['a:9042', 'b:9042'], numTokens: 8 });
    const hosts = ['a:9042', 'b:9042'].map((addr) => ({ addr, tokens: generateTokens(addr, 8) }));
    const driver = driverRing(hosts, 1);
    expect(keys.map((k) => ring.owner(k))).toEqual(keys.map((k) => driver.replicas(k)[0]));
    expect([...(ring.ownershipReport().points ?? [])]).toEqual([8, 8]);
  });

  it('rejects a token claimed by two nodes', () => {
    expect(() => createRing({ algorithm: 'murmur3', nodes: [{ id: 'a', tokens: [5n] }, { id: 'b', tokens: [5n, 7n] }] })).toThrow(/token 5 is claimed by both/);
  });
});
