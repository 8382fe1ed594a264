// HdrHistogram's own Java reference implementation (org.hdrhistogram:HdrHistogram 2.2.2 from Maven
// Central, test/peers/hdr-java) reads what a real `ringside bench` run writes: the .hlog through
// HistogramLogReader and every base64 histogram of the result JSON through
// Histogram.decodeFromCompressedByteBuffer. Counts must be equal; each percentile, the max and the
// mean must agree within HDR precision: one equivalent value range of the value (what the Java
// histogram reports at that value, 3 significant digits), plus the 1 µs the result JSON rounds to.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

function java(args: string[], input?: string): string {
  const dir = builtPeer('hdr-java/HdrRead.class').replace(/HdrRead\.class$/, '');
  return execFileSync('java', ['-cp', `${dir}:${dir}HdrHistogram.jar`, 'HdrRead', ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
}

/** bench's stored figures (ms, µs precision) beside Java's (µs), within one equivalent range + 1 µs. */
function expectAgreement(ours: LatencySummary & { count?: number }, theirs: JavaFigures, what: string): void {
  const at = (p: number) => theirs.percentiles.find((x) => x.percentile === p) as { value: number; range: number };
  for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9], ['max', 100]] as const) {
    const ref = at(p);
    expect(Math.abs(ours[key] * 1000 - ref.value), `${what} ${key}: bench ${ours[key]} ms, Java ${ref.value} µs (±${ref.range} µs)`).toBeLessThanOrEqual(ref.range + 1);
  }
  expect(Math.abs(ours.mean * 1000 - theirs.mean), `${what} mean`).toBeLessThanOrEqual(at(50).range + 1);
  if (ours.count !== undefined) expect(theirs.count, `${what} count`).toBe(ours.count);
}

describe("HdrHistogram's Java reference reads bench's output", () => {
  let server: TestServer;
  const files = tempFiles({ 'keys.txt': 'a\nb\nc\nd\n' });
  let result: BenchResult;

  beforeAll(async () => {
    // Latencies with some spread (0-3 ms of server think time), so percentiles differ.
    let n = 0;
    server = await startServer((_req, res) => {
      n++;
      setTimeout(() => res.end('ok'), n % 4);
    });
    const run = await runCli(['bench', '--target', server.target, '--rate', '200', '--duration', '3s', '--probe', 'warm', '--probe', 'first-connection', '--keys-file', files.path('keys.txt'), '--hlog', files.path('run.hlog'), '-o', files.path('run.json')]);
    expect(run.code, run.stderr).toBe(0);
    result = JSON.parse(readFileSync(files.path('run.json'), 'utf8')) as BenchResult;
  });
  afterAll(async () => {
    await server?.close();
    files.cleanup();
  });

  it('reads the .hlog: every interval, per probe the same count and percentiles as the result', () => {
    const read = JSON.parse(java(['hlog', files.path('run.hlog')])) as { intervals: number; tags: Record<string, JavaFigures> };
    expect(Object.keys(read.tags).sort()).toEqual(['probe=first-connection', 'probe=warm']);
    expect(read.intervals).toBeGreaterThanOrEqual(2 * 3);
    for (const probe of ['warm', 'first-connection'] as const) {
      const ours = result.probes[probe]!;
      expect(ours.count).toBeGreaterThanOrEqual(500);
      process.stderr.write(`${probe}: bench p50 ${ours.p50} p99 ${ours.p99} max ${ours.max} ms; Java p50 ${read.tags[`probe=${probe}`]?.percentiles[0]?.value} p99 ${read.tags[`probe=${probe}`]?.percentiles[3]?.value} max ${read.tags[`probe=${probe}`]?.max} µs\n`);
      expectAgreement(ours, read.tags[`probe=${probe}`] as JavaFigures, `${probe} (.hlog)`);
    }
  });

  it('decodes every base64 histogram of the result JSON (corrected, uncorrected, phases) to the stored figures', () => {
    const summaries: Array<[string, LatencySummary & { count?: number }]> = [];
    for (const [probe, r] of Object.entries(result.probes)) {
      summaries.push([probe, r], [`${probe} uncorrected`, { ...r.uncorrected, count: r.count }]);
      for (const [phase, s] of Object.entries(r.phases ?? {})) summaries.push([`${probe} ${phase}`, s]);
    }
    expect(summaries.length).toBeGreaterThanOrEqual(2 * 2 + 3);
    const decoded = JSON.parse(java(['base64'], summaries.map(([, s]) => s.histogram).join('\n'))) as JavaFigures[];
    expect(decoded).toHaveLength(summaries.length);
    summaries.forEach(([what, s], i) => expectAgreement(s, decoded[i] as JavaFigures, what));
  });
});
