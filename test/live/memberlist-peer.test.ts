// `--protocol memberlist` against plain memberlist nodes (no Serf) configured as Consul configures
// its LAN pool (test/peers/memberlist: DefaultLANConfig, protocol 2, delegate protocol 2..5 speaking
// 4, compression, keyring encryption, a gossip label, Meta in Serf's tags format up to memberlist's
// 512-byte limit), once per memberlist version in test/peers/memberlist/versions.json (v0.5.1, what
// Nomad pins, and v0.7.0, the newest). Ground truth is each node's own node table (memberlist's own
// state and incarnation, read in the node and printed on request), never ringside's output.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import { MEMBERLIST_VERSIONS, type MemberlistCluster, type MemberlistNode, type MemberlistVersion, type PeerMember, type PeerState, startMemberlistCluster } from '../peers/memberlist-cluster.js';
import { runCli, runJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { startWatch, type Watcher } from '../support/watcher.js';

/** One member as `members --json` prints it; memberlist members carry their Vsn. */
type MemberJson = Member & { protocol: { vsn: number[] } };
interface ViewsJson {
  agree: boolean;
  groups: { observers: string[]; statuses: Record<string, string> }[];
  unreachable: { observer: string; addr: string; error: string }[];
}
interface MembersJson {
  cluster: { protocol: string; mode: string };
  members: MemberJson[];
  views?: ViewsJson;
}

const LABEL = 'partition-payments';
/** memberlist 1..5 speaking 2, delegate 2..5 speaking 4: what a Consul agent advertises. */
const CONSUL_VSN = [1, 5, 2, 2, 5, 4];
const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const isObserver = (tags: Record<string, string> | null | undefined): boolean => tags?.ringside === 'observer';

/** A node's own table in ringside's terms (ringside observers left out). */
const theirs = (list: PeerMember[]) =>
  list.filter((m) => !isObserver(m.tags)).map((m) => ({ name: m.name, addr: `${m.addr}:${m.port}`, state: m.state, incarnation: m.incarnation, vsn: m.vsn, tags: m.tags ?? {} }));
const ours = (members: MemberJson[]) =>
  members
    .filter((m) => !isObserver(m.tags))
    .map((m) => ({ name: m.name, addr: m.addr, state: m.nativeStatus, incarnation: m.incarnation, vsn: m.protocol.vsn, tags: m.tags }))
    .sort(byName);
/** memberlist's states as ringside's statuses (a view leaves left members out). */
const STATUS: Record<PeerState, string | undefined> = { alive: 'alive', suspect: 'suspect', dead: 'failed', left: undefined };
const statusesOf = (list: PeerMember[]): Record<string, string> =>
  Object.fromEntries(list.filter((m) => STATUS[m.state] !== undefined).map((m) => [m.name, STATUS[m.state] as string]));

/**
 * Runs `ringside members ARGS --json` and compares it with `node`'s own table, read just before and
 * just after; a table that changed in between (a probe round landed) is read again.
 */
async function expectSameAsNode(args: string[], node: MemberlistNode, what: string): Promise<MembersJson> {
  for (let attempt = 1; ; attempt++) {
    const before = await node.members();
    const out = await runJson<MembersJson>(['members', ...args]);
    const after = await node.members();
    if (isDeepStrictEqual(theirs(before), theirs(after)) || attempt === 3) {
      expect(ours(out.members), `${what}: ringside beside ${node.name}'s own table`).toEqual(theirs(after));
      return out;
    }
  }
}

/** One line on stderr, exit 3, nothing on stdout; prints how long it took. */
async function refused(args: string[], what: string): Promise<string> {
  const started = performance.now();
  const result = await runCli(['members', ...args, '--timeout', '3s']);
  const ms = Math.round(performance.now() - started);
  process.stderr.write(`${what}: exit ${result.code} after ${ms} ms (--timeout 3s): ${result.stderr.trim()}\n`);
  expect(result.code, what).toBe(3);
  expect(result.stdout, what).toBe('');
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines, what).toHaveLength(1);
  return lines[0] as string;
}

