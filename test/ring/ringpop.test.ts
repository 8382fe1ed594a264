// ringside's ringpop ring against ringpop 10.21.0's own HashRing, installed from npm.
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { randomAddresses, randomKeys } from '../support/random.js';
import { askRingpop } from '../support/ringpop-oracle.js';

describe('ringpop ring = ringpop-node HashRing', () => {
  it('owns every key like ringpop on 100 servers x 100 points (20,000 keys, lookup and lookupN)', async () => {
    const servers = randomAddresses(100);
    const keys = randomKeys(20_000);
    const peer = await askRingpop({ servers, replicaPoints: 100, keys, n: 3 });
    const ring = createRing({ algorithm: 'ringpop', nodes: servers });
    expect(keys.map((k) => ring.owner(k))).toEqual(peer.lookup);
    expect(keys.map((k) => ring.owners(k, 3))).toEqual(peer.lookupN);
  });

  it.each([1, 3, 7, 256])('matches with %i replica points', async (points) => {
    const servers = randomAddresses(37, points);
    const keys = randomKeys(5000, points);
    const peer = await askRingpop({ servers, replicaPoints: points, keys, n: 5 });
    const ring = createRing({ algorithm: 'ringpop', nodes: servers, vnodes: points });
    expect(keys.map((k) => ring.owner(k))).toEqual(peer.lookup);
    expect(keys.map((k) => ring.owners(k, 5))).toEqual(peer.lookupN);
  });

  it('breaks ties on equal point hashes the way ringpop does (by address)', async () => {
    // "h:30" + "12" and "h:301" + "2" are the same string, so nested addresses share points.
    const servers = ['h:30', 'h:301', 'h:3012', 'h:30123', 'h:3', 'h:301234'];
    const keys = randomKeys(60_000, 5);
    const peer = await askRingpop({ servers, replicaPoints: 100, keys, n: 6 });
    const ring = createRing({ algorithm: 'ringpop', nodes: [...servers].reverse() });
    expect(keys.map((k) => ring.owner(k))).toEqual(peer.lookup);
    expect(keys.map((k) => ring.owners(k, 6))).toEqual(peer.lookupN);
  });

  it('gives the same answers with --hash hash32 as ringpop with useLatestHash32', async () => {
    const servers = randomAddresses(20, 9);
    const keys = randomKeys(3000, 9);
    const peer = await askRingpop({ servers, hash: 'hash32', keys });
    const ring = createRing({ algorithm: 'ringpop', hash: 'hash32', nodes: servers });
    expect(keys.map((k) => ring.owner(k))).toEqual(peer.lookup);
  });

  it('does not depend on the order nodes are given in', () => {
    const servers = randomAddresses(50, 4);
    const a = createRing({ algorithm: 'ringpop', nodes: servers });
    const b = createRing({ algorithm: 'ringpop', nodes: [...servers].reverse() });
    for (const key of randomKeys(2000, 4)) expect(b.owners(key, 3)).toEqual(a.owners(key, 3));
  });

  it('reports exact ownership that adds up to the whole keyspace', () => {
    const ring = createRing({ algorithm: 'ringpop', nodes: randomAddresses(10, 6) });
    const report = ring.ownershipReport();
    expect(report.exact).toBe(true);
    expect([...report.shares].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([...(report.points ?? [])]).toEqual(Array(10).fill(100));
  });
});
