// A mixed-version Serf cluster, as during a rolling upgrade: Debian's serf 0.9.4 (memberlist 0.2.2)
// and Serf 0.10.x (memberlist 0.6, go-msgpack v2) agents together, started through the CLI's own
// `sandbox up --serf A --serf B` (agents take the binaries in turn), encrypted. The agents of both
// generations must list each other, and ringside, seeded from either generation, in both modes,
// must report what `serf members` reports on each side, through a crash of one agent of each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalAgent } from '../../src/sandbox/agent-process.js';
import { sandboxDown } from '../../src/sandbox/down.js';
import { serfMembers } from '../../src/sandbox/members.js';
import type { SandboxAgent, SandboxUpResult } from '../../src/sandbox/index.js';
import { DEBIAN_SERF, runningSerfVersion, SERF_0_10 } from '../peers/serf-versions.js';
import { runJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

interface MembersJson {
  members: { name: string; addr: string; nativeStatus: string; tags: Record<string, string> }[];
  views?: { agree: boolean; groups: { observers: string[] }[]; unreachable: unknown[] };
}

describe(`a mixed cluster: ${DEBIAN_SERF.label} and ${SERF_0_10.label}`, () => {
  let dir: string;
  let up: SandboxUpResult;
  const agent = (name: string) => up.agents.find((a) => a.name === name) as SandboxAgent;
  /** `serf members` as one agent sees it, observers left out, in ringside's terms. */
  const serfView = async (name: string) =>
    (await serfMembers(agent(name).serf as string, agent(name).rpc))
      .filter((m) => m.tags['ringside'] !== 'observer')
      .map((m) => ({ name: m.name, addr: m.addr, status: m.status, tags: m.tags }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const ringside = async (seed: string, extra: string[] = []) =>
    (await runJson<MembersJson>(['members', '--join', agent(seed).bind, '--keyring-file', up.keyringFile as string, ...extra])).members
      .filter((m) => m.tags['ringside'] !== 'observer')
      .map((m) => ({ name: m.name, addr: m.addr, status: m.nativeStatus, tags: m.tags }))
      .sort((a, b) => a.name.localeCompare(b.name));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ringside-mixed-'));
    up = await runJson<SandboxUpResult>(['sandbox', 'up', '--nodes', '4', '--encrypt', '--state-dir', dir, '--serf', DEBIAN_SERF.binary(), '--serf', SERF_0_10.binary()]);
  });
  afterAll(async () => {
    if (dir) {
      await sandboxDown({ stateDir: dir, termGraceMs: 3000 }).catch(() => undefined);
      for (const a of up?.agents ?? []) signalAgent(a, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs both generations, in turn, and each lists all four alive', async () => {
    expect(up.agents.map((a) => runningSerfVersion(a.pid))).toEqual([DEBIAN_SERF.prints, SERF_0_10.prints, DEBIAN_SERF.prints, SERF_0_10.prints]);
    for (const name of ['sandbox-1', 'sandbox-2']) expect((await serfView(name)).map((m) => [m.name, m.status])).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4'].map((n) => [n, 'alive']));
  });

  it('members, seeded from either generation, in both modes, equal serf members on each side', async () => {
    for (const seed of ['sandbox-1', 'sandbox-2']) {
      const truth = await serfView(seed === 'sandbox-1' ? 'sandbox-2' : 'sandbox-1');
      expect(await ringside(seed), `passive from ${seed}`).toEqual(truth);
      expect(await ringside(seed, ['--mode', 'member']), `member from ${seed}`).toEqual(truth);
    }
  });

  it('--all-views asks agents of both generations and finds one group', async () => {
    const out = await runJson<MembersJson>(['members', '--join', agent('sandbox-2').bind, '--keyring-file', up.keyringFile as string, '--all-views']);
    expect(out.views?.agree).toBe(true);
    expect(out.views?.groups.map((g) => g.observers.sort())).toEqual([['sandbox-1', 'sandbox-2', 'sandbox-3', 'sandbox-4']]);
    expect(out.views?.unreachable).toEqual([]);
  });

  it('kill -9 of one agent of each generation: failed on both sides, and so in ringside (both modes)', async () => {
    for (const name of ['sandbox-3', 'sandbox-4']) expect(signalAgent(agent(name), 'SIGKILL')).toBe(true);
    const failedIn = async (name: string) => (await serfView(name)).filter((m) => m.status === 'failed').map((m) => m.name);
    await waitFor(async () => (await failedIn('sandbox-1')).length === 2 && (await failedIn('sandbox-2')).length === 2, { timeoutMs: 60_000, what: 'both survivors to mark both crashed agents failed' });
    expect(await failedIn('sandbox-1')).toEqual(['sandbox-3', 'sandbox-4']);
    for (const seed of ['sandbox-1', 'sandbox-2']) {
      const truth = await serfView(seed);
      expect(await ringside(seed), `passive from ${seed}`).toEqual(truth);
      expect(await ringside(seed, ['--mode', 'member']), `member from ${seed}`).toEqual(truth);
    }
  });
});
