// ringside's ringpop ring against ringpop-go v0.10.0's own hashring (test/peers/ringpop-go, built
// from the Go module proxy): by address as ringpop-node places servers, and by identity, the
// `identity#i` placement ringpop-go uses for members with an `__identity` label, reached through
// the cluster path (selectRingMembers) as `owner --protocol ringpop` takes it.
import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import { selectRingMembers } from '../../src/cluster/ring-members.js';
import { detectFidelity, goMembershipChecksum, goReplicaChecksum, ringChecksum } from '../../src/protocols/ringpop/checksum.js';
import { createRing } from '../../src/index.js';
import { randomAddresses, randomKeys } from '../support/random.js';
import { askRingpopGo } from '../support/ringpop-go-oracle.js';

function member(address: string, identity?: string): Member {
  return { name: address, addr: address, port: Number(address.split(':')[1] ?? 0), status: 'alive', nativeStatus: 'alive', incarnation: 1, tags: identity === undefined ? {} : { __identity: identity }, protocol: {} };
}

function clusterRing(servers: { address: string; identity?: string }[], vnodes?: number) {
  const { nodes } = selectRingMembers(servers.map((s) => member(s.address, s.identity)), { algorithm: 'ringpop' });
  return createRing({ algorithm: 'ringpop', nodes, ...(vnodes !== undefined ? { vnodes } : {}) });
}

describe('ringpop ring = ringpop-go hashring', () => {
  it('owns every key like ringpop-go on 60 servers x 100 points (20,000 keys, Lookup and LookupN)', async () => {
    const servers = randomAddresses(60, 21).map((address) => ({ address }));
    const keys = randomKeys(20_000, 21);
    const go = await askRingpopGo({ servers, keys, n: 3 });
    const ring = clusterRing(servers);
    expect(keys.map((k) => ring.owner(k))).toEqual(go.lookup);
    expect(keys.map((k) => ring.owners(k, 3))).toEqual(go.lookupN);
    expect(ringChecksum(servers.map((s) => s.address))).toBe(go.checksum);
  });

  it('places members with an identity at identity#i, and lists identities in the ring checksum', async () => {
    const addresses = randomAddresses(40, 22);
    // Half the members have an identity, one has its own address as identity (the legacy placement).
    const servers = addresses.map((address, i) => (i === 0 ? { address, identity: address } : i % 2 === 0 ? { address, identity: `svc-${i}` } : { address }));
    const keys = randomKeys(20_000, 22);
    const go = await askRingpopGo({ servers, keys, n: 4 });
    const ring = clusterRing(servers);
    expect(keys.map((k) => ring.owner(k))).toEqual(go.lookup);
    expect(keys.map((k) => ring.owners(k, 4))).toEqual(go.lookupN);
    // What /admin/stats gives ringside: members with their labels, and the ring's servers by address.
    const members = servers.map((s) => ({ address: s.address, status: 'alive' as const, incarnationNumber: 1, ...(s.identity ? { labels: { __identity: s.identity } } : {}) }));
    const fidelity = detectFidelity('x', { members, membershipChecksum: null, ringChecksum: go.checksum, ringServers: addresses });
    expect(fidelity.computedRingChecksum).toBe(go.checksum);
    // Placing them by address instead is a different ring: the identity placement is what matched.
    const byAddress = createRing({ algorithm: 'ringpop', nodes: addresses });
    expect(keys.filter((k) => byAddress.owner(k) !== ring.owner(k)).length).toBeGreaterThan(1000);
  });

  it('breaks ties on equal point hashes like ringpop-go (by address, then replica index)', async () => {
    // "h:30" + "12" and "h:301" + "2" are the same string: nested addresses share point hashes.
    const servers = ['h:30', 'h:301', 'h:3012', 'h:30123', 'h:3', 'h:301234'].map((address) => ({ address }));
    const keys = randomKeys(60_000, 23);
    const go = await askRingpopGo({ servers: [...servers].reverse(), keys, n: 6 });
    const ring = clusterRing(servers);
    expect(keys.map((k) => ring.owner(k))).toEqual(go.lookup);
    expect(keys.map((k) => ring.owners(k, 6))).toEqual(go.lookupN);
  });

  it('breaks ties by address, not by placement key, when an identity collides with an address', async () => {
    // Identity "x" places "x#12"; the address "x#1" places "x#1" + "2": the same point hash, which
    // ringpop-go orders by address ("x#1" < "z:9"), the opposite of the keys' order ("x#" < "x#1").
    const servers = [{ address: 'z:9', identity: 'x' }, { address: 'x#1' }, { address: 'm:5' }];
    const keys = randomKeys(60_000, 24);
    const go = await askRingpopGo({ servers, keys, n: 3 });
    const ring = clusterRing(servers);
    expect(keys.map((k) => ring.owner(k))).toEqual(go.lookup);
    expect(keys.map((k) => ring.owners(k, 3))).toEqual(go.lookupN);
  });

  it.each([1, 7, 256])('matches with %i replica points, identities included', async (points) => {
    const servers = randomAddresses(25, points).map((address, i) => (i % 3 === 0 ? { address, identity: `node-${i}` } : { address }));
    const keys = randomKeys(5000, points);
    const go = await askRingpopGo({ servers, replicaPoints: points, keys, n: 2 });
    const ring = clusterRing(servers, points);
    expect(keys.map((k) => ring.owner(k))).toEqual(go.lookup);
    expect(keys.map((k) => ring.owners(k, 2))).toEqual(go.lookupN);
    expect(goReplicaChecksum(servers, points)).toBe(go.checksums.replica);
  });

  it("reads the replica points off ringpop-go's replica checksum: fingerprint32 still, but not 100 points, so not reproducible", async () => {
    const servers = randomAddresses(12, 25).map((address, i) => (i % 4 === 0 ? { address, identity: `node-${i}` } : { address }));
    const members = servers.map((s) => ({ address: s.address, status: 'alive' as const, incarnationNumber: 1, ...(s.identity ? { labels: { __identity: s.identity } } : {}) }));
    const ringServers = servers.map((s) => s.address);
    for (const points of [100, 50, 101]) {
      const go = await askRingpopGo({ servers, replicaPoints: points });
      expect(goReplicaChecksum(servers, points)).toBe(go.checksums.replica);
      // The membership checksum is not under test here (the live suite checks it against the nodes'): only the ring's.
      const fidelity = detectFidelity('x', { members, membershipChecksum: goMembershipChecksum(members), ringChecksum: go.checksum, ringServers, ringChecksums: go.checksums });
      expect(fidelity).toMatchObject({ computedRingChecksum: go.checksum, replicaChecksum: go.checksums.replica, hash: 'fingerprint32', reproducible: points === 100 });
      expect(fidelity.computedReplicaChecksum === go.checksums.replica).toBe(points === 100);
    }
  });
});
