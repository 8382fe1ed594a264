// ringside observing real ringpop-go nodes (github.com/uber/ringpop-go v0.10.0 on tchannel-go
// v1.34.6, test/peers/ringpop-go, built from the Go module proxy) on loopback, as it observes
// ringpop-node in ringpop-observer.test.ts: what it reports must be what each node reports about
// itself (read from the node's own SWIM table and ring, not over TChannel), it must never appear
// in any node's membership, its owners must come from its own ring and equal the nodes' own
// Lookup and LookupN, and a kill -9 must show as suspect, faulty, tombstone and evicted, as the
// nodes themselves show it. A second cluster runs ringpop-go's Identity option and labels, which
// change where ringpop-go places a node on its ring (`identity#i`) and its checksums; a third
// runs 50 replica points a member, which only ringpop-go's replica checksum reveals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import { listedAddresses, ownView, type RingpopCluster, type RingpopNode, startRingpopCluster } from '../peers/ringpop-cluster.js';
import { runJson, tempFiles } from '../support/cli.js';
import { randomKeys } from '../support/random.js';
import { waitFor } from '../support/wait.js';
import { startWatch } from '../support/watcher.js';

/** One member as `members --json` prints it. */
type MemberJson = Member;
interface Fidelity {
  reproducible: boolean;
  formula: string | null;
  implementation: string;
  hash: string;
  ringChecksum: number | null;
  computedRingChecksum: number | null;
  replicaChecksum?: number;
  computedReplicaChecksum?: number;
  reporter: string;
}
interface MembersJson {
  cluster: { protocol: string; ringFidelity?: Fidelity };
  members: MemberJson[];
  views?: { agree: boolean; groups: { observers: string[]; checksum?: number }[]; unreachable: { observer: string; error: string }[] };
}
interface OwnerJson {
  key: string;
  owners: string[];
  resolvedBy: string;
}

const rp = (cluster: RingpopCluster, ...args: string[]): string[] => [...args, '--protocol', 'ringpop', '--join', cluster.addresses[0] as string];
const trio = (m: MemberJson): { addr: string; nativeStatus: string; incarnation: number } => ({ addr: m.addr, nativeStatus: m.nativeStatus, incarnation: m.incarnation });

