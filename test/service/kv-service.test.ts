// The demo stateful service against real serf agents: `sandbox up --service` through the built
// CLI and through the test helper; cold then warm loads, one-hop forwarding to the owner that
// `ringside owner --node-key tag:http` names, ownership moving when an agent leaves, encrypted
// gossip, and every service process stopped by PID.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSandboxAgent } from '../../src/sandbox/agent-process.js';
import { sandboxDown } from '../../src/sandbox/down.js';
import type { SandboxDownResult, SandboxStatusResult, SandboxUpResult } from '../../src/sandbox/index.js';
import { isSandboxService } from '../../src/sandbox/service/process.js';
import type { OwnerRecord } from '../../src/ring/lookup.js';
import { type KvServiceCluster, startKvServiceCluster } from '../peers/kv-service.js';
import { runCli, runJson } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

const COLD_MS = 300;

interface KvReply {
  status: number;
  ms: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function get(url: string): Promise<KvReply> {
  const start = process.hrtime.bigint();
  const res = await request(url);
  const text = await res.body.text();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
  return { status: res.statusCode, ms, headers, body: JSON.parse(text) as Record<string, unknown> };
}

function owners(keys: string[], cluster: { join: string; keyringFile: string | null }): Promise<OwnerRecord[]> {
  const keyring = cluster.keyringFile !== null ? ['--keyring-file', cluster.keyringFile] : [];
  return runJson<OwnerRecord[]>(['owner', ...keys, '--protocol', 'serf', '--join', cluster.join, ...keyring, '--node-key', 'tag:http']);
}

describe('demo service on a real serf sandbox', () => {
  let cluster: KvServiceCluster;

  beforeAll(async () => {
    cluster = await startKvServiceCluster({ nodes: 3, coldMs: COLD_MS });
  });
  afterAll(async () => {
    await cluster?.stop();
    for (const s of cluster?.services ?? []) expect(isSandboxService(s)).toBe(false);
  });

  it('loads a key cold on first access (>= the cold delay), then serves it from memory', async () => {
    const [record] = await owners(['cold:1'], cluster);
    const owner = record!.owners[0]!;
    const first = await get(`${cluster.url(owner)}/kv/cold%3A1`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ key: 'cold:1', value: 'value-of:cold:1', owner, node: owner, cold: true, routed: false });
    expect(first.ms).toBeGreaterThanOrEqual(COLD_MS);
    const second = await get(`${cluster.url(owner)}/kv/cold%3A1`);
    expect(second.body).toMatchObject({ cold: false, routed: false });
    expect(second.headers['x-ringside-cold']).toBe('false');
    expect(second.ms).toBeLessThan(first.ms);
    const stats = (await get(`${cluster.url(owner)}/stats`)).body;
    expect(stats).toMatchObject({ node: owner, keysLoaded: 1, coldLoads: 1, served: 2, forwarded: 0 });
  });

  it('forwards a request at a non-owner to the owner ringside names, one hop, marked in headers', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `user:${i}`);
    const records = await owners(keys, cluster);
    expect(new Set(records.map((r) => r.owners[0])).size).toBeGreaterThan(1);
    const before = new Map(await Promise.all(cluster.services.map(async (s) => [s.name, (await get(`${s.url}/stats`)).body] as const)));
    let forwardedExpected = 0;
    for (const record of records) {
      const owner = record.owners[0]!;
      for (const service of cluster.services) {
        const reply = await get(`${service.url}/kv/${encodeURIComponent(record.key)}`);
        expect(reply.status).toBe(200);
        expect(reply.headers['x-ringside-owner'], `${record.key} via ${service.name}`).toBe(owner);
        expect(reply.headers['x-ringside-owner-addr']).toBe(cluster.services.find((s) => s.name === owner)?.listen);
        expect(reply.headers['x-ringside-node']).toBe(service.name);
        expect(reply.headers['x-ringside-routed']).toBe(String(service.name !== owner));
        expect(reply.body).toMatchObject({ key: record.key, value: `value-of:${record.key}`, owner, node: service.name, routed: service.name !== owner });
        if (service.name !== owner) forwardedExpected++;
      }
    }
    const after = new Map(await Promise.all(cluster.services.map(async (s) => [s.name, (await get(`${s.url}/stats`)).body] as const)));
    let forwarded = 0;
    for (const s of cluster.services) forwarded += (after.get(s.name)!.forwarded as number) - (before.get(s.name)!.forwarded as number);
    expect(forwarded).toBe(forwardedExpected);
    // Each key was loaded by its owner only: keys loaded grew by the owner's share.
    for (const s of cluster.services) {
      const owned = records.filter((r) => r.owners[0] === s.name).length;
      expect((after.get(s.name)!.keysLoaded as number) - (before.get(s.name)!.keysLoaded as number)).toBe(owned);
    }
  });

  it('answers bad requests with a status and keeps serving', async () => {
    const url = cluster.url('sandbox-1');
    const status = async (path: string, method = 'GET') => (await request(`${url}${path}`, { method })).statusCode;
    expect(await status('/kv/%E0%A4%A')).toBe(400);
    expect(await status(`/kv/${'k'.repeat(1025)}`)).toBe(400);
    expect(await status('/kv/')).toBe(400);
    expect(await status('/kv/x', 'POST')).toBe(405);
    expect(await status('/nothing')).toBe(404);
    expect((await get(`${url}/health`)).body).toMatchObject({ status: 'ok', node: 'sandbox-1' });
  });

  it('moves ownership when an agent leaves: the survivors route its keys to their new owners', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `move:${i}`);
    const records = await owners(keys, cluster);
    const leaving = 'sandbox-3';
    const moved = records.filter((r) => r.owners[0] === leaving).map((r) => r.key);
    expect(moved.length).toBeGreaterThan(0);
    await cluster.leave(leaving);
    for (const name of ['sandbox-1', 'sandbox-2']) {
      await waitFor(async () => ((await get(`${cluster.url(name)}/health`)).body.ring as string[]).length === 2, { timeoutMs: 20_000, what: `${name}'s service to drop ${leaving}` });
    }
    const now = await owners(moved, { ...cluster, join: cluster.agents[0]!.bind });
    for (const record of now) {
      const owner = record.owners[0]!;
      expect(owner).not.toBe(leaving);
      const reply = await get(`${cluster.url('sandbox-1')}/kv/${encodeURIComponent(record.key)}`);
      expect(reply.headers['x-ringside-owner'], record.key).toBe(owner);
      expect(reply.headers['x-ringside-cold']).toBe('true'); // the new owner loads it for the first time
    }
  });
});