/** Every state `name` had in each node's table, polled until `done` or the time is up. */
async function statesOver(nodes: MemberlistNode[], name: string, until: (seen: Map<string, PeerState[]>) => boolean, timeoutMs: number): Promise<Map<string, PeerState[]>> {
  const seen = new Map<string, PeerState[]>(nodes.map((n) => [n.name, []]));
  const deadline = Date.now() + timeoutMs;
  while (!until(seen) && Date.now() < deadline) {
    for (const node of nodes) {
      const state = (await node.members()).find((m) => m.name === name)?.state;
      const states = seen.get(node.name) as PeerState[];
      if (state && states.at(-1) !== state) states.push(state);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return seen;
}

const events = (w: Watcher, name: string): string[] => w.lines.filter((l) => l.member === name).map((l) => l.type);

describe.each(MEMBERLIST_VERSIONS)('memberlist %s', (version: MemberlistVersion) => {
  describe('as Consul configures its LAN pool: encrypted, protocol 2, delegate 4, Meta up to 512 bytes', () => {
    let cluster: MemberlistCluster;
    const key = (): string[] => ['--keyring-file', cluster.keyringFile as string];
    const source = (seed = 0): string[] => ['--protocol', 'memberlist', '--join', (cluster.nodes[seed] as MemberlistNode).address, ...key()];

    beforeAll(async () => {
      cluster = await startMemberlistCluster({ version, nodes: 4, encrypt: true, metaBytes: (i) => [0, 512, 64, 0][i] ?? 0 });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('runs the memberlist it names, advertising what Consul advertises', async () => {
      for (const node of cluster.nodes) expect(node.build.memberlist, node.name).toBe(version);
      const own = await (cluster.nodes[0] as MemberlistNode).members();
      expect(own.map((m) => m.vsn)).toEqual(own.map(() => CONSUL_VSN));
      expect(own.map((m) => m.metaLen)).toEqual([0, 512, 64, 0]);
    });

    it('passive: the nodes\' own tables (names, addresses, states, incarnations, Vsn, the tags in a 512-byte Meta)', async () => {
      for (const seed of [0, 1]) {
        const out = await expectSameAsNode(source(seed), cluster.nodes[seed] as MemberlistNode, `passive via ml-${seed + 1}`);
        expect(out.cluster).toMatchObject({ protocol: 'memberlist', mode: 'passive' });
        expect(out.members.find((m) => m.name === 'ml-2')?.tags.node).toBe('ml-2');
      }
      // Passive never joins: no node lists an observer.
      for (const node of cluster.nodes) expect((await node.members()).some((m) => isObserver(m.tags)), node.name).toBe(false);
    });

    it('member mode: the nodes\' own tables', async () => {
      const out = await expectSameAsNode([...source(2), '--mode', 'member'], cluster.nodes[2] as MemberlistNode, 'member via ml-3');
      expect(out.cluster.mode).toBe('member');
      expect(out.members.filter((m) => isObserver(m.tags)).map((m) => m.status)).toContain('alive');
    });

    it('member mode: alive in every node\'s table while it runs, never suspected, then left; no Serf message reaches their delegates', async () => {
      const before = new Set((await (cluster.nodes[0] as MemberlistNode).members()).filter((m) => isObserver(m.tags)).map((m) => m.name));
      const watch = startWatch([...source(1), '--mode', 'member']);
      try {
        const self = await waitFor(async () => (await (cluster.nodes[0] as MemberlistNode).members()).find((m) => isObserver(m.tags) && !before.has(m.name) && m.state === 'alive')?.name, { timeoutMs: 20_000, what: 'the observer in ml-1\'s table' });
        // 8 s of probes (every node probes a member about every second): it must stay alive everywhere.
        const running = await statesOver(cluster.nodes, self, () => false, 8000);
        for (const [node, states] of running) expect(states, `${self} in ${node}'s table while it runs`).toEqual(['alive']);
        expect(await watch.stop()).toBe(0);
        const after = await statesOver(cluster.nodes, self, (seen) => [...seen.values()].every((s) => s.at(-1) === 'left'), 20_000);
        for (const [node, states] of after) expect(states, `${self} in ${node}'s table after the watch ended`).toEqual(['left']);
      } finally {
        await watch.stop();
      }
      // A plain memberlist application hands user messages to its own code: ringside sends it none.
      for (const node of cluster.nodes) expect(await node.delegate(), node.name).toEqual({ userMessages: 0, remoteStates: 0 });
    });

    it('--all-views: every node\'s view is its own table, and they agree', async () => {
      const out = await runJson<MembersJson>(['members', ...source(), '--all-views']);
      const views = out.views as ViewsJson;
      expect(views.unreachable).toEqual([]);
      expect(views.groups.flatMap((g) => g.observers).sort()).toEqual(['ml-1', 'ml-2', 'ml-3', 'ml-4']);
      for (const node of cluster.nodes) {
        const group = views.groups.find((g) => g.observers.includes(node.name));
        expect(group?.statuses, node.name).toEqual(statusesOf(await node.members()));
      }
      expect(views.agree).toBe(true);
    });

    describe('changes as they happen, in both modes', () => {
      let passive: Watcher;
      let member: Watcher;
      beforeAll(async () => {
        passive = startWatch(source(0));
        member = startWatch([...source(1), '--mode', 'member']);
        await waitFor(() => passive.lines.length > 0 && member.lines.length > 0, { timeoutMs: 20_000, what: 'both watches to print their snapshot' });
      });
      afterAll(async () => {
        await passive?.stop();
        await member?.stop();
      });

      it('a graceful leave is left, as the nodes list it', async () => {
        await cluster.leave(3);
        const seen = await statesOver(cluster.running(), 'ml-4', (s) => [...s.values()].every((states) => states.at(-1) === 'left'), 20_000);
        for (const [node, states] of seen) expect(states.at(-1), `ml-4 in ${node}'s table`).toBe('left');
        for (const [mode, w] of [['passive', passive], ['member', member]] as const) {
          await waitFor(() => events(w, 'ml-4').includes('left'), { timeoutMs: 15_000, what: `the ${mode} watch to report ml-4 left` });
          expect(events(w, 'ml-4'), mode).toEqual(['left']);
        }
      });

      it('kill -9 is suspect, then dead, as the nodes list it', async () => {
        const killedAt = Date.now();
        await cluster.kill9(2);
        const seen = await statesOver(cluster.running(), 'ml-3', (s) => [...s.values()].every((states) => states.at(-1) === 'dead'), 60_000);
        const deadAt = Date.now();
        for (const [node, states] of seen) expect(states, `ml-3 in ${node}'s table`).toEqual(['alive', 'suspect', 'dead']);
        for (const [mode, w] of [['passive', passive], ['member', member]] as const) {
          const failed = await waitFor(() => w.lines.find((l) => l.member === 'ml-3' && l.type === 'failed'), { timeoutMs: 30_000, what: `the ${mode} watch to report ml-3 failed` });
          expect(events(w, 'ml-3'), mode).toEqual(['suspect', 'failed']);
          expect((failed as unknown as { nativeStatus: string }).nativeStatus).toBe('dead');
          process.stderr.write(`memberlist ${version}, ${mode}: ml-3 failed reported ${failed.receivedAt - killedAt} ms after kill -9; the nodes listed it dead within ${deadAt - killedAt} ms\n`);
        }
      });

      it('afterwards: one-shot members in both modes equal the nodes\' own tables, left and dead included', async () => {
        const seed = cluster.nodes[0] as MemberlistNode;
        await expectSameAsNode(source(0), seed, 'passive after leave and kill -9');
        await expectSameAsNode([...source(0), '--mode', 'member'], seed, 'member after leave and kill -9');
      });

      it('afterwards: --all-views gives each answering node\'s own view; the killed one does not answer', async () => {
        const out = await runJson<MembersJson>(['members', ...source(), '--all-views']);
        const views = out.views as ViewsJson;
        for (const node of cluster.running()) {
          const group = views.groups.find((g) => g.observers.includes(node.name));
          expect(group?.statuses, node.name).toEqual(statusesOf(await node.members()));
        }
        // The member-mode watch is a member too, and answers with its own view: the nodes' views are compared.
        expect(views.groups.flatMap((g) => g.observers).filter((o) => o.startsWith('ml-')).sort()).toEqual(cluster.running().map((n) => n.name));
        expect(views.unreachable.map((u) => [u.observer, u.addr])).toEqual([['ml-3', (cluster.nodes[2] as MemberlistNode).address]]);
      });
    });
  });

  describe(`with a gossip label ("${LABEL}", a Consul admin partition or network segment), encrypted`, () => {
    let cluster: MemberlistCluster;
    const source = (): string[] => ['--protocol', 'memberlist', '--join', (cluster.nodes[0] as MemberlistNode).address, '--keyring-file', cluster.keyringFile as string];

    beforeAll(async () => {
      cluster = await startMemberlistCluster({ version, nodes: 3, encrypt: true, label: LABEL, metaBytes: (i) => (i === 2 ? 512 : 0) });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('the right --gossip-label: both modes list the nodes\' own tables', async () => {
      const seed = cluster.nodes[0] as MemberlistNode;
      await expectSameAsNode([...source(), '--gossip-label', LABEL], seed, 'passive, labelled');
      await expectSameAsNode([...source(), '--gossip-label', LABEL, '--mode', 'member'], seed, 'member, labelled');
    });

    for (const mode of ['passive', 'member'] as const) {
      const modeArgs = mode === 'member' ? ['--mode', 'member'] : [];
      it(`${mode}, no --gossip-label: one line that names the label as the likely cause, exit 3, within --timeout`, async () => {
        const line = await refused([...source(), ...modeArgs], `memberlist ${version}, ${mode}, no label`);
        expect(line).toMatch(/closed the connection without replying/);
        expect(line).toMatch(/gossip label .*--gossip-label/);
      });

      it(`${mode}, a wrong --gossip-label: one line that names the label as the likely cause, exit 3, within --timeout`, async () => {
        const line = await refused([...source(), '--gossip-label', 'partition-other', ...modeArgs], `memberlist ${version}, ${mode}, wrong label`);
        expect(line).toMatch(/check --gossip-label: a member whose label is not "partition-other" drops the connection/);
      });
    }
  });

  describe('a plain memberlist application (memberlist\'s default delegate versions, 0..0), encrypted', () => {
    let cluster: MemberlistCluster;
    const source = (seed = 0): string[] => ['--protocol', 'memberlist', '--join', (cluster.nodes[seed] as MemberlistNode).address, '--keyring-file', cluster.keyringFile as string];

    beforeAll(async () => {
      cluster = await startMemberlistCluster({ version, nodes: 3, encrypt: true, delegate: [0, 0, 0] });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('member mode advertises the cluster\'s delegate versions, so no node refuses a merge that lists it', async () => {
      const seed = cluster.nodes[0] as MemberlistNode;
      await expectSameAsNode(source(), seed, 'passive, plain application');
      const watch = startWatch([...source(), '--mode', 'member']);
      try {
        const self = await waitFor(async () => (await seed.members()).find((m) => isObserver(m.tags) && m.state === 'alive'), { timeoutMs: 20_000, what: 'the observer in ml-1\'s table' });
        expect(self.vsn).toEqual([1, 5, 2, 0, 0, 0]);
        // Every node's own table, pushed and pulled with the observer listed (memberlist verifies versions on each merge).
        await expectSameAsNode([...source(1), '--mode', 'member'], cluster.nodes[1] as MemberlistNode, 'member, plain application');
        expect(await watch.stop()).toBe(0);
        await waitFor(async () => (await seed.members()).find((m) => m.name === self.name)?.state === 'left', { timeoutMs: 20_000, what: 'the observer to be left' });
      } finally {
        await watch.stop();
      }
      for (const node of cluster.nodes) expect(node.problems().filter((line) => /incompatible|push\/pull merge/i.test(line)), node.name).toEqual([]);
      for (const node of cluster.nodes) expect(await node.delegate(), node.name).toEqual({ userMessages: 0, remoteStates: 0 });
    });
  });

  // memberlist wraps a packet in a CRC when its record of the destination advertises a maximum
  // protocol >= 5 (net.go rawSendMsgPacket), whatever protocol the sender speaks: gossip, which
  // passes that record, carries one to ringside (it advertises 1..5); pings and acks, which look
  // the record up by IP as if it were a node name, do not. Protocol 5 changes the nodes' Vsn.
  describe('speaking protocol 5, unencrypted and unlabelled (so the nodes can count the CRC headers they send)', () => {
    let cluster: MemberlistCluster;
    const source = (seed = 0): string[] => ['--protocol', 'memberlist', '--join', (cluster.nodes[seed] as MemberlistNode).address];

    beforeAll(async () => {
      cluster = await startMemberlistCluster({ version, nodes: 3, encrypt: false, protocol: 5, metaBytes: () => 512 });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('both modes list the nodes\' own tables (Vsn speaking 5)', async () => {
      const seed = cluster.nodes[0] as MemberlistNode;
      expect((await seed.members()).map((m) => m.vsn)).toEqual([0, 1, 2].map(() => [1, 5, 5, 2, 5, 4]));
      await expectSameAsNode(source(), seed, 'passive, protocol 5');
      await expectSameAsNode([...source(), '--mode', 'member'], seed, 'member, protocol 5');
    });

    it('a --gossip-label this unlabelled cluster lacks: one line that names the label, exit 3', async () => {
      expect(await refused([...source(), '--gossip-label', LABEL], `memberlist ${version}, label against an unlabelled cluster`)).toMatch(/check --gossip-label/);
    });

    it('member mode reads the CRC-wrapped gossip the nodes send it: kill -9 reported suspect, then failed', async () => {
      const watch = startWatch([...source(1), '--mode', 'member']);
      try {
        const self = await waitFor(() => watch.lines[0]?.members?.find((m) => m.name.startsWith('ringside-') && m.status === 'alive'), { timeoutMs: 20_000, what: 'the member watch snapshot' });
        const listed = await waitFor(async () => (await (cluster.nodes[0] as MemberlistNode).members()).find((m) => m.name === self.name && m.state === 'alive'), { timeoutMs: 20_000, what: 'the observer in ml-1\'s table' });
        const observerAddr = `${listed.addr}:${listed.port}`;
        await cluster.kill9(2);
        await waitFor(() => events(watch, 'ml-3').includes('failed'), { timeoutMs: 60_000, what: 'the member watch to report ml-3 failed' });
        expect(events(watch, 'ml-3')).toEqual(['suspect', 'failed']);
        const own = await (cluster.nodes[0] as MemberlistNode).members();
        expect(own.find((m) => m.name === 'ml-3')?.state).toBe('dead');
        // The nodes' own count of what they sent the observer: packets starting 0x0C (CRC header).
        const sent = await Promise.all(cluster.running().map(async (n) => (await n.sent())[observerAddr] ?? {}));
        const withCrc = sent.reduce((sum, bytes) => sum + (bytes['12'] ?? 0), 0);
        process.stderr.write(`memberlist ${version}: packets the nodes sent the observer, by first byte: ${JSON.stringify(sent)}\n`);
        expect(withCrc).toBeGreaterThan(0);
        expect(await watch.stop()).toBe(0);
        await waitFor(async () => (await (cluster.nodes[0] as MemberlistNode).members()).find((m) => m.name === self.name)?.state === 'left', { timeoutMs: 20_000, what: 'the observer to be left' });
      } finally {
        await watch.stop();
      }
    });
  });
});
