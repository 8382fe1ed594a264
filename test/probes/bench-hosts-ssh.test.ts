/**
 * `bench --on` across three hosts over SSH (issue 15): namespace hosts on a bridge, each with its
 * own real sshd and a deploy user, against one server on the bridge at a rate it sustains. The
 * merged count is the schedule's (rate x duration), each host sent its third, the merged figures
 * equal `bench merge` of what each host printed, and a 1 s stall of the server shows in the merged
 * corrected p99 as it does when one host sends the whole schedule.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/probes/types.js';
import { type HostKinds, hostKinds, type LabSsh } from '../chaos/host-kinds.js';
import { createLab, type Lab, labUnavailable, requireLab, skipsWithoutLab } from '../chaos/lab.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { startServer, type TestServer } from './servers.js';

const why = labUnavailable();
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const RATE = 300;
const SECONDS = 6;
const SCHEDULE = RATE * SECONDS;

/** Holds every request that arrives in [stallAt, stallAt + 1 s) until that second is over. */
class Staller {
  stallAt: number | undefined;
  enabled = false;
  reset(enabled: boolean): void {
    this.enabled = enabled;
    this.stallAt = undefined;
  }
  handle = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
    const now = Date.now();
    // The stall begins 2 s after the run's first request, whoever sends it.
    this.stallAt ??= now + 2000;
    const until = this.stallAt + 1000;
    if (this.enabled && now >= this.stallAt && now < until) setTimeout(() => res.end('ok'), until - now);
    else res.end('ok');
  };
}

