// `--protocol memberlist` against plain memberlist nodes configured as Consul's LAN pool (protocol 2,
// delegate protocol 4, compression, keyring encryption, a gossip label, one node with 512 bytes of
// meta), on memberlist v0.5.4 (the 0.5 line Consul and Nomad pin; go-msgpack v2) and v0.7.0 (the
// newest served): test/peers/memberlist. Ground truth is each node's own member list, asked over
// its stdin. In member mode the nodes wrap every packet to ringside in a CRC (it advertises
// protocol 5), so a member-mode observer that stays alive in their lists decoded all of them.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERLIST_VERSIONS, type MemberlistCluster, type MemberlistVersion, type PeerMember, startMemberlistCluster } from '../peers/memberlist-cluster.js';
import { runCli, runJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

interface MemberJson {
  name: string;
  addr: string;
  status: string;
  nativeStatus: string;
  incarnation: number;
  tags: Record<string, string>;
  protocol: { vsn: number[] };
}
interface MembersJson {
  members: MemberJson[];
  views?: { agree: boolean; groups: { observers: string[] }[]; unreachable: unknown[] };
}

const LABEL = 'partition-payments';
const CONSUL_VSN = [1, 5, 2, 2, 5, 4];
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const isObserver = (m: { name: string }): boolean => m.name.startsWith('ringside-');

/** A node's own table in ringside's terms: name, HOST:PORT, memberlist state, incarnation. */
const theirs = (list: PeerMember[]) => list.filter((m) => !isObserver(m)).map((m) => ({ name: m.name, addr: `${m.addr}:${m.port}`, state: m.state, incarnation: m.incarnation }));
const ours = (out: MembersJson) => out.members.filter((m) => !isObserver(m)).map((m) => ({ name: m.name, addr: m.addr, state: m.nativeStatus, incarnation: m.incarnation })).sort((a, b) => a.name.localeCompare(b.name));

describe.each(MEMBERLIST_VERSIONS)('memberlist %s as Consul configures it (label, encryption, delegate 4, compression)', (version: MemberlistVersion) => {
  let cluster: MemberlistCluster;
  const source = (seed = 0) => ['--protocol', 'memberlist', '--join', cluster.nodes[seed]?.address as string, '--keyring-file', cluster.keyringFile as string];

  beforeAll(async () => {
    cluster = await startMemberlistCluster({ version, nodes: 3, encrypt: true, label: LABEL, metaBytes: (i) => (i === 2 ? 512 : 0) });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('passive, with the label: the nodes\' own list, Consul\'s protocol versions and the 512-byte-meta node', async () => {
    const out = await runJson<MembersJson>(['members', ...source(), '--gossip-label', LABEL]);
    const own = await cluster.nodes[0]!.members();
    expect(ours(out)).toEqual(theirs(own));
    for (const m of out.members) expect(m.protocol.vsn, m.name).toEqual(own.find((o) => o.name === m.name)?.vsn);
    expect(own.map((m) => m.vsn)).toEqual([CONSUL_VSN, CONSUL_VSN, CONSUL_VSN]);
    expect(own.find((m) => m.name === 'ml-3')?.metaLen).toBe(512);
    expect(out.members.find((m) => m.name === 'ml-3')).toMatchObject({ status: 'alive', tags: {} });
  });

  it.each([
    ['no label', [], /drops unlabelled connections: pass it with --gossip-label/],
    ['a wrong label', ['--gossip-label', 'partition-other'], /check --gossip-label: a member whose label is not "partition-other" drops the connection/],
  ])('passive with %s: one line naming the gossip label, exit 3, within --timeout', async (what, flags, message) => {
    const t0 = Date.now();
    const r = await runCli(['members', ...source(), ...flags, '--timeout', '3s']);
    const ms = Date.now() - t0;
    process.stderr.write(`memberlist ${version}, ${what}: exit ${r.code} after ${ms} ms\n`);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('member mode without the label: one line naming the label, exit 3', async () => {
    const r = await runCli(['members', ...source(), '--mode', 'member', '--timeout', '3s']);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--gossip-label/);
  });

  it('member mode: listed alive by every node while it runs (it answers their CRC-wrapped probes), left when it ends', async () => {
    const watch: ChildProcess = spawn(process.execPath, [bin, 'watch', '--json', ...source(1), '--gossip-label', LABEL, '--mode', 'member'], { stdio: 'ignore' });
    try {
      const self = await waitFor(async () => (await cluster.nodes[0]!.members()).find((m) => isObserver(m) && m.state === 'alive')?.name, { timeoutMs: 15_000, what: 'the observer in the nodes\' lists' });
      // 12 s: every node probes every member several times (probe interval 1 s); none may suspect it.
      const until = Date.now() + 12_000;
      while (Date.now() < until) {
        for (const node of cluster.nodes) expect((await node.members()).find((m) => m.name === self)?.state, `${self} in ${node.name}'s list`).toBe('alive');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const out = await runJson<MembersJson>(['members', ...source(2), '--gossip-label', LABEL, '--mode', 'member']);
      expect(ours(out)).toEqual(theirs(await cluster.nodes[2]!.members()));
      watch.kill('SIGINT');
      await new Promise((resolve) => watch.once('exit', resolve));
      for (const node of cluster.nodes) await waitFor(async () => (await node.members()).find((m) => m.name === self)?.state === 'left', { timeoutMs: 15_000, what: `${node.name} to list the observer left` });
    } finally {
      watch.kill('SIGKILL');
    }
  });

  it('--all-views asks every node and finds them in agreement', async () => {
    const out = await runJson<MembersJson>(['members', ...source(), '--gossip-label', LABEL, '--all-views']);
    expect(out.views?.agree).toBe(true);
    expect(out.views?.groups.map((g) => g.observers.sort())).toEqual([['ml-1', 'ml-2', 'ml-3']]);
    expect(out.views?.unreachable).toEqual([]);
  });

  it('kill -9 of a node: reported as the nodes themselves report it, in both modes', async () => {
    cluster.kill9(1);
    await waitFor(async () => (await cluster.nodes[0]!.members()).find((m) => m.name === 'ml-2')?.state === 'dead', { timeoutMs: 30_000, what: 'ml-1 to list ml-2 dead' });
    for (const mode of [[], ['--mode', 'member']]) {
      const out = await runJson<MembersJson>(['members', ...source(), '--gossip-label', LABEL, ...mode]);
      expect(ours(out), mode.join(' ') || 'passive').toEqual(theirs(await cluster.nodes[0]!.members()));
      expect(out.members.find((m) => m.name === 'ml-2')?.status).toBe('failed');
    }
  });
});

describe.each(MEMBERLIST_VERSIONS)('memberlist %s speaking protocol 5, unencrypted, unlabelled', (version: MemberlistVersion) => {
  let cluster: MemberlistCluster;
  beforeAll(async () => {
    cluster = await startMemberlistCluster({ version, nodes: 2, encrypt: false, protocol: 5 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('both modes list what the nodes list', async () => {
    const own = await cluster.nodes[0]!.members();
    expect(own.map((m) => m.vsn[2])).toEqual([5, 5]);
    for (const mode of [[], ['--mode', 'member']]) {
      const out = await runJson<MembersJson>(['members', '--protocol', 'memberlist', '--join', cluster.nodes[0]!.address, ...mode]);
      expect(ours(out)).toEqual(theirs(own));
    }
  });
});
