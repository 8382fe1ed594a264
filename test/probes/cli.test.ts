// bench and bench merge as a user runs them: the summary, the result JSON against its schema,
// the .hlog read back by hdr-histogram-js's own HistogramLogReader, exact merges, bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { HistogramLogReader, listTags } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram, encodeHistogram, mergeHistograms } from '../../src/probes/histogram.js';
import type { BenchResult } from '../../src/probes/types.js';
import { runCli, runJson, tempFiles } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schema = JSON.parse(readFileSync(new URL('../../schemas/bench.v1.schema.json', import.meta.url), 'utf8'));
const validate = (data: unknown): string => (ajv.validate(schema, data) ? 'valid' : ajv.errorsText(ajv.errors));

describe('bench command', () => {
  let server: TestServer;
  const files = tempFiles({ 'keys.txt': 'a\nb\n# comment\nc\n' });
  let stdout = '';
  let result: BenchResult;

  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
    const run = await runCli(['bench', '--target', server.target, '--rate', '50', '--duration', '2s', '--probe', 'warm', '--probe', 'first-connection', '--keys-file', files.path('keys.txt'), '--workers', '2', '--connections', '2', '--hlog', files.path('run.hlog'), '-o', files.path('run.json')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stdout = run.stdout;
    result = JSON.parse(readFileSync(files.path('run.json'), 'utf8')) as BenchResult;
  });
  afterAll(async () => {
    await server.close();
    files.cleanup();
  });

  it('prints count, achieved rate, errors and p50..p99.9 with microsecond resolution', () => {
    expect(stdout).toMatch(/^warm: 100 responses in 2\.0 s, 50 req\/s achieved, 0 errors$/m);
    expect(stdout).toMatch(/^first-connection: 100 responses/m);
    expect(stdout).toMatch(/p50 +p90 +p95 +p99 +p99\.9 +max +mean/);
    expect(stdout).toMatch(/corrected +\d+\.\d{3} ms/);
    expect(stdout).toMatch(/ttfb +\d+\.\d{3} ms/);
  });

  it('writes a result that matches the published schema, with only the key set used by warm', () => {
    expect(validate(result)).toBe('valid');
    expect(result.probes.warm!.count).toBe(100);
    expect(new Set(server.keys.filter((k) => ['a', 'b', 'c'].includes(k))).size).toBe(3);
    expect(result.config).toMatchObject({ rate: 50, durationMs: 2000, keys: 3, workers: 2, probes: ['warm', 'first-connection'] });
  });

  it('writes an .hlog that HdrHistogram\'s reader reads back to the same totals', () => {
    const text = readFileSync(files.path('run.hlog'), 'utf8');
    expect(text).toMatch(/^#\[Histogram log format version 1\.3\]$/m);
    expect(listTags(text).sort()).toEqual(['probe=first-connection', 'probe=warm']);
    const reader = new HistogramLogReader(text);
    const byTag = new Map<string, ReturnType<typeof decodeHistogram>[]>();
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
      expect(h.startTimeStampMsec).toBeGreaterThanOrEqual(Date.parse(result.startedAt) - 1);
      byTag.set(h.tag, [...(byTag.get(h.tag) ?? []), h]);
    }
    for (const probe of ['warm', 'first-connection'] as const) {
      const total = mergeHistograms(byTag.get(`probe=${probe}`) ?? []);
      expect(encodeHistogram(total)).toBe(result.probes[probe]!.histogram);
    }
  });

  it('bench merge adds results exactly', async () => {
    const merged = await runJson<BenchResult>(['bench', 'merge', files.path('run.json'), files.path('run.json'), '-o', files.path('merged.json')]);
    expect(validate(merged)).toBe('valid');
    const warm = result.probes.warm!;
    expect(merged.probes.warm!.count).toBe(2 * warm.count);
    const twice = mergeHistograms([decodeHistogram(warm.histogram), decodeHistogram(warm.histogram)]);
    expect(merged.probes.warm!.histogram).toBe(encodeHistogram(twice));
    expect(merged.probes.warm!.p99).toBe(warm.p99);
    expect(merged.probes['first-connection']!.phases!.total!.count).toBe(2 * result.probes['first-connection']!.phases!.total!.count);
  });

  it('bench merge adds interval logs exactly and writes one readable log', async () => {
    const totals = await runJson<{ kind: string; probes: Record<string, { count: number; histogram: string }> }>(['bench', 'merge', files.path('run.hlog'), files.path('run.hlog'), '-o', files.path('merged.hlog')]);
    expect(totals.kind).toBe('ringside.hlog');
    expect(totals.probes.warm!.count).toBe(2 * result.probes.warm!.count);
    const reader = new HistogramLogReader(readFileSync(files.path('merged.hlog'), 'utf8'));
    let count = 0;
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) count += h.totalCount;
    expect(count).toBe(2 * (result.probes.warm!.count + result.probes['first-connection']!.count));
  });

  it.each([
    [['bench', '--target', 'http://127.0.0.1:1/{key}', '--rate', 'fast'], /--rate fast is not a rate/],
    [['bench', '--target', 'not a url', '--rate', '10'], /--target not a url is not a URL/],
    [['bench', '--target', 'http://{host}:{port}/{key}', '--rate', '10'], /has \{host\} or \{port\} but no cluster/],
    [['bench', '--target', 'http://127.0.0.1:1/{key}', '--rate', '10', '--probe', 'routing'], /no cluster given/],
    [['bench', '--target', 'http://127.0.0.1:1/{key}', '--rate', '10', '--probe', 'cold'], /--probe cold is not a probe/],
    [['bench', '--target', 'http://127.0.0.1:1/{key}', '--rate', '10', '--duration', 'soon'], /--duration soon is not a duration/],
    [['bench', 'merge'], /no files given/],
    [['bench', 'merge', '/nonexistent/ringside.json'], /does not exist/],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^ringside: /);
  });

  it('a target nobody answers on: one line, exit 3, the result still written', async () => {
    const closed = await startServer(() => {});
    const port = closed.port;
    await closed.close();
    const run = await runCli(['bench', '--target', `http://127.0.0.1:${port}/kv/{key}`, '--rate', '20', '--duration', '500ms', '-o', files.path('refused.json')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`ringside: no response from http://127.0.0.1:${port}/kv/{key}: 10 refused, 0 timed out (check the address and that the service is up)\n`);
    const written = JSON.parse(readFileSync(files.path('refused.json'), 'utf8')) as BenchResult;
    expect(written.probes.warm!.errorsByKind.refused).toBe(10);
  });

  it('bench merge refuses a JSON that is not a result, and mixed kinds', async () => {
    writeFileSync(files.path('other.json'), '{"members":[]}');
    const run = await runCli(['bench', 'merge', files.path('other.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a ringside bench result/);
    const mixed = await runCli(['bench', 'merge', files.path('run.json'), files.path('run.hlog')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/mix result JSON and \.hlog/);
  });
});