describe('sandbox up --service through the CLI', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) {
      await sandboxDown({ stateDir: dir, termGraceMs: 3000 }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the services and the bench hint, status shows them, down stops them by PID (encrypted gossip)', async () => {
    const dir = mkdtempSync(join(tmpdir(), `ringside-kvcli-${process.pid}-`));
    dirs.push(dir);
    const up = await runJson<SandboxUpResult>(['sandbox', 'up', '--nodes', '2', '--service', '--cold-ms', '120', '--encrypt', '--state-dir', dir]);
    expect(up.services?.map((s) => [s.name, s.coldMs, s.url])).toEqual(up.agents.map((a) => [a.name, 120, `http://${a.tags.http}`]));
    for (const s of up.services ?? []) expect(isSandboxService(s)).toBe(true);
    const reply = await get(`${up.services![1]!.url}/kv/hello`);
    expect(reply.status).toBe(200);
    expect(up.agents.map((a) => a.name)).toContain(reply.headers['x-ringside-owner']);
    const [record] = await owners(['hello'], up);
    expect(reply.headers['x-ringside-owner']).toBe(record!.owners[0]);

    const status = await runJson<SandboxStatusResult>(['sandbox', 'status', '--state-dir', dir]);
    expect(status.services.map((s) => [s.name, s.running, s.stats?.ring.length])).toEqual([['sandbox-1', true, 2], ['sandbox-2', true, 2]]);
    const table = await runCli(['sandbox', 'status', '--state-dir', dir]);
    expect(table.stdout).toMatch(/demo services:/);

    const down = await runJson<SandboxDownResult>(['sandbox', 'down', '--state-dir', dir]);
    expect(down.services).toEqual(up.services!.map((s) => ({ name: s.name, pid: s.pid, outcome: 'stopped' })));
    for (const s of up.services!) expect(isSandboxService(s)).toBe(false);
    for (const a of up.agents) expect(isSandboxAgent(a)).toBe(false);
  });

  it('prints the ready-to-use hint for people', async () => {
    const dir = mkdtempSync(join(tmpdir(), `ringside-kvcli-${process.pid}-`));
    dirs.push(dir);
    const up = await runCli(['sandbox', 'up', '--nodes', '1', '--service', '--state-dir', dir]);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/demo service \(cold load 50 ms per key\): http:\/\/127\.0\.0\.1:\d+/);
    expect(up.stdout).toContain("--target 'http://{host}:{port}/kv/{key}' --port-tag http --join 127.0.0.1:");
    const down = await runCli(['sandbox', 'down', '--state-dir', dir]);
    expect(down.stdout).toMatch(/stopped 1 of 1 demo services/);
    const lonely = await runCli(['sandbox', 'up', '--cold-ms', '10', '--state-dir', dir]);
    expect(lonely.code).toBe(2);
    expect(lonely.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(lonely.stderr).toMatch(/^ringside: .*--service/);
  });
});
