// ringside observing real ringpop 10.21.0 nodes (tchannel 3.10.1) on loopback: what it reports must
// be what each node reports about itself, it must never appear in any node's membership, its
// owners must equal the nodes' own lookup, and a kill -9 must show as suspect then faulty.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import { discoverApp, joinMembership } from '../../src/protocols/ringpop/calls.js';
import { TChannelConnection } from '../../src/protocols/tchannel/client.js';
import { listedAddresses, ownView, type RingpopCluster, startBareTChannel, startRingpopCluster } from '../peers/ringpop-cluster.js';
import { runCli, runJson, tempFiles } from '../support/cli.js';
import { randomKeys } from '../support/random.js';
import { waitFor } from '../support/wait.js';
import { startWatch } from '../support/watcher.js';

/** One member as `members --json` prints it. */
type MemberJson = Member;
interface MembersJson {
  cluster: { protocol: string; mode: string; ringFidelity?: { reproducible: boolean; formula: string } };
  members: MemberJson[];
  views?: { agree: boolean; groups: { observers: string[]; checksum?: number }[]; unreachable: { observer: string; error: string }[] };
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const name of ['snapshot.v1', 'owner']) ajv.addSchema(JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')));
const schemaCheck = (id: string, data: unknown): string => (ajv.validate(`https://ringside.dev/schemas/${id}.schema.json`, data) ? 'valid' : ajv.errorsText(ajv.errors));

let cluster: RingpopCluster;
let seed: string;
const rp = (...args: string[]): string[] => [...args, '--protocol', 'ringpop', '--join', seed];

beforeAll(async () => {
  cluster = await startRingpopCluster({ nodes: 4 });
  seed = cluster.addresses[0] as string;
});
afterAll(async () => {
  await cluster?.stop();
});

/** Every live node lists exactly the cluster's own addresses: nobody else (no observer) ever joined. */
async function onlyClusterAddresses(): Promise<void> {
  for (const listed of await listedAddresses(cluster)) expect(listed).toEqual([...cluster.addresses].sort());
}

describe('members --protocol ringpop', () => {
  it('equals the membership every node reports about itself, with a reproducible ring', async () => {
    await onlyClusterAddresses();
    const out = await runJson<MembersJson>(['members', ...rp()]);
    expect(out.cluster).toMatchObject({ protocol: 'ringpop', mode: 'passive', ringFidelity: { reproducible: true, formula: 'node-fingerprint32' } });
    const ours = out.members.map((m) => ({ addr: m.addr, nativeStatus: m.nativeStatus, incarnation: m.incarnation }));
    for (const node of cluster.nodes) expect(ours).toEqual(await ownView(node));
    expect(out.members.every((m) => m.status === 'alive' && m.name === m.addr)).toBe(true);
    await onlyClusterAddresses();
  });

  it('--all-views: one group whose checksum is each node\'s own', async () => {
    const out = await runJson<MembersJson>(['members', '--all-views', ...rp()]);
    expect(out.views?.agree).toBe(true);
    expect(out.views?.groups[0]?.observers.sort()).toEqual([...cluster.addresses].sort());
    expect(out.views?.groups[0]?.checksum).toBe((await cluster.nodes[2]!.members()).checksum);
  });

  it('the join read path (app name from a wrong-app join) returns the same membership and adds nobody', async () => {
    const [host, port] = (cluster.addresses[1] as string).split(':');
    const connection = await TChannelConnection.connect({ host: host as string, port: Number(port), timeoutMs: 5000 });
    try {
      expect(await discoverApp(connection, 5000)).toBe(cluster.app);
      const join = await joinMembership(connection, cluster.app, 5000);
      const expected = await ownView(cluster.nodes[1]!);
      expect(join.members.map((m) => ({ addr: m.address, nativeStatus: m.status, incarnation: m.incarnationNumber })).sort((a, b) => (a.addr < b.addr ? -1 : 1))).toEqual(expected);
      expect(join.membershipChecksum).toBe((await cluster.nodes[1]!.members()).checksum);
    } finally {
      connection.close();
    }
    await onlyClusterAddresses();
  });
});

describe('owner --protocol ringpop', () => {
  it('equals lookup on a live node for 1,000 keys (ringside\'s own ring, verified by checksum)', async () => {
    const keys = randomKeys(1000, 7).map((k, i) => (k === '' || /^[#\s]/.test(k) || /\s$/.test(k) || k.includes('\n') ? `key-${i}` : k));
    const files = tempFiles({ 'keys.txt': `${keys.join('\n')}\n` });
    try {
      const out = await runJson<{ key: string; owners: string[]; resolvedBy: string }[]>(['owner', '--keys-file', files.path('keys.txt'), ...rp()]);
      const live = await cluster.nodes[3]!.lookup(out.map((r) => r.key));
      expect(out).toHaveLength(1000);
      expect(out.map((r) => r.owners[0])).toEqual(live);
      expect(new Set(out.map((r) => r.resolvedBy))).toEqual(new Set(['ring']));
      expect(new Set(live).size).toBe(4);
      expect(schemaCheck('owner', out)).toBe('valid');
    } finally {
      files.cleanup();
    }
  });
});

describe('errors: one line, exit 3 (or 2 for usage)', () => {
  let http: Server;
  let bare: Awaited<ReturnType<typeof startBareTChannel>>;
  beforeAll(async () => {
    http = createServer((_q, s) => s.end('hello'));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    bare = await startBareTChannel();
  });
  afterAll(async () => {
    http?.close();
    await bare?.stop();
  });

  const oneLine = (stderr: string): string[] => stderr.trim().split('\n');

  it('unreachable member', async () => {
    const r = await runCli(['members', '--protocol', 'ringpop', '--join', '127.0.0.1:1', '--timeout', '1s']);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toEqual(['ringside: 127.0.0.1:1: connection refused (check --join: is a ringpop node listening there?)']);
  });

  it('a port that is not TChannel (an HTTP server)', async () => {
    const port = (http.address() as { port: number }).port;
    const r = await runCli(['members', '--protocol', 'ringpop', '--join', `127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toEqual([`ringside: 127.0.0.1:${port}: the port does not speak TChannel (give the ringpop TChannel port, not an HTTP or other service port)`]);
  });

  it('a TChannel peer without ringpop\'s endpoints (stats and join missing)', async () => {
    const r = await runCli(['members', '--protocol', 'ringpop', '--join', bare.address]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/does not serve \/protocol\/join \(it may be an older or different ringpop/);
  });

  it('--mode member and encryption flags are refused with exit 2', async () => {
    const member = await runCli(['members', ...rp('--mode', 'member')]);
    expect(member.code).toBe(2);
    expect(member.stderr).toMatch(/^ringside: --mode member is refused for ringpop: every ringpop member owns part of the hash ring/);
    const key = await runCli(['watch', ...rp('--encrypt-key', 'AAAAAAAAAAAAAAAAAAAAAA==')]);
    expect(key.code).toBe(2);
    expect(oneLine(key.stderr)).toEqual(['ringside: --encrypt-key does not apply to ringpop: TChannel has no gossip encryption or labels, and the observer never listens (drop --encrypt-key)']);
    await onlyClusterAddresses();
  });
});

describe('snapshot, ring and plan read the same membership', () => {
  it('snapshot -o, then ring and plan offline from it equal the live ones', async () => {
    const files = tempFiles({});
    try {
      const path = `${files.dir}/snap.json`;
      const snap = await runCli(['snapshot', '-o', path, ...rp()]);
      expect(snap.code).toBe(0);
      expect(schemaCheck('snapshot.v1', JSON.parse(readFileSync(path, 'utf8')))).toBe('valid');
      const live = await runJson<{ nodes: { node: string; ownership: number }[] }>(['ring', ...rp()]);
      const offline = await runJson<{ nodes: { node: string; ownership: number }[] }>(['ring', '--snapshot', path]);
      expect(live.nodes).toEqual(offline.nodes);
      expect(live.nodes.map((n) => n.node).sort()).toEqual([...cluster.addresses].sort());
      const plan = await runJson<{ movedFraction: number }>(['plan', '--remove', cluster.addresses[2] as string, ...rp()]);
      expect(plan.movedFraction).toBeCloseTo(live.nodes.find((n) => n.node === cluster.addresses[2])?.ownership ?? -1, 6);
    } finally {
      files.cleanup();
    }
  });
});

describe('watch: a frozen node (SIGSTOP) is suspected, then refutes', () => {
  it('reports suspect while the node cannot answer ringside either, then alive with a higher incarnation', async () => {
    const frozen = cluster.nodes[2]!;
    const before = (await ownView(cluster.nodes[0]!)).find((m) => m.addr === frozen.address)?.incarnation ?? 0;
    const watcher = startWatch(rp('--interval', '200ms', '--timeout', '3s'));
    try {
      await waitFor(() => watcher.lines.find((l) => l.type === 'snapshot'), { timeoutMs: 15_000, what: 'the watch snapshot' });
      const stoppedAt = Date.now();
      frozen.process.kill('SIGSTOP');
      let suspect;
      try {
        // --all-views while it is frozen: listed as not answering, the others still grouped, exit 0.
        const views = await runJson<MembersJson>(['members', '--all-views', ...rp('--timeout', '1s')]);
        expect(views.views?.unreachable.map((u) => u.observer)).toEqual([frozen.address]);
        expect(views.views?.unreachable[0]?.error).toMatch(/no TChannel handshake within 1000 ms|no answer to \/admin\/stats within 1000 ms/);
        expect(views.views?.groups.flatMap((g) => g.observers).sort()).toEqual(cluster.addresses.filter((a) => a !== frozen.address).sort());
        suspect = await waitFor(() => watcher.lines.find((l) => l.member === frozen.address && l.type === 'suspect'), { timeoutMs: 30_000, what: 'watch to report the frozen node suspect' });
      } finally {
        frozen.process.kill('SIGCONT');
      }
      const alive = await waitFor(() => watcher.lines.find((l) => l.member === frozen.address && l.type === 'alive' && l.receivedAt >= suspect.receivedAt), { timeoutMs: 30_000, what: 'watch to report the refutation' });
      expect(alive.previous).toMatch(/^(suspect|failed)$/);
      // ringside may hear the refutation (from the frozen node itself) before node 0 does.
      const after = await waitFor(async () => (await ownView(cluster.nodes[0]!)).find((m) => m.addr === frozen.address && m.nativeStatus === 'alive'), { timeoutMs: 30_000, what: 'node 0 to hear the refutation' });
      expect(after.incarnation).toBeGreaterThan(before);
      // The refutation ringside reported raised the incarnation; node 0 holds it or a later one (a
      // node suspected again just after it resumed refutes twice: a loaded CI run saw 201 ms apart).
      expect(alive.incarnation).toBeGreaterThan(before);
      expect(alive.incarnation).toBeLessThanOrEqual(after.incarnation);
      console.log(`ringpop SIGSTOP: watch reported suspect ${suspect.receivedAt - stoppedAt} ms after the freeze, the refutation ${alive.receivedAt - suspect.receivedAt} ms after suspect`);
      await onlyClusterAddresses();
    } finally {
      frozen.process.kill('SIGCONT');
      await watcher.stop();
    }
  });
});

describe('watch: kill -9 one node', () => {
  it('reports it suspect then faulty, never shows the observer, and --all-views survives the dead member', async () => {
    const victim = cluster.nodes[3]!;
    const watcher = startWatch(rp('--interval', '200ms'));
    try {
      await waitFor(() => watcher.lines.find((l) => l.type === 'snapshot'), { timeoutMs: 15_000, what: 'the watch snapshot' });
      await onlyClusterAddresses();
      // The nodes' own view, polled through their in-process channel.
      const seen: { suspect?: number; faulty?: number } = {};
      let watching = true;
      const survivors = cluster.nodes.slice(0, 3);
      const pollNodes = (async () => {
        while (watching) {
          for (const node of survivors) {
            const status = (await node.members()).members.find((m) => m.address === victim.address)?.status;
            if (status === 'suspect') seen.suspect ??= Date.now();
            if (status === 'faulty') {
              seen.suspect ??= Date.now();
              seen.faulty ??= Date.now();
            }
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const killedAt = Date.now();
      cluster.kill9(3);
      const suspect = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'suspect'), { timeoutMs: 30_000, what: 'watch to report suspect' });
      const failed = await waitFor(() => watcher.lines.find((l) => l.member === victim.address && l.type === 'failed'), { timeoutMs: 30_000, what: 'watch to report failed' });
      watching = false;
      await pollNodes;
      expect(suspect.previous).toBe('alive');
      expect(failed.previous).toBe('suspect');
      expect(failed.receivedAt).toBeGreaterThanOrEqual(suspect.receivedAt);
      expect(seen.suspect).toBeDefined();
      expect(seen.faulty).toBeDefined();
      process.stderr.write(
        `ringpop kill -9: nodes saw suspect after ${(seen.suspect as number) - killedAt} ms, faulty after ${(seen.faulty as number) - killedAt} ms; ` +
          `watch lag behind the nodes: suspect ${suspect.receivedAt - (seen.suspect as number)} ms, faulty ${failed.receivedAt - (seen.faulty as number)} ms\n`,
      );
      // The watch polls one node per --interval (200 ms): it trails the nodes by at most an interval
      // plus the gossip that carries the news to the node it asks (bound for a loaded 2-core machine).
      expect(suspect.receivedAt - (seen.suspect as number)).toBeLessThanOrEqual(200 + 3000);
      expect(failed.receivedAt - (seen.faulty as number)).toBeLessThanOrEqual(200 + 3000);
      await onlyClusterAddresses();
      const views = await runJson<MembersJson>(['members', '--all-views', ...rp()]);
      // Faulty members are asked too (the other side of a partition is): the dead one is listed, never dropped.
      expect(views.views?.unreachable.map((u) => u.observer)).toEqual([victim.address]);
      expect(views.views?.unreachable[0]?.error).toMatch(/refused|closed|reset/);
      expect(views.views?.agree).toBe(false);
      expect(views.members.find((m) => m.addr === victim.address)).toMatchObject({ status: 'failed', nativeStatus: 'faulty' });
    } finally {
      expect(await watcher.stop()).toBe(0); // Ctrl-C ends a watch normally
    }
    await onlyClusterAddresses();
  });
});

describe('a cluster whose ring hash cannot be reproduced', () => {
  let seeded: RingpopCluster;
  let membersFile: ReturnType<typeof tempFiles>;
  beforeAll(async () => {
    seeded = await startRingpopCluster({ nodes: 3, hash: 'seeded' });
    membersFile = tempFiles({ 'members.txt': `${seeded.addresses.join('\n')}\n` });
  });
  afterAll(async () => {
    membersFile?.cleanup();
    await seeded?.stop();
  });

  it('owner answers through the cluster\'s /admin/lookup and says so', async () => {
    const join = ['--protocol', 'ringpop', '--join', seeded.addresses[0] as string];
    const keys = Array.from({ length: 200 }, (_, i) => `user:${i}`);
    const out = await runJson<{ key: string; hash: number | null; owners: string[]; resolvedBy: string }[]>(['owner', ...keys, ...join]);
    expect(out.map((r) => r.owners[0])).toEqual(await seeded.nodes[2]!.lookup(keys));
    expect(out.every((r) => r.resolvedBy === 'cluster-lookup' && r.hash === null)).toBe(true);
    expect(schemaCheck('owner', out)).toBe('valid');
    // ringside's fingerprint32 ring would have answered differently: the fallback matters.
    const offline = await runJson<{ owners: string[] }[]>(['owner', ...keys, '--members', membersFile.path('members.txt')]);
    expect(offline.filter((r, i) => r.owners[0] !== out[i]?.owners[0]).length).toBeGreaterThan(10);
    const human = await runCli(['owner', 'user:1', ...join]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/note: ring not reproducible .* owners answered by 127\.0\.0\.1:\d+'s \/admin\/lookup/);
    const members = await runJson<MembersJson>(['members', ...join]);
    expect(members.cluster.ringFidelity).toMatchObject({ reproducible: false, formula: null });
    const replicas = await runCli(['owner', 'user:1', '--replicas', '2', ...join]);
    expect(replicas.code).toBe(2);
    const ring = await runCli(['ring', ...join]);
    expect(ring.stderr).toMatch(/warning: this ringpop cluster's checksums do not match fingerprint32/);
  });
});

describe('a ringpop without /admin/stats', () => {
  let trimmed: RingpopCluster;
  beforeAll(async () => {
    trimmed = await startRingpopCluster({ nodes: 3, without: ['/admin/stats'] });
  });
  afterAll(async () => {
    await trimmed?.stop();
  });

  it('is read through a join with the app name a wrong-app join revealed; nobody is added', async () => {
    const join = ['--protocol', 'ringpop', '--join', trimmed.addresses[1] as string];
    const out = await runJson<MembersJson>(['members', ...join]);
    const own = (await trimmed.nodes[0]!.members()).members.map((m) => ({ addr: m.address, nativeStatus: m.status, incarnation: m.incarnationNumber })).sort((a, b) => (a.addr < b.addr ? -1 : 1));
    expect(out.members.map((m) => ({ addr: m.addr, nativeStatus: m.nativeStatus, incarnation: m.incarnation }))).toEqual(own);
    expect(out.cluster.ringFidelity).toMatchObject({ reproducible: true, formula: 'node-fingerprint32' });
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const owners = await runJson<{ owners: string[]; resolvedBy: string }[]>(['owner', ...keys, ...join]);
    expect(owners.map((r) => r.owners[0])).toEqual(await trimmed.nodes[2]!.lookup(keys));
    for (const node of trimmed.nodes) expect((await node.members()).members.map((m) => m.address).sort()).toEqual([...trimmed.addresses].sort());
  });
});
