// ringside observing real ringpop-go nodes (github.com/uber/ringpop-go v0.10.0 on tchannel-go
// v1.34.6, test/peers/ringpop-go, built from the Go module proxy) on loopback, as it observes
// ringpop-node in ringpop-observer.test.ts: what it reports must be what each node reports about
// itself (read from the node's own SWIM table, not over TChannel), it must never appear in any
// node's membership, its owners must equal the nodes' own Lookup, and a kill -9 must show as
// suspect then faulty, as the nodes themselves show it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedAddresses, ownView, type RingpopCluster, startRingpopCluster } from '../peers/ringpop-cluster.js';
import { runJson, tempFiles } from '../support/cli.js';
import { randomKeys } from '../support/random.js';
import { waitFor } from '../support/wait.js';
import { startWatch } from '../support/watcher.js';

interface MemberJson {
  name: string;
  addr: string;
  status: string;
  nativeStatus: string;
  incarnation: number;
}
interface MembersJson {
  cluster: { protocol: string; ringFidelity?: { reproducible: boolean; formula: string } };
  members: MemberJson[];
  views?: { agree: boolean; groups: { observers: string[]; checksum?: number }[]; unreachable: { observer: string; error: string }[] };
}

let cluster: RingpopCluster;
let seed: string;
const rp = (...args: string[]): string[] => [...args, '--protocol', 'ringpop', '--join', seed];

beforeAll(async () => {
  cluster = await startRingpopCluster({ peer: 'ringpop-go', nodes: 4 });
  seed = cluster.addresses[0] as string;
});
afterAll(async () => {
  await cluster?.stop();
});

/** Every live node lists exactly the cluster's own addresses: nobody else (no observer) ever joined. */
async function onlyClusterAddresses(): Promise<void> {
  for (const listed of await listedAddresses(cluster)) expect(listed).toEqual([...cluster.addresses].sort());
}

describe('ringpop-go v0.10.0', () => {
  it('members equal the membership every node reports about itself', async () => {
    await onlyClusterAddresses();
    const out = await runJson<MembersJson>(['members', ...rp()]);
    const ours = out.members.map((m) => ({ addr: m.addr, nativeStatus: m.nativeStatus, incarnation: m.incarnation }));
    for (const node of cluster.nodes) expect(ours).toEqual(await ownView(node));
    expect(out.members.every((m) => m.status === 'alive')).toBe(true);
    await onlyClusterAddresses();
  });

  it("--all-views: one group whose checksum is each node's own", async () => {
    const out = await runJson<MembersJson>(['members', '--all-views', ...rp()]);
    expect(out.views?.agree).toBe(true);
    expect(out.views?.groups.map((g) => g.observers.sort())).toEqual([[...cluster.addresses].sort()]);
    for (const node of cluster.nodes) expect(out.views?.groups[0]?.checksum).toBe((await node.members()).checksum);
  });

  it("owner equals the node's own Lookup for 1,000 keys", async () => {
    const keys = randomKeys(1000, 11).map((k, i) => (k === '' || /^[#\s]/.test(k) || /\s$/.test(k) || k.includes('\n') ? `key-${i}` : k));
    const files = tempFiles({ 'keys.txt': `${keys.join('\n')}\n` });
    try {
      const out = await runJson<{ key: string; owners: string[] }[]>(['owner', '--keys-file', files.path('keys.txt'), ...rp()]);
      expect(out).toHaveLength(1000);
      for (const node of [cluster.nodes[1]!, cluster.nodes[3]!]) expect(out.map((r) => r.owners[0])).toEqual(await node.lookup(out.map((r) => r.key)));
      expect(new Set(out.map((r) => r.owners[0])).size).toBe(4);
    } finally {
      files.cleanup();
    }
  });

  it('kill -9: suspect then faulty, as the nodes show it; ringside is never a member', async () => {
    const victim = cluster.nodes[3]!;
    const watcher = startWatch(rp('--interval', '200ms'));
    try {
      await waitFor(() => watcher.lines.find((l) => l.type === 'snapshot'), { timeoutMs: 15_000, what: 'the watch snapshot' });
      cluster.kill9(3);
      const suspect = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'suspect'), { timeoutMs: 30_000, what: 'watch to report suspect' });
      const failed = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'failed'), { timeoutMs: 30_000, what: 'watch to report faulty' });
      expect(failed.receivedAt).toBeGreaterThanOrEqual(suspect.receivedAt);
      const survivors = cluster.nodes.slice(0, 3);
      await waitFor(async () => (await Promise.all(survivors.map(async (n) => (await ownView(n)).find((m) => m.addr === victim.address)?.nativeStatus))).every((s) => s === 'faulty'), { timeoutMs: 30_000, what: 'the survivors to hold the victim faulty' });
      const out = await runJson<MembersJson>(['members', ...rp()]);
      const ours = out.members.map((m) => ({ addr: m.addr, nativeStatus: m.nativeStatus, incarnation: m.incarnation }));
      expect(ours).toEqual(await ownView(survivors[0]!));
      expect(out.members.find((m) => m.addr === victim.address)).toMatchObject({ status: 'failed', nativeStatus: 'faulty' });
      await onlyClusterAddresses();
    } finally {
      await watcher.stop();
    }
  });
});
