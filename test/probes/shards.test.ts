/**
 * One open-loop schedule split over processes (`bench --shard i/N --start-at T`): the shards'
 * requests are exactly the schedule one process would send, they start together, and `bench
 * merge` adds them and says when a shard is missing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, parseStartAt } from '../../src/cli/bench-options.js';
import { intendedNs, totalRequests } from '../../src/probes/pacer.js';
import { encodeHistogram, mergeHistograms } from '../../src/probes/histogram.js';
import { parseStreamLine } from '../../src/probes/stream.js';
import type { BenchResult } from '../../src/probes/types.js';
import { runCli, tempFiles } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

describe('shards of one schedule', () => {
  it('shard i of N, worker w of W sends global requests w*N+i, (W+w)*N+i, ...: together exactly the one-process schedule', () => {
    const ratePerSec = 37;
    const durationNs = 1.3e9;
    const one = Array.from({ length: totalRequests({ ratePerSec, durationNs, workers: 1, worker: 0 }) }, (_, k) => intendedNs({ ratePerSec, durationNs, workers: 1, worker: 0 }, k));
    const [W, N] = [2, 3];
    const union: number[] = [];
    for (let i = 0; i < N; i++) {
      for (let w = 0; w < W; w++) {
        const plan = { ratePerSec, durationNs, workers: W * N, worker: w * N + i };
        for (let k = 0; k < totalRequests(plan); k++) union.push(intendedNs(plan, k));
      }
    }
    expect(one).toHaveLength(49);
    expect(union.sort((a, b) => a - b)).toEqual(one);
  });

  it('refuses a shard outside 0..N-1 and a start time that is not a time or long past', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('3/3')).toThrow(/--shard 3\/3 is not i\/N with 0 <= i < N/);
    expect(() => parseShard('1/0')).toThrow(/is not i\/N/);
    expect(parseStartAt('2026-12-04T02:00:00Z', Date.parse('2026-12-04T01:59:00Z'))).toBe(Date.parse('2026-12-04T02:00:00Z'));
    expect(parseStartAt('1796349600000', 1796349500000)).toBe(1796349600000);
    expect(() => parseStartAt('2026-12-04T02:00:00', 0)).toThrow(/is not a time/);
    expect(() => parseStartAt('2026-12-04T02:00:00Z', Date.parse('2026-12-04T02:00:05Z'))).toThrow(/is 5\.0 s in the past/);
  });
});

describe('bench --shard on two processes', () => {
  let server: TestServer;
  const files = tempFiles({});
  let startAt: string;
  const shards: BenchResult[] = [];

  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
    startAt = new Date(Date.now() + 3000).toISOString();
    const runs = await Promise.all(
      [0, 1].map((i) => runCli(['bench', '--target', server.target, '--rate', '100', '--duration', '2s', '--probe', 'first-connection', '--workers', '1', '--shard', `${i}/2`, '--start-at', startAt, '-o', files.path(`s${i}.json`), '--quiet'])),
    );
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const i of [0, 1]) shards.push(JSON.parse(readFileSync(files.path(`s${i}.json`), 'utf8')) as BenchResult);
  });
  afterAll(async () => {
    await server.close();
    files.cleanup();
  });

  it('each shard sends half of the schedule, both from the same start; the server saw every request once', () => {
    expect(shards.map((s) => s.probes['first-connection']?.count)).toEqual([100, 100]);
    expect(shards.map((s) => s.startedAt)).toEqual([startAt, startAt]);
    expect(shards.map((s) => s.config.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(server.requests).toBe(200);
    expect(new Set(server.keys).size).toBe(200);
  });

  it('bench merge adds the shards exactly; with one missing it says so and marks the result partial', async () => {
    const merged = await runCli(['bench', 'merge', files.path('s0.json'), files.path('s1.json'), '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout) as BenchResult;
    expect(m.probes['first-connection']?.count).toBe(200);
    expect(m.config.shards).toEqual({ count: 2, present: [0, 1], missing: [], partial: false });
    expect(merged.stderr).toBe('');
    const half = await runCli(['bench', 'merge', files.path('s1.json'), '--json']);
    expect(half.code, half.stderr).toBe(0);
    expect((JSON.parse(half.stdout) as BenchResult).config.shards).toEqual({ count: 2, present: [1], missing: [0], partial: true });
    expect(half.stderr.trim()).toBe('ringside: warning: partial: shard 0/2 missing; the merged figures cover 1 of 2 shards');
  });
});

describe('bench --stream: what a shard sends back while it runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
  });
  afterAll(() => server.close());

  it('prints start, one interval per probe and second, then the result; the intervals add up to it', async () => {
    const r = await runCli(['bench', '--target', server.target, '--rate', '50', '--duration', '3s', '--probe', 'warm', '--workers', '1', '--stream']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const events = r.stdout.trim().split('\n').map((line) => parseStreamLine(line, 'local'));
    expect(events.filter((e) => 'error' in e)).toEqual([]);
    const kinds = events.map((e) => ('type' in e ? e.type : 'error'));
    expect(kinds[0]).toBe('start');
    expect(kinds.at(-1)).toBe('result');
    const intervals = events.flatMap((e) => ('type' in e && e.type === 'interval' ? [e.record] : []));
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    expect(intervals.length).toBeLessThanOrEqual(4);
    const result = (events.at(-1) as { result: BenchResult }).result;
    expect(result.probes.warm?.count).toBe(150);
    expect(intervals.reduce((sum, i) => sum + i.count, 0)).toBe(150);
    expect(encodeHistogram(mergeHistograms(intervals.map((i) => i.histogram)))).toBe(result.probes.warm?.histogram);
    expect(server.requests).toBe(150);
  });

  it('refuses --stream with --json, -o - or --on (one line, exit 2)', async () => {
    for (const extra of [['--json'], ['-o', '-'], ['--on', 'local']]) {
      const r = await runCli(['bench', '--target', server.target, '--rate', '5', '--duration', '1s', '--stream', ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe('ringside: --stream prints its own JSON lines (use it without --json, -o - and --on)');
    }
  });
});
