// HdrHistogram's own Java reference implementation (org.hdrhistogram:HdrHistogram 2.2.2 from Maven
// Central, test/peers/hdr-java) reads what real `ringside bench` runs write: the .hlog through
// HistogramLogReader and through the stock HistogramLogProcessor tool, and every base64 histogram
// of the result JSON through Histogram.decodeFromCompressedByteBuffer. Two runs cover every kind
// of histogram bench writes: an https run (warm; first-connection with its connect, tls, ttfb and
// total phases) and a routing run (routing-direct, routing-routed); corrected and uncorrected;
// and `bench merge` of both, logs and results.
//
// Tolerance, derived: none on counts, percentiles and the max; half a microsecond on the mean.
// Both sides record microseconds in the same bucket layout (3 significant digits, lowest
// discernible value 1), and both report a percentile as the highest equivalent value of the
// first bucket whose running count reaches ceil(p% of the total): hdr-histogram-js 3.0.1 guards
// the floating-point count with ceil(x - ulp(x)), Java 2.2.2 with nextAfter(p, -inf), and the
// two give the same count for every total up to 200,000 at 50/90/95/99/99.9. The max is the
// highest equivalent value of the top bucket on both sides (bench's totals are sums of decoded
// histograms). The result JSON stores milliseconds with three decimals, i.e. whole microseconds,
// so those figures are compared exactly; the mean is a real number bench rounds to the
// microsecond, hence ±0.5 µs. The equivalent range Java reports for each value (1 µs below 2 ms,
// 2 µs to 4 ms, ...) is the HDR precision, shown in the failure messages.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult, LatencySummary } from '../../src/probes/types.js';
import { builtPeer } from '../peers/built.js';
import { runCli, tempFiles } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

interface JavaFigures {
  count: number;
  min: number;
  max: number;
  mean: number;
  percentiles: { percentile: number; value: number; range: number }[];
}
interface JavaInterval extends JavaFigures {
  tag: string;
  startMs: number;
  endMs: number;
}
interface JavaLog {
  startTimeSec: number;
  intervals: JavaInterval[];
  tags: Record<string, JavaFigures>;
}
type Summary = LatencySummary & { count: number };

const RATE = 200;
const DURATION_S = 3;
const timings: string[] = [];
const files = tempFiles({ 'keys.txt': 'a\nb\nc\nd\n' });

function java(args: string[], input?: string): string {
  const dir = builtPeer('hdr-java/HdrRead.class').replace(/HdrRead\.class$/, '');
  const started = performance.now();
  // The timeout only stops a hung JVM (execFileSync kills it); nothing is asserted about speed.
  const out = execFileSync('java', ['-cp', `${dir}:${dir}HdrHistogram.jar`, ...args], { encoding: 'utf8', timeout: 120_000, ...(input !== undefined ? { input } : {}) });
  timings.push(`java ${args.slice(0, 2).join(' ')}: ${Math.round(performance.now() - started)} ms`);
  return out;
}

const readLog = (file: string): JavaLog => JSON.parse(java(['HdrRead', 'hlog', file])) as JavaLog;
const us = (ms: number): number => Math.round(ms * 1000);

/** bench's stored figures (ms with µs resolution) beside Java's (µs): see the tolerance above. */
function expectAgreement(ours: Summary, theirs: JavaFigures, what: string): void {
  const at = (p: number) => theirs.percentiles.find((x) => x.percentile === p)!;
  expect(theirs.count, `${what} count`).toBe(ours.count);
  expect(ours.count, `${what} has values`).toBeGreaterThan(0);
  for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9], ['max', 100]] as const) {
    const ref = at(p);
    expect(us(ours[key]), `${what} ${key}: bench ${ours[key]} ms, Java ${ref.value} µs (equivalent range ${ref.range} µs)`).toBe(ref.value);
  }
  expect(us(ours.max), `${what} max`).toBe(theirs.max);
  expect(Math.abs(ours.mean * 1000 - theirs.mean), `${what} mean: bench ${ours.mean} ms, Java ${theirs.mean} µs`).toBeLessThanOrEqual(0.5 + 1e-6);
}

/** Every histogram a result holds, labelled: per probe corrected, uncorrected and phases. */
function summariesOf(result: BenchResult, label: string): [string, Summary][] {
  const out: [string, Summary][] = [];
  for (const [probe, r] of Object.entries(result.probes)) {
    out.push([`${label} ${probe}`, r], [`${label} ${probe} uncorrected`, { ...r.uncorrected, count: r.count }]);
    for (const [phase, s] of Object.entries(r.phases ?? {})) out.push([`${label} ${probe} ${phase}`, s]);
  }
  return out;
}

