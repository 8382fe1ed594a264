// ringside observing real Serf agents on an encrypted 5-agent cluster, in both modes, once per Serf
// generation (test/peers/serf-versions.ts: Debian's 0.9.4 on memberlist 0.2.2, and Serf 0.10.x on
// memberlist 0.6 with go-msgpack v2): what it reports must be what `serf members` reports, in every
// state (alive, left, failed, and failed or left after memberlist has forgotten the member).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { runningSerfVersion, SERF_VERSIONS, type SerfVersion } from '../peers/serf-versions.js';
import { runCli, runJson } from '../support/cli.js';
import { forgottenBy, markedDownAt, memberlistHolds, readSerfLog } from '../support/serf-log.js';
import { waitFor } from '../support/wait.js';
import { startWatch, type Watcher } from '../support/watcher.js';

interface MemberJson {
  name: string;
  addr: string;
  status: string;
  nativeStatus: string;
  tags: Record<string, string>;
}
interface MembersJson {
  cluster: { protocol: string; mode: string; seeds: string[] };
  members: MemberJson[];
}

describe.each(SERF_VERSIONS)('$label', (version: SerfVersion) => {
  let cluster: SerfCluster;
  let keyArgs: string[];
  let seed: string;

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 5, encrypt: true, serf: [version.binary()] });
    keyArgs = ['--keyring-file', cluster.keyringFile as string];
    seed = (cluster.agents[0] as { bind: string }).bind;
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs the Serf it names', () => {
    for (const agent of cluster.agents) expect(runningSerfVersion(agent.pid)).toBe(version.prints);
  });

  /** What serf members shows, in ringside's terms: name, address, Serf status, tags. */
  async function serfView(rpcIndex = 0): Promise<{ name: string; addr: string; status: string; tags: Record<string, string> }[]> {
    return (await cluster.members(rpcIndex)).map((m) => ({ name: m.name, addr: m.addr, status: m.status, tags: m.tags })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  function ours(out: MembersJson): { name: string; addr: string; status: string; tags: Record<string, string> }[] {
    return out.members.map((m) => ({ name: m.name, addr: m.addr, status: m.nativeStatus, tags: m.tags })).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  const isObserver = (m: { tags: Record<string, string> }): boolean => m.tags.ringside === 'observer';
  /** Observers from earlier tests, so a test watches only its own. */
  const seenObservers = new Set<string>();
  const cliBin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

  describe('members = serf members', () => {
    it('passive mode: same names, addresses, statuses and tags, and nobody joined', async () => {
      const out = await runJson<MembersJson>(['members', '--join', seed, ...keyArgs]);
      expect(out.cluster).toMatchObject({ protocol: 'serf', mode: 'passive', seeds: [seed] });
      expect(ours(out)).toEqual(await serfView());
      expect(out.members).toHaveLength(5);
      expect((await serfView(3)).some(isObserver)).toBe(false);
    });

    it('member mode: same view, the observer joins tagged ringside=observer and leaves as left', async () => {
      const out = await runJson<MembersJson>(['members', '--join', seed, '--mode', 'member', ...keyArgs]);
      expect(out.cluster.mode).toBe('member');
      const observer = out.members.find(isObserver);
      expect(observer).toMatchObject({ status: 'alive', tags: { ringside: 'observer' } });
      seenObservers.add(observer?.name ?? '');
      const agents = await serfView();
      expect(ours(out).filter((m) => !isObserver(m))).toEqual(agents.filter((m) => !isObserver(m)));
      // Graceful leave: every agent records the observer as left, never failed.
      for (const index of [0, 2, 4]) {
        const seen = await waitFor(async () => (await serfView(index)).find((m) => m.name === observer?.name), { what: 'the observer in serf members' });
        expect(seen.status).toBe('left');
      }
    });

    it('leaves gracefully when interrupted with Ctrl-C mid-way (regression: the handler was gone during the leave)', async () => {
      const child = spawn(process.execPath, [cliBin, 'ring', '--join', seed, '--mode', 'member', ...keyArgs], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
      const observer = await waitFor(async () => (await serfView(1)).find((m) => isObserver(m) && m.status === 'alive' && !seenObservers.has(m.name)), { timeoutMs: 15_000, intervalMs: 20, what: 'the observer to join' });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      seenObservers.add(observer.name);
      await waitFor(async () => (await serfView(2)).find((m) => m.name === observer.name)?.status === 'left', { what: 'the interrupted observer to be left' });
    });

    it('with --protocol memberlist reports plain memberlist states and the same members', async () => {
      const out = await runJson<MembersJson>(['members', '--join', seed, '--protocol', 'memberlist', ...keyArgs]);
      expect(out.members.filter((m) => !isObserver(m)).map((m) => [m.name, m.status])).toEqual((await serfView()).filter((m) => !isObserver(m)).map((m) => [m.name, m.status === 'left' ? 'left' : 'alive']));
    });

    it('--all-views asks every member and finds them in agreement', async () => {
      const out = await runJson<MembersJson & { views: { agree: boolean; groups: { observers: string[] }[]; unreachable: unknown[] } }>(['members', '--join', seed, '--all-views', ...keyArgs]);
      expect(out.views.agree).toBe(true);
      expect(out.views.groups[0]?.observers.sort()).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4', 'sandbox-5']);
      expect(out.views.unreachable).toEqual([]);
    });

    it('feeds owner and ring from the live cluster (observers excluded)', async () => {
      const ring = await runJson<{ nodes: { node: string }[]; excluded: { name: string; reason: string }[] }>(['ring', '--join', seed, ...keyArgs]);
      expect(ring.nodes.map((n) => n.node).sort()).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4', 'sandbox-5']);
      expect(ring.excluded.every((e) => e.reason === 'ringside observer' || e.reason === 'left')).toBe(true);
    });
  });

  /** A passive watch from before the leave and the crash to the end (it must keep what it saw). */
  let passive: Watcher;
  /** When the agents showed the last of the changes (sandbox-5 left, sandbox-4 failed). */
  let changedAt = 0;
  /** Whether an agent's own log shows it held the leaver (sandbox-5) failed before it knew it left. */
  let agentSawFailed = false;
  const eventsFor = (w: Watcher, name: string): string[] => w.lines.filter((l) => l.member === name).map((l) => l.type);
  afterAll(async () => {
    await passive?.stop();
  });

  /** Which members the seed's memberlist still lists, from the seed agent's own log (serf-log.ts). */
  const markedAt = (name: string): number | undefined => markedDownAt(readSerfLog(join(cluster.stateDir, `${(cluster.agents[0] as { name: string }).name}.log`)), name);
  const forgettable = (): string[] => (version.purgesLeft ? ['sandbox-4', 'sandbox-5'] : ['sandbox-4']);
  const held = (name: string, from: number, to: number): 'kept' | 'forgotten' | 'either' => (forgettable().includes(name) ? memberlistHolds(markedAt(name), from, to) : 'kept');

  /**
   * One-shot `members` in both modes against serf members: the same members with the same
   * statuses; the same address and tags too, except for the members the seed's memberlist has
   * forgotten (`held`), which must come by name and status only. Returns what was forgotten.
   */
  const compare = async (when: string): Promise<string[]> => {
    const forgotten: string[] = [];
    for (const mode of ['passive', 'member'] as const) {
      const from = Date.now();
      const out = await runJson<MembersJson>(['members', '--join', seed, ...keyArgs, ...(mode === 'member' ? ['--mode', 'member'] : [])]);
      const to = Date.now();
      const nameOnly = ['sandbox-4', 'sandbox-5'].filter((n) => held(n, from, to) === 'forgotten');
      const withAddr = ['sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4', 'sandbox-5'].filter((n) => held(n, from, to) === 'kept');
      forgotten.push(...nameOnly);
      const agents = await serfView(1);
      const self = out.members.find((m) => isObserver(m) && m.status === 'alive')?.name;
      const theirs = agents.filter((m) => m.name !== self);
      const mine = ours(out).filter((m) => m.name !== self);
      // Every member serf lists, ringside lists with the same status (observers of earlier tests included).
      expect(mine.map((m) => [m.name, m.status]), `${mode}, ${when}`).toEqual(theirs.map((m) => [m.name, m.status]));
      // Address and tags too, unless memberlist forgot the member: then none at all.
      for (const m of mine) {
        const serf = theirs.find((t) => t.name === m.name);
        if (m.addr === '') expect([m.tags, ['failed', 'left'].includes(m.status)], `${m.name} (${mode}, ${when})`).toEqual([{}, true]);
        else expect(m, `${mode}, ${when}`).toEqual(serf);
      }
      expect(mine.filter((m) => nameOnly.includes(m.name)).map((m) => m.addr), `${mode}, ${when}: forgotten by the seed's memberlist`).toEqual(nameOnly.map(() => ''));
      expect(mine.filter((m) => withAddr.includes(m.name)).map((m) => [m.name, m.addr !== '']), `${mode}, ${when}: still listed by the seed's memberlist`).toEqual(withAddr.map((n) => [n, true]));
    }
    return forgotten;
  };
  const STATES = [
    ['sandbox-1', 'alive'],
    ['sandbox-2', 'alive'],
    ['sandbox-3', 'alive'],
    ['sandbox-4', 'failed'],
    ['sandbox-5', 'left'],
  ];

  describe('changes as they happen', () => {
    let member: Watcher;

    beforeAll(async () => {
      passive = startWatch(['--join', seed, ...keyArgs]);
      member = startWatch(['--join', (cluster.agents[1] as { bind: string }).bind, '--mode', 'member', ...keyArgs]);
      await waitFor(() => passive.lines.length > 0 && member.lines.length > 0, { timeoutMs: 15_000, what: 'both watches to print their snapshot' });
    });
    afterAll(async () => {
      await member?.stop();
    });

    it('reports a graceful leave as left', async () => {
      await cluster.leave('sandbox-5');
      changedAt = Date.now();
      // Serf itself may first hold a leaver failed: an agent that missed the leave intent sees only
      // memberlist's dead message, and is corrected by the next push-pull (30 s). The ground truth
      // is every remaining agent listing it left.
      await waitFor(async () => (await Promise.all([0, 1, 2, 3].map(serfView))).every((view) => view.find((m) => m.name === 'sandbox-5')?.status === 'left'), {
        timeoutMs: 75_000,
        intervalMs: 200,
        what: 'every remaining agent to list sandbox-5 left',
      });
      for (const w of [passive, member]) await waitFor(() => eventsFor(w, 'sandbox-5').at(-1) === 'left', { timeoutMs: 15_000, what: 'a left event' });
      // Never failed, unless an agent's own log shows it held the leaver failed.
      agentSawFailed = cluster.agents.slice(0, 4).some((a) => /EventMemberFailed: sandbox-5\b/.test(readFileSync(join(cluster.stateDir, `${a.name}.log`), 'utf8')));
      if (!agentSawFailed) expect(eventsFor(passive, 'sandbox-5')).not.toContain('failed');
    });

    // Passive mode polls one member per --interval (1 s): it may trail the agents by an interval plus
    // the gossip that carries the news to the member it asks; member mode hears that gossip itself.
    const LAG_BOUND_MS = { passive: 1000 + 3000, member: 3000 };
    it(`reports kill -9 as suspect then failed, at most ${LAG_BOUND_MS.passive / 1000} s (passive) and ${LAG_BOUND_MS.member / 1000} s (member) after serf members shows it`, async () => {
      const killedAt = Date.now();
      cluster.kill9('sandbox-4');
      // When do the agents themselves mark it failed?
      const agentsAt = await waitFor(async () => ((await serfView(0)).find((m) => m.name === 'sandbox-4')?.status === 'failed' ? Date.now() : 0), { timeoutMs: 60_000, intervalMs: 50, what: 'serf to mark sandbox-4 failed' });
      for (const [mode, w] of [['passive', passive], ['member', member]] as const) {
        const failed = await waitFor(() => w.lines.find((l) => l.member === 'sandbox-4' && l.type === 'failed'), { timeoutMs: 30_000, what: `${mode} watch to report failed` });
        const events = eventsFor(w, 'sandbox-4');
        expect(events.indexOf('suspect')).toBeGreaterThanOrEqual(0);
        expect(events.indexOf('suspect')).toBeLessThan(events.indexOf('failed'));
        process.stderr.write(`${version.label}, ${mode}: failed reported ${failed.receivedAt - agentsAt} ms after serf members showed it (${failed.receivedAt - killedAt} ms after kill -9)\n`);
        expect(failed.receivedAt - agentsAt).toBeLessThanOrEqual(LAG_BOUND_MS[mode]);
      }
      changedAt = Math.max(changedAt, agentsAt);
    });

    it('ends the member-mode watch with a graceful leave', async () => {
      const snapshot = member.lines[0];
      const self = snapshot?.members?.find((m) => m.name.startsWith('ringside-'))?.name;
      expect(await member.stop()).toBe(0);
      expect(self).toBeDefined();
      await waitFor(async () => (await serfView(0)).find((m) => m.name === self)?.status === 'left', { what: 'the watch observer to be left' });
    });

    it('statuses, addresses and tags equal serf members field by field in every state', async () => {
      // The agent the comparison reads may hear of the crash after agent 0 did (gossip): wait until it has.
      // The seed ringside joins is agent 0: every remaining agent must have settled.
      const settledOn = async (i: number): Promise<boolean> => JSON.stringify((await serfView(i)).filter((m) => !isObserver(m)).map((m) => [m.name, m.status])) === JSON.stringify(STATES);
      const settled = async (): Promise<boolean> => (await Promise.all([0, 1, 2].map(settledOn))).every(Boolean);
      await waitFor(settled, { timeoutMs: 60_000, intervalMs: 200, what: `serf members on agents 0-2 to list ${JSON.stringify(STATES)}` });
      await compare('just after');
    });
  });

  describe('unreachable or unusable clusters: one line, exit 3', () => {
    let http: Server;
    let httpPort: number;
    beforeAll(async () => {
      http = createServer((_req, res) => res.end('hello')).listen(0, '127.0.0.1');
      await new Promise((resolve) => http.once('listening', resolve));
      httpPort = (http.address() as { port: number }).port;
    });
    afterAll(() => new Promise((resolve) => http.close(resolve)));

    const one = async (args: string[]): Promise<string> => {
      const result = await runCli(['members', ...args, '--timeout', '2s']);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      const lines = result.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      return lines[0] as string;
    };

    it('wrong key', async () => {
      const line = await one(['--join', seed, '--encrypt-key', Buffer.alloc(32, 1).toString('base64')]);
      expect(line).toMatch(/gossip key does not match/);
      expect(line).not.toContain(Buffer.alloc(32, 1).toString('base64'));
    });

    it('no key for an encrypted cluster', async () => {
      expect(await one(['--join', seed])).toMatch(/the cluster encrypts gossip \(pass its key/);
    });

    it('a key for a plaintext cluster', async () => {
      const plain = await startSerfCluster({ nodes: 1, serf: [version.binary()] });
      try {
        expect(await one(['--join', (plain.agents[0] as { bind: string }).bind, '--encrypt-key', Buffer.alloc(32, 1).toString('base64')])).toMatch(/does not encrypt gossip/);
      } finally {
        await plain.stop();
      }
    });

    it('unreachable seed', async () => {
      expect(await one(['--join', '127.0.0.1:9'])).toMatch(/127\.0\.0\.1:9: connection refused/);
    });

    it('a seed that is an HTTP server, not memberlist', async () => {
      expect(await one(['--join', `127.0.0.1:${httpPort}`])).toMatch(/does not speak memberlist \(it sent "HTTP\/1\.1 400/);
    });

    it('a bad key is refused before anything is sent (exit 2)', async () => {
      const result = await runCli(['members', '--join', seed, '--encrypt-key', 'c2VjcmV0']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--encrypt-key decodes to 6 bytes/);
      expect(result.stderr).not.toContain('c2VjcmV0');
    });
  });

  // memberlist forgets a dead member GossipToTheDeadTime (30 s on a LAN) after it died, and since
  // 0.3.1 a left one too, from its push-pull replies, while Serf keeps them (failed 24 h, left 6 h).
  // Serf's own push-pull state names them (StatusLTimes, LeftMembers) without address or tags, so a
  // one-shot `members` started after that knows them by name and status only, and says so (addr "",
  // no tags) rather than invent them; a watch that saw them before keeps what it saw. The wait counts
  // from when the seed agent logged each change, so the tests above (the unreachable ones too) overlap it.
  describe('after memberlist forgot the crashed member (and, 0.3.1+, the left one)', () => {
    it('statuses still equal serf members; addresses and tags where memberlist still has them; the watch keeps them', async () => {
      expect(changedAt).toBeGreaterThan(0);
      const marked = forgettable().map(markedAt);
      expect(marked.every((at) => at !== undefined), `the seed agent logged ${forgettable().join(' and ')} failed or left`).toBe(true);
      const until = Math.max(...(marked as number[]).map(forgottenBy)) + 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
      expect((await serfView(1)).filter((m) => !isObserver(m)).map((m) => [m.name, m.status])).toEqual(STATES);
      expect(await compare('once forgotten')).toEqual([...forgettable(), ...forgettable()]);
      // The passive watch, running since before both changes, reported each once and nothing since
      // (an address or tags lost when memberlist forgot them would show as an "updated" event).
      expect(eventsFor(passive, 'sandbox-5')).toEqual(agentSawFailed ? expect.arrayContaining(['left']) : ['left']);
      expect(eventsFor(passive, 'sandbox-5').at(-1)).toBe('left');
      expect(eventsFor(passive, 'sandbox-4')).toEqual(['suspect', 'failed']);
    });
  });
});
