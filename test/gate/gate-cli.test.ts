// `ringside gate` end to end on measured data: a real node:http server, real request latencies
// through undici recorded into HDR histograms (the way bench records them), result files for a
// normal and a slowed run (the server adds a delay), then the built CLI on both. JUnit is checked
// by xmllint (libxml2), the Markdown summary and $GITHUB_STEP_SUMMARY by content.
import { execFile } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Histogram, HistogramLogWriter, build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { Agent, request } from 'undici';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/gate/index.js';
import { latencyFigures } from '../support/bench-fixture.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const REQUESTS = 120;
const SLOW_MS = 30;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function gate(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'gate', ...args], { env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let delayMs = 0;
let server: Server;
let base = '';
let dir = '';
let connections = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), `ringside-gate-${process.pid}-`));
  server = createServer((_req, res) => {
    const reply = (): void => {
      res.end('ok');
    };
    if (delayMs > 0) setTimeout(reply, delayMs);
    else reply();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function newHistogram(): Histogram {
  return build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Sends REQUESTS requests one after another and records each latency in microseconds. */
async function measure(dispatcher: () => Agent, perRequest: boolean): Promise<Histogram> {
  const h = newHistogram();
  let agent = dispatcher();
  for (let i = 0; i < REQUESTS; i++) {
    if (perRequest && i > 0) agent = dispatcher();
    const start = process.hrtime.bigint();
    const res = await request(`${base}/kv/key-${i}`, { dispatcher: agent });
    await res.body.text();
    h.recordValue(Math.max(1, Number((process.hrtime.bigint() - start) / 1000n)));
    if (perRequest) await agent.close();
  }
  if (!perRequest) await agent.close();
  return h;
}

function figures(h: Histogram): Record<string, unknown> {
  return { ...latencyFigures(h), errors: 0, errorsByKind: {}, rate: 0, histogram: encodeIntoCompressedBase64(h) };
}

/** Measures both probes against the server as it is now and writes a bench result file. */
async function recordRun(name: string): Promise<{ file: string; probes: Record<string, Histogram> }> {
  const before = connections;
  const firstConnection = await measure(() => new Agent({ pipelining: 0 }), true);
  expect(connections - before).toBe(REQUESTS); // one TCP connection per first-connection request
  const warm = await measure(() => new Agent({ connections: 1 }), false);
  const file = join(dir, `${name}.json`);
  const probes = { 'first-connection': firstConnection, warm };
  const result = { schemaVersion: 1, kind: 'ringside.bench', startedAt: new Date().toISOString(), durationMs: 0, config: { target: base, delayMs }, probes: Object.fromEntries(Object.entries(probes).map(([k, h]) => [k, { ...figures(h), uncorrected: figures(h) }])) };
  writeFileSync(file, JSON.stringify(result));
  return { file, probes };
}

function xpath(file: string, expr: string): string {
  return execFileSync('xmllint', ['--xpath', expr, file]).toString().trim();
}

describe('ringside gate on measured runs', () => {
  let normal: { file: string; probes: Record<string, Histogram> };
  let slowed: { file: string; probes: Record<string, Histogram> };

  beforeAll(async () => {
    delayMs = 0;
    normal = await recordRun('normal');
    delayMs = SLOW_MS;
    slowed = await recordRun('slowed');
    delayMs = 0;
  });

  it('measured what it meant to: the slowed run is slower by at least the added delay', () => {
    for (const probe of ['first-connection', 'warm']) {
      expect(slowed.probes[probe]!.getValueAtPercentile(50)).toBeGreaterThanOrEqual(SLOW_MS * 1000);
      expect(normal.probes[probe]!.getValueAtPercentile(50)).toBeLessThan(slowed.probes[probe]!.getValueAtPercentile(50));
    }
  });

  it('passes a run against itself: exit 0, JUnit without failures, Markdown, step summary appended', async () => {
    const junit = join(dir, 'pass.xml');
    const markdown = join(dir, 'pass.md');
    const summary = join(dir, 'summary-pass.md');
    writeFileSync(summary, '# earlier step\n');
    const args = ['--baseline', normal.file, '--current', normal.file, '--threshold', 'warm.p50<25ms', '--min-count', '50', '--junit', junit, '--markdown', markdown];
    const run = await gate(args, { GITHUB_STEP_SUMMARY: summary });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS: 7 passed, 0 failed, 0 skipped/);
    execFileSync('xmllint', ['--noout', junit]);
    expect(xpath(junit, 'count(//testcase)')).toBe('7');
    expect(xpath(junit, 'string(/testsuites/@failures)')).toBe('0');
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^### ✅ ringside gate: PASS: 7 passed, 0 failed, 0 skipped/);
    expect(md).toContain('| warm.p50&lt;25ms |');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);

    const json = await gate([...args.slice(0, 8), '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as GateResult;
    expect(report.passed).toBe(true);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const schema = JSON.parse(readFileSync(new URL('../../schemas/gate.schema.json', import.meta.url), 'utf8')) as object;
    expect(ajv.validate(schema, report) ? 'valid' : ajv.errorsText(ajv.errors)).toBe('valid');
    const p50 = report.checks.find((c) => c.name === 'warm.p50 regression');
    expect(p50).toMatchObject({ status: 'pass', change: 0, baseline: Math.round(normal.probes.warm!.getValueAtPercentile(50)) / 1000 });
  });

  it('fails a slowed run: exit 1, one stderr line, failing testcases in JUnit, summary appended', async () => {
    const junit = join(dir, 'fail.xml');
    const markdown = join(dir, 'fail.md');
    const summary = join(dir, 'summary-fail.md');
    const run = await gate(['--baseline', normal.file, '--current', slowed.file, '--threshold', 'warm.p50<25ms', '--min-count', '50', '--junit', junit, '--markdown', markdown], { GITHUB_STEP_SUMMARY: summary });
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(/^ringside: gate failed: warm\.p50<25ms, first-connection\.p50 regression, first-connection\.p90 regression and \d+ more \(see the table above\)$/);
    expect(run.stdout).toMatch(/FAIL: \d+ passed, \d+ failed, 0 skipped/);
    execFileSync('xmllint', ['--noout', junit]);
    expect(Number(xpath(junit, 'count(//testcase/failure)'))).toBeGreaterThanOrEqual(5);
    expect(xpath(junit, 'string(//testcase[@name="warm.p50 regression"]/failure/@type)')).toBe('regression');
    expect(xpath(junit, 'string(//testcase[@name="warm.p50<25ms"]/failure/@type)')).toBe('threshold');
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/^### ❌ ringside gate: FAIL/);
    expect(md).toMatch(/\| warm\.p50 regression \| [\d.]+ ms \| [\d.]+ ms \| \+\d+\.\d% \| &lt;= [\d.]+ ms \| ❌ \*\*fail\*\* \|/);
    expect(readFileSync(summary, 'utf8')).toBe(`${md}\n`);
  });

  it('reads an .hlog baseline (HdrHistogram log writer, tags = probes) against a JSON current run', async () => {
    const lines: string[] = [];
    const writer = new HistogramLogWriter((text) => lines.push(text));
    writer.outputLogFormatVersion();
    writer.outputLegend();
    for (const [tag, h] of Object.entries(normal.probes)) {
      h.tag = tag;
      writer.outputIntervalHistogram(h, 0, 1, 1000);
    }
    const hlog = join(dir, 'normal.hlog');
    writeFileSync(hlog, lines.join(''));
    const same = await gate(['--baseline', hlog, '--current', normal.file, '--min-count', '50', '--json']);
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as GateResult).baseline).toMatchObject({ format: 'hlog', probes: ['first-connection', 'warm'] });
    const worse = await gate(['--baseline', hlog, '--current', slowed.file, '--min-count', '50']);
    expect(worse.code).toBe(1);
  });

  it('answers bad input with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--baseline', join(dir, 'missing.json'), '--current', normal.file], /^ringside: cannot read .*missing\.json \(ENOENT\) \(check the path\)$/],
      [['--baseline', normal.file, '--current', normal.file, '--threshold', 'warm.p99<fast'], /^ringside: --threshold .* is not a duration/],
      [['--baseline', normal.file, '--current', normal.file, '--threshold', 'routing.p99<2ms'], /names probe "routing", which neither run has \(the runs have: first-connection, warm\)$/],
      [['--baseline', normal.file, '--current', normal.file, '--max-regression', 'lots'], /^ringside: --max-regression lots is not a percentage/],
      [['--baseline', normal.file, '--current', bin], /is not an HdrHistogram interval (line|log)/],
      [['--current', normal.file], /Missing required flag/],
    ];
    for (const [args, message] of cases) {
      const run = await gate(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stderr.trimEnd()).toMatch(message);
    }
  });
});