/** The Interval_Max column of each interval line, in file order (ms, as written). */
function intervalMaxColumn(file: string): number[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Tag='))
    .map((l) => Number(l.replace(/^Tag=[^,]*,/, '').split(',')[2]));
}

async function bench(args: string[], name: string): Promise<BenchResult> {
  const started = performance.now();
  const run = await runCli(['bench', ...args, '--rate', String(RATE), '--duration', `${DURATION_S}s`, '--hlog', files.path(`${name}.hlog`), '-o', files.path(`${name}.json`)]);
  expect(run.code, run.stderr).toBe(0);
  timings.push(`bench ${name}: ${Math.round(performance.now() - started)} ms`);
  return JSON.parse(readFileSync(files.path(`${name}.json`), 'utf8')) as BenchResult;
}

describe("HdrHistogram's Java reference reads bench's output", () => {
  let tls: https.Server | undefined;
  const members: TestServer[] = [];
  const results: Record<'https' | 'routing' | 'merged', BenchResult> = {} as never;
  const logs: Record<'https' | 'routing' | 'merged', JavaLog> = {} as never;

  beforeAll(async () => {
    // Latencies with some spread (0-3 ms of server think time), so the percentiles differ.
    let n = 0;
    const slow = (_req: http.IncomingMessage, res: http.ServerResponse): void => void setTimeout(() => res.end('ok'), n++ % 4);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.path('key.pem'), '-out', files.path('cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    tls = https.createServer({ key: readFileSync(files.path('key.pem')), cert: readFileSync(files.path('cert.pem')) }, slow);
    await new Promise<void>((resolve) => tls!.listen(0, '127.0.0.1', resolve));
    const tlsTarget = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/kv/{key}`;
    for (let i = 0; i < 3; i++) members.push(await startServer(slow));
    // Static membership: gossip addresses nobody dials, the HTTP port in the `http` tag.
    writeFileSync(files.path('members.txt'), members.map((m, i) => `127.0.0.1:${17101 + i} n${i} http=${m.port}`).join('\n'));

    results.https = await bench(['--target', tlsTarget, '--insecure', '--probe', 'warm', '--probe', 'first-connection', '--keys-file', files.path('keys.txt')], 'https');
    results.routing = await bench(['--target', 'http://{host}:{port}/kv/{key}', '--probe', 'routing', '--members', files.path('members.txt'), '--port-tag', 'http', '--keys', '40'], 'routing');
    for (const kind of ['hlog', 'json']) {
      const merge = await runCli(['bench', 'merge', files.path(`https.${kind}`), files.path(`routing.${kind}`), '-o', files.path(`merged.${kind}`)]);
      expect(merge.code, merge.stderr).toBe(0);
    }
    results.merged = JSON.parse(readFileSync(files.path('merged.json'), 'utf8')) as BenchResult;
    for (const name of ['https', 'routing', 'merged'] as const) logs[name] = readLog(files.path(`${name}.hlog`));
  });
  afterAll(async () => {
    process.stderr.write(`hdr-java timings: ${timings.join('; ')}\n`);
    if (tls) {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls!.close(() => resolve()));
    }
    await Promise.all(members.map((m) => m.close()));
    files.cleanup();
  });

  it('every probe of both runs is a tag of its .hlog, its intervals added up equal to the result', () => {
    expect(Object.keys(results.https.probes).sort()).toEqual(['first-connection', 'warm']);
    expect(Object.keys(results.routing.probes).sort()).toEqual(['routing-direct', 'routing-routed']);
    for (const name of ['https', 'routing'] as const) {
      const log = logs[name];
      const result = results[name];
      expect(Object.keys(log.tags).sort()).toEqual(Object.keys(result.probes).map((p) => `probe=${p}`).sort());
      for (const [probe, ours] of Object.entries(result.probes)) {
        expectAgreement(ours, log.tags[`probe=${probe}`]!, `${name} ${probe} (.hlog)`);
        const j = log.tags[`probe=${probe}`]!;
        process.stderr.write(`${name} ${probe}: bench count ${ours.count} p50 ${ours.p50} p90 ${ours.p90} p99 ${ours.p99} p99.9 ${ours.p999} max ${ours.max} mean ${ours.mean} ms | Java count ${j.count} min ${j.min} ${j.percentiles.map((p) => `p${p.percentile} ${p.value}±${p.range}`).join(' ')} max ${j.max} mean ${j.mean} µs\n`);
      }
    }
  });

  it('the .hlog header and interval lines read as bench wrote them: start time, one line per probe and second, Interval_Max', () => {
    for (const name of ['https', 'routing'] as const) {
      const log = logs[name];
      const startMs = Date.parse(results[name].startedAt);
      expect(Math.round(log.startTimeSec * 1000), `${name} StartTime`).toBe(startMs);
      for (const probe of Object.keys(results[name].probes)) {
        const lines = log.intervals.filter((i) => i.tag === `probe=${probe}`);
        expect(lines.length, `${name} ${probe} intervals`).toBeGreaterThanOrEqual(DURATION_S);
        expect(lines.reduce((s, i) => s + i.count, 0)).toBe(results[name].probes[probe]!.count);
        for (const i of lines) {
          expect(i.startMs).toBeGreaterThanOrEqual(startMs);
          expect(i.endMs).toBeGreaterThan(i.startMs);
        }
      }
      // The column HistogramLogAnalyzer plots is the interval's max in ms (maxValueUnitRatio 1000).
      expect(intervalMaxColumn(files.path(`${name}.hlog`))).toEqual(log.intervals.map((i) => i.max / 1000));
    }
  });

  it("HdrHistogram's HistogramLogProcessor takes each tag of the log and totals it as the result", () => {
    for (const name of ['https', 'routing'] as const) {
      for (const [probe, ours] of Object.entries(results[name].probes)) {
        const out = files.path(`${name}-${probe}.csv`);
        java(['org.HdrHistogram.HistogramLogProcessor', '-i', files.path(`${name}.hlog`), '-tag', `probe=${probe}`, '-csv', '-outputValueUnitRatio', '1', '-o', out]);
        const rows = readFileSync(out, 'utf8').trim().split('\n');
        expect(rows.find((r) => r.startsWith('"Timestamp"'))).toContain('"Total_Count"');
        // "Timestamp","Int_Count","Int_50%","Int_90%","Int_Max","Total_Count","Total_50%","Total_90%","Total_99%","Total_99.9%","Total_99.99%","Total_Max"
        const last = rows.at(-1)!.split(',').map(Number);
        const [count, p50, p90, p99, p999, , max] = last.slice(5);
        expect(count, `${name} ${probe} Total_Count`).toBe(ours.count);
        expect([p50, p90, p99, p999, max].map((v) => Math.round(v!)), `${name} ${probe} totals`).toEqual([ours.p50, ours.p90, ours.p99, ours.p999, ours.max].map(us));
      }
    }
  });

  it('bench merge of the two logs reads as both runs: every tag, the same figures', () => {
    const merged = logs.merged;
    expect(merged.intervals.length).toBe(logs.https.intervals.length + logs.routing.intervals.length);
    expect(Math.round(merged.startTimeSec * 1000)).toBe(Math.min(Date.parse(results.https.startedAt), Date.parse(results.routing.startedAt)));
    for (const name of ['https', 'routing'] as const) {
      for (const [probe, ours] of Object.entries(results[name].probes)) expectAgreement(ours, merged.tags[`probe=${probe}`]!, `merged ${probe} (.hlog)`);
    }
    expect(Object.keys(merged.tags)).toHaveLength(4);
  });

  it('decodes every base64 histogram of the results (corrected, uncorrected, phases; merged too) to the stored figures', () => {
    const summaries = [...summariesOf(results.https, 'https'), ...summariesOf(results.routing, 'routing'), ...summariesOf(results.merged, 'merged')];
    const phases = summaries.filter(([what]) => what.startsWith('https first-connection ') && !what.endsWith('uncorrected')).map(([what]) => what.split(' ').at(-1));
    expect(phases.sort()).toEqual(['connect', 'tls', 'total', 'ttfb']);
    // https: 2 probes x (corrected, uncorrected) + 4 phases; routing: 2 x 2; merged: 4 x 2 + 4
    expect(summaries).toHaveLength(8 + 4 + 12);
    const decoded = JSON.parse(java(['HdrRead', 'base64'], summaries.map(([, s]) => s.histogram).join('\n'))) as JavaFigures[];
    expect(decoded).toHaveLength(summaries.length);
    summaries.forEach(([what, s], i) => expectAgreement(s, decoded[i]!, what));
  });
});
