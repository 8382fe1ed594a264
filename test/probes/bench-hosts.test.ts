/**
 * `bench --on HOST...` on real hosts (network namespaces on a bridge, root): one shard per host,
 * run by ringside on that host, against a server on the bridge; the shards start together and
 * add up to the whole schedule; a host with another ringside, none, or one failing mid-run is
 * reported as the issue asks (one line before anything starts; a partial result naming the shard).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/probes/types.js';
import { createLab, type Lab, labUnavailable, requireLab, skipsWithoutLab } from '../chaos/lab.js';
import { runCli } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

const why = labUnavailable();
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

describe.skipIf(skipsWithoutLab(why))('bench --on: one shard per host', () => {
  let lab: Lab;
  let server: TestServer;
  let dir: string;
  const on = () => lab.hosts.flatMap((h) => ['--on', `netns:${h.ns}`]);
  const bench = () => ['bench', '--target', server.target, '--rate', '60', '--duration', '2s', '--probe', 'first-connection', '--workers', '1'];

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: 2, serf: false });
    server = await startServer((_req, res) => res.end('ok'), lab.bridgeIp);
    dir = mkdtempSync(join(tmpdir(), 'ringside-remote-'));
    // A ringside that fails its shard 1/2 (a host failing mid-run), and one of another version.
    writeFileSync(join(dir, 'fails-shard-1'), `#!/bin/sh\ncase "$*" in *"--shard 1/2"*) echo "disk full" >&2; exit 5;; esac\nexec ${process.execPath} ${bin} "$@"\n`);
    writeFileSync(join(dir, 'old'), '#!/bin/sh\necho "ringside/0.1.0 linux-x64 node-v20.0.0"\n');
    for (const f of ['fails-shard-1', 'old']) chmodSync(join(dir, f), 0o755);
  });
  afterAll(async () => {
    await server?.close();
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each host runs its shard from one start; the merged result is the whole schedule with a per-host breakdown', async () => {
    const r = await runCli([...bench(), ...on(), '--remote-command', `${process.execPath} ${bin}`, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.probes['first-connection']?.count).toBe(120);
    expect(server.requests).toBe(120);
    const hosts = result.config.hosts as Array<{ on: string; shard: string; offsetMs: number; offsetErrorMs: number; count: number }>;
    expect(hosts.map((h) => [h.on, h.shard, h.count])).toEqual(lab.hosts.map((h, i) => [`netns:${h.ns}`, `${i}/2`, 60]));
    // Namespaces share this machine's clock: the offset is within its measurement error.
    for (const h of hosts) expect(Math.abs(h.offsetMs)).toBeLessThanOrEqual(h.offsetErrorMs + 1);
    expect(result.config.shards).toEqual({ count: 2, present: [0, 1], missing: [], partial: false });
    expect((result.config.configs as Array<{ startAt: string }>).map((c) => c.startAt)).toEqual([result.config.startAt, result.config.startAt]);
  });

  it('--hlog: the shards stream their intervals back, merged as they come into one interval log', async () => {
    const hlog = join(dir, 'merged.hlog');
    const r = await runCli([...bench(), ...on(), '--remote-command', `${process.execPath} ${bin}`, '--hlog', hlog, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    const totals = await runCli(['bench', 'merge', hlog, '--json']);
    expect(totals.code, totals.stderr).toBe(0);
    const log = JSON.parse(totals.stdout) as { startedAt: string; intervals: number; probes: Record<string, { count: number; p99: number; max: number }> };
    // One log line per second of the run (the merged ticks), adding up to the merged result exactly.
    expect(log.startedAt).toBe(result.config.startAt);
    expect(log.intervals).toBeGreaterThanOrEqual(2);
    expect(log.intervals).toBeLessThanOrEqual(3);
    const fc = result.probes['first-connection'];
    expect(log.probes['first-connection']).toMatchObject({ count: fc?.count, p99: fc?.p99, max: fc?.max });
  });

  it('a host whose shard fails mid-run leaves a partial result naming it; the other host finishes', async () => {
    const before = server.requests;
    const r = await runCli([...bench(), ...on(), '--remote-command', join(dir, 'fails-shard-1'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.probes['first-connection']?.count).toBe(60);
    expect(server.requests - before).toBe(60);
    expect(result.config.shards).toEqual({ count: 2, present: [0], missing: [1], partial: true });
    expect(r.stderr.trim()).toBe(`ringside: warning: partial: netns:${lab.hosts[1]?.ns} (shard 1/2) failed: disk full`);
  });

  it('a target no host can reach is one line naming it, exit 3, as on one host', async () => {
    const closed = `http://${lab.bridgeIp}:1/kv/{key}`;
    const r = await runCli(['bench', '--target', closed, '--rate', '10', '--duration', '1s', '--workers', '1', ...on(), '--remote-command', `${process.execPath} ${bin}`]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`ringside: from every host: no response from ${closed}: 10 refused, 0 timed out (check the address and that the service is up from those hosts)`);
  });

  it('a host with another ringside version, or none, is one line before anything starts (exit 2)', async () => {
    const before = server.requests;
    const old = await runCli([...bench(), ...on(), '--remote-command', join(dir, 'old')]);
    expect(old.code).toBe(2);
    expect(old.stderr.trim()).toMatch(new RegExp(`^ringside: netns:${lab.hosts[0]?.ns} runs ringside 0\\.1\\.0, this is \\d+\\.\\d+\\.\\d+`));
    const none = await runCli([...bench(), ...on(), '--remote-command', join(dir, 'no-such-ringside')]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    expect(none.stderr).toMatch(new RegExp(`ringside is not installed on netns:${lab.hosts[0]?.ns}`));
    expect(server.requests).toBe(before);
  });
});