/** 1,000 keys that fit a keys file (one per line, no comment or blank lines). */
function thousandKeys(seed: number): string[] {
  return randomKeys(1000, seed).map((k, i) => (k === '' || /^[#\s]/.test(k) || /\s$/.test(k) || k.includes('\n') ? `key-${i}` : k));
}

/** `owner --keys-file` for the keys, with extra flags. */
async function owners(cluster: RingpopCluster, keys: string[], ...flags: string[]): Promise<OwnerJson[]> {
  const files = tempFiles({ 'keys.txt': `${keys.join('\n')}\n` });
  try {
    return await runJson<OwnerJson[]>(['owner', '--keys-file', files.path('keys.txt'), ...flags, ...rp(cluster)]);
  } finally {
    files.cleanup();
  }
}

/** Every address any running node lists is one of the cluster's: nobody else (no observer) ever joined. */
async function nobodyElse(cluster: RingpopCluster): Promise<void> {
  for (const listed of await listedAddresses(cluster)) for (const address of listed) expect(cluster.addresses).toContain(address);
}

/**
 * ringside's `members` equal to `node`'s own list while `stage` holds for that list: read the
 * node, then ringside, then the node again, until both node reads agree with ringside (ringside
 * merges several nodes, which may be a gossip round apart).
 */
async function membersMatch(cluster: RingpopCluster, node: RingpopNode, stage: (own: { addr: string; nativeStatus: string }[]) => boolean, what: string): Promise<MembersJson> {
  return waitFor(
    async () => {
      const before = await ownView(node);
      if (!stage(before)) return undefined;
      const out = await runJson<MembersJson>(['members', ...rp(cluster)]);
      const after = await ownView(node);
      const ours = out.members.map(trio);
      if (JSON.stringify(before) !== JSON.stringify(after) || JSON.stringify(ours) !== JSON.stringify(after)) throw new Error(`node ${JSON.stringify(after)}, ringside ${JSON.stringify(ours)}`);
      return out;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: `ringside's members to equal ${node.address}'s own list ${what}` },
  );
}

describe('ringpop-go v0.10.0', () => {
  let cluster: RingpopCluster;
  beforeAll(async () => {
    // ringpop's own defaults but for the periods: suspect 5 s (as the ringpop-node peer), faulty
    // and tombstone 8 s each (24 h and 60 s by default) so the whole life of a dead node fits.
    cluster = await startRingpopCluster({ peer: 'ringpop-go', nodes: 4, faultyMs: 8000, tombstoneMs: 8000 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('members equal the membership every node reports about itself', async () => {
    await nobodyElse(cluster);
    const out = await runJson<MembersJson>(['members', ...rp(cluster)]);
    for (const node of cluster.nodes) expect(out.members.map(trio)).toEqual(await ownView(node));
    expect(out.members.every((m) => m.status === 'alive')).toBe(true);
    // ringpop-go's formula reproduced the node's membership checksum, and the ring is the node's.
    const reporter = cluster.nodes.find((n) => n.address === out.cluster.ringFidelity?.reporter);
    const ring = await reporter?.ring();
    expect(out.cluster.ringFidelity).toMatchObject({ reproducible: true, formula: 'go-fingerprint32', implementation: 'go', ringChecksum: ring?.checksum, computedRingChecksum: ring?.checksum, replicaChecksum: ring?.checksums?.replica, computedReplicaChecksum: ring?.checksums?.replica });
    await nobodyElse(cluster);
  });

  it("--all-views: one group whose checksum is each node's own", async () => {
    const out = await runJson<MembersJson>(['members', '--all-views', ...rp(cluster)]);
    expect(out.views?.agree).toBe(true);
    expect(out.views?.groups.map((g) => g.observers.sort())).toEqual([[...cluster.addresses].sort()]);
    for (const node of cluster.nodes) expect(out.views?.groups[0]?.checksum).toBe((await node.members()).checksum);
  });

  it("owner from ringside's own ring equals the node's Lookup for 1,000 keys, and LookupN for --replicas 3", async () => {
    const keys = thousandKeys(11);
    const one = await owners(cluster, keys);
    expect(one.map((r) => r.key)).toEqual(keys);
    expect(one.every((r) => r.resolvedBy === 'ring')).toBe(true);
    for (const node of [cluster.nodes[1]!, cluster.nodes[3]!]) expect(one.map((r) => r.owners[0])).toEqual(await node.lookup(keys));
    expect(new Set(one.map((r) => r.owners[0])).size).toBe(4);
    const three = await owners(cluster, keys, '--replicas', '3');
    expect(three.map((r) => r.owners)).toEqual(await cluster.nodes[2]!.lookupN(keys, 3));
  });

  it('kill -9: suspect, faulty, tombstone, evicted, as the nodes show it; ringside is never a member', async () => {
    const victim = cluster.nodes[3]!;
    const survivors = cluster.nodes.slice(0, 3);
    const statusOfVictim = (own: { addr: string; nativeStatus: string }[]): string => own.find((m) => m.addr === victim.address)?.nativeStatus ?? 'evicted';
    const watcher = startWatch(rp(cluster, '--interval', '200ms'));
    try {
      await waitFor(() => watcher.lines.find((l) => l.type === 'snapshot'), { timeoutMs: 15_000, what: 'the watch snapshot' });
      cluster.kill9(3);
      const killedAt = Date.now();
      const suspect = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'suspect'), { timeoutMs: 30_000, what: 'watch to report suspect' });
      const failed = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'failed'), { timeoutMs: 30_000, what: 'watch to report faulty' });
      expect(failed.receivedAt).toBeGreaterThanOrEqual(suspect.receivedAt);

      const faulty = await membersMatch(cluster, survivors[0]!, (own) => statusOfVictim(own) === 'faulty', 'with the victim faulty');
      expect(faulty.members.find((m) => m.addr === victim.address)).toMatchObject({ status: 'failed', nativeStatus: 'faulty' });
      await nobodyElse(cluster);

      // ringpop lists a tombstone until it evicts it; so must ringside (failed, nativeStatus tombstone).
      const tombstone = await membersMatch(cluster, survivors[1]!, (own) => statusOfVictim(own) === 'tombstone', 'with the victim a tombstone');
      expect(tombstone.members.find((m) => m.addr === victim.address)).toMatchObject({ status: 'failed', nativeStatus: 'tombstone' });
      const tombstoneAt = Date.now();

      const evicted = await membersMatch(cluster, survivors[2]!, (own) => statusOfVictim(own) === 'evicted', 'once the victim is evicted');
      expect(evicted.members.map((m) => m.addr).sort()).toEqual(survivors.map((n) => n.address).sort());
      for (const node of survivors) expect((await ownView(node)).map((m) => m.addr)).toEqual(evicted.members.map((m) => m.addr));
      await nobodyElse(cluster);
      expect(watcher.lines.filter((l) => l.member === victim.address && l.type === 'joined')).toEqual([]);
      const at = (ms: number): string => `${((ms - killedAt) / 1000).toFixed(1)} s`;
      console.log(`ringpop-go kill -9: watch said suspect at ${at(suspect.receivedAt)}, faulty at ${at(failed.receivedAt)}; members matched the nodes' tombstone and eviction by ${at(tombstoneAt)} and ${at(Date.now())}`);
    } finally {
      await watcher.stop();
    }
  });
});

describe('ringpop-go v0.10.0 with identities and labels', () => {
  let cluster: RingpopCluster;
  beforeAll(async () => {
    cluster = await startRingpopCluster({ peer: 'ringpop-go', nodes: 3, identityPrefix: 'svc-', labels: (i) => ({ zone: `zone-${i % 2}`, shard: String(100 + i) }) });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("members carry each node's own labels; the checksums are the nodes' own (labels and identities counted)", async () => {
    const out = await runJson<MembersJson>(['members', ...rp(cluster)]);
    for (const node of cluster.nodes) {
      const own = await node.members();
      expect(out.members.map(trio)).toEqual(await ownView(node));
      const labels = Object.fromEntries(own.members.map((m) => [m.address, m.labels ?? {}]));
      expect(Object.fromEntries(out.members.map((m) => [m.addr, m.tags]))).toEqual(labels);
    }
    // Every node labelled itself, identity included: nothing here is ringside's guess.
    for (const tags of out.members.map((m) => m.tags)) expect(Object.keys(tags).sort()).toEqual(['__identity', 'shard', 'zone']);
    const reporter = cluster.nodes.find((n) => n.address === out.cluster.ringFidelity?.reporter);
    const ring = await reporter?.ring();
    expect(out.cluster.ringFidelity).toMatchObject({ reproducible: true, formula: 'go-fingerprint32', ringChecksum: ring?.checksum, computedRingChecksum: ring?.checksum, computedReplicaChecksum: ring?.checksums?.replica });
    const views = await runJson<MembersJson>(['members', '--all-views', ...rp(cluster)]);
    expect(views.views?.agree).toBe(true);
    for (const node of cluster.nodes) expect(views.views?.groups[0]?.checksum).toBe((await node.members()).checksum);
    await nobodyElse(cluster);
  });

  it("owner from ringside's own ring equals the node's Lookup (identity placement) for 1,000 keys, and LookupN for --replicas 2", async () => {
    const keys = thousandKeys(12);
    const one = await owners(cluster, keys);
    expect(one.every((r) => r.resolvedBy === 'ring')).toBe(true);
    for (const node of cluster.nodes) expect(one.map((r) => r.owners[0])).toEqual(await node.lookup(keys));
    const two = await owners(cluster, keys, '--replicas', '2');
    expect(two.map((r) => r.owners)).toEqual(await cluster.nodes[1]!.lookupN(keys, 2));
  });
});

describe('ringpop-go v0.10.0 with 50 replica points (HashRingConfig)', () => {
  let cluster: RingpopCluster;
  beforeAll(async () => {
    cluster = await startRingpopCluster({ peer: 'ringpop-go', nodes: 3, replicaPoints: 50 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("is told apart by its replica checksum, and owner answers through the node's /admin/lookup, equal to its Lookup", async () => {
    const out = await runJson<MembersJson>(['members', ...rp(cluster)]);
    const reporter = cluster.nodes.find((n) => n.address === out.cluster.ringFidelity?.reporter);
    const ring = await reporter?.ring();
    // fingerprint32 and the same servers (the other checksums match), but not 100 points a member.
    expect(out.cluster.ringFidelity).toMatchObject({ reproducible: false, formula: 'go-fingerprint32', hash: 'fingerprint32', ringChecksum: ring?.checksum, computedRingChecksum: ring?.checksum, replicaChecksum: ring?.checksums?.replica });
    expect(out.cluster.ringFidelity?.computedReplicaChecksum).not.toBe(ring?.checksums?.replica);
    const keys = thousandKeys(13);
    const one = await owners(cluster, keys);
    expect(one.every((r) => r.resolvedBy === 'cluster-lookup')).toBe(true);
    expect(one.map((r) => r.owners[0])).toEqual(await cluster.nodes[2]!.lookup(keys));
    await nobodyElse(cluster);
  });
});