describe.skipIf(skipsWithoutLab(why))('bench --on three hosts over SSH', () => {
  let lab: Lab;
  let kinds: HostKinds;
  let ssh: LabSsh[];
  let server: TestServer;
  let outputs: string;
  let remote: string;
  const staller = new Staller();

  const on = () => [...ssh.flatMap((s) => ['--on', s.target]), ...(ssh[0]?.options ?? []).flatMap((o) => ['--ssh-option', o])];
  const bench = (rate = RATE, seconds = SECONDS) => ['bench', '--target', server.target, '--rate', String(rate), '--duration', `${seconds}s`, '--probe', 'warm', '--connections', '10', '--workers', '1'];
  /**
   * What each host printed for its shard (the wrapper keeps a copy of its `--stream` output), as
   * result files in shard order: the stream's last line is the shard's result.
   */
  const shardResults = (): string[] =>
    readdirSync(outputs)
      .map((f) => readFileSync(join(outputs, f), 'utf8').trim().split('\n').at(-1) ?? '')
      .filter((line) => line.startsWith('{"type":"result"'))
      .map((line) => (JSON.parse(line) as { result: BenchResult }).result)
      .sort((a, b) => (a.config.shard as { index: number }).index - (b.config.shard as { index: number }).index)
      .map((result, i) => {
        const file = `${outputs}-shard-${i}.json`;
        writeFileSync(file, JSON.stringify(result));
        return file;
      });

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: 3, serf: false });
    kinds = hostKinds(lab);
    ssh = lab.hosts.map((_, i) => kinds.addSshd(i, { user: 'sudo' }));
    server = await startServer(staller.handle, lab.bridgeIp);
    // The ringside the hosts run: this one, keeping a copy of what it prints for the test.
    outputs = mkdtempSync(join(tmpdir(), 'ringside-shards-'));
    chmodSync(outputs, 0o777);
    remote = `${outputs}-ringside`;
    writeFileSync(remote, `#!/bin/sh\nout=$(mktemp -p ${outputs})\n${process.execPath} ${bin} "$@" > "$out"\ncode=$?\ncat "$out"\nexit $code\n`);
    chmodSync(remote, 0o755);
    await waitFor(
      async () => {
        const r = await runCli([...bench(3, 1), ...on(), '--remote-command', remote, '--json']);
        if (r.code !== 0) throw new Error(r.stderr.trim());
        return true;
      },
      { timeoutMs: 60_000, what: 'the three sshds to answer' },
    );
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    kinds?.destroy();
    lab?.destroy();
    if (outputs) rmSync(outputs, { recursive: true, force: true });
    if (remote) rmSync(remote, { force: true });
  });

  it('the merged count is rate x duration, each host sent its third, and the merge equals bench merge of the hosts', async () => {
    for (const f of readdirSync(outputs)) rmSync(join(outputs, f));
    staller.reset(false);
    const before = server.requests;
    // As a user runs it: the summary on stdout, the merged result in a file.
    const file = `${outputs}-merged.json`;
    const r = await runCli([...bench(), ...on(), '--remote-command', remote, '-o', file]);
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
    rmSync(file);
    const warm = merged.probes.warm;
    for (const [i, s] of ssh.entries()) expect(r.stdout).toMatch(new RegExp(`^${s.target}: shard ${i}/3, clock [-+][\\d.]+ ms \\(±[\\d.]+\\), ${merged.config.hosts && (merged.config.hosts as Array<{ count: number }>)[i]?.count} responses$`, 'm'));
    process.stderr.write(`bench --on 3 ssh hosts, as printed:\n${r.stdout}\n`);
    expect(warm?.errors).toBe(0);
    expect(Math.abs((warm?.count ?? 0) - SCHEDULE)).toBeLessThanOrEqual(0.02 * SCHEDULE);
    expect(server.requests - before).toBe(warm?.count);
    const hosts = merged.config.hosts as Array<{ on: string; shard: string; count: number }>;
    expect(hosts.map((h) => [h.on, h.shard])).toEqual(ssh.map((s, i) => [s.target, `${i}/3`]));
    for (const h of hosts) expect(Math.abs(h.count - SCHEDULE / 3)).toBeLessThanOrEqual(0.02 * (SCHEDULE / 3));
    expect(merged.config.shards).toEqual({ count: 3, present: [0, 1, 2], missing: [], partial: false });
    process.stderr.write(`bench --on 3 ssh hosts: ${warm?.count} of ${SCHEDULE} (${hosts.map((h) => h.count).join(' + ')}), p50 ${warm?.p50} ms, p99 ${warm?.p99} ms\n`);

    const files = shardResults();
    expect(files).toHaveLength(3);
    const m = await runCli(['bench', 'merge', ...files, '--json']);
    for (const f of files) rmSync(f);
    expect(m.code, m.stderr).toBe(0);
    const byMerge = JSON.parse(m.stdout) as BenchResult;
    const figures = (p: BenchResult['probes']['warm']) => ({ count: p?.count, errors: p?.errors, p50: p?.p50, p90: p?.p90, p99: p?.p99, p999: p?.p999, max: p?.max, histogram: p?.histogram, uncorrected: p?.uncorrected });
    expect(figures(warm)).toEqual(figures(byMerge.probes.warm));
  }, 180_000);

  it('a 1 s server stall shows in the merged corrected p99 as it does when one host sends the whole schedule', async () => {
    staller.reset(true);
    const one = await runCli([...bench(), '--json']);
    expect(one.code, one.stderr).toBe(0);
    const single = (JSON.parse(one.stdout) as BenchResult).probes.warm;
    staller.reset(true);
    const r = await runCli([...bench(), ...on(), '--remote-command', remote, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const merged = (JSON.parse(r.stdout) as BenchResult).probes.warm;
    process.stderr.write(`1 s stall: corrected p99 ${single?.p99} ms from one host, ${merged?.p99} ms merged from 3; uncorrected p99 ${single?.uncorrected.p99} / ${merged?.uncorrected.p99} ms\n`);
    // A second of stall in a 6 s schedule: a sixth of the requests wait 0-1 s, so the corrected p99 is
    // about 940 ms; a prober that does not correct for coordinated omission would report far less.
    for (const p of [single, merged]) {
      expect(p?.errors).toBe(0);
      expect(p?.p99).toBeGreaterThanOrEqual(800);
      expect(p?.p99).toBeLessThan(1500);
      expect(p?.max).toBeGreaterThanOrEqual(900);
    }
    expect(Math.abs((merged?.p99 ?? 0) - (single?.p99 ?? 0))).toBeLessThanOrEqual(0.15 * (single?.p99 ?? 0));
  }, 180_000);
});
