// The pure gate core with vectors: statistic names, threshold parsing, percentiles read from real
// HDR histograms (hdr-histogram-js), .hlog files written by HdrHistogram's own JS log writer,
// the comparison rules (regression, slack, min-count, presence), and the JUnit/Markdown renderings.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RingsideError } from '../../src/errors.js';
import { compareRuns, type GateSettings } from '../../src/gate/compare.js';
import { sumHlogByProbe } from '../../src/gate/hlog.js';
import { statValue } from '../../src/gate/probe-data.js';
import { renderGateMarkdown, renderGateTable, renderJunit, xmlEscape } from '../../src/gate/render.js';
import { parseBenchResult, parseHlogRun, parseRun } from '../../src/gate/result-file.js';
import { parseStat, parseStatList, percentileOf } from '../../src/gate/stats.js';
import { parseFraction, parseThreshold } from '../../src/gate/thresholds.js';
import { benchResult, histogramOf, hlogOf, latencies } from '../support/bench-fixture.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof RingsideError ? error.code : `not a RingsideError: ${String(error)}`;
  }
  return undefined;
}

/** The exact percentile of the raw values (HdrHistogram's definition: the smallest value with at least p% at or below it). */
function exactPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].map((v) => Math.max(1, Math.round(v))).sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

const settings = (over: Partial<GateSettings> = {}): GateSettings => ({ thresholds: [], maxRegression: 0.1, percentiles: parseStatList('p50,p90,p99'), minCount: 100, slackMs: 1, ...over });

describe('statistics', () => {
  it('names percentiles the HdrHistogram way', () => {
    const vectors: [string, number | undefined][] = [
      ['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9], ['p9999', 99.99], ['p99.9', 99.9], ['p75', 75], ['p5', 5],
      ['p100', undefined], ['p1000', undefined], ['p05', undefined], ['p975', 97.5], ['p0', undefined], ['p', undefined], ['p99.', undefined], ['q99', undefined],
    ];
    for (const [name, value] of vectors) expect(percentileOf(name), name).toBe(value);
    expect(parseStat('MAX', 'x')).toEqual({ name: 'max', kind: 'latency' });
    expect(parseStat('errors', 'x')).toEqual({ name: 'errors', kind: 'errors' });
    expect(codeOf(() => parseStat('p100', 'x'))).toBe('RS_USAGE');
    expect(codeOf(() => parseStatList('p50,errors'))).toBe('RS_USAGE');
    expect(codeOf(() => parseStatList(' , '))).toBe('RS_USAGE');
  });

  it('parses thresholds, with and without a probe, in every unit', () => {
    expect(parseThreshold('first-connection.p99<200ms')).toMatchObject({ probe: 'first-connection', stat: { name: 'p99', percentile: 99 }, op: '<', limit: 200, percent: false });
    expect(parseThreshold('warm.p999 <= 1.5s')).toMatchObject({ probe: 'warm', stat: { percentile: 99.9 }, op: '<=', limit: 1500 });
    expect(parseThreshold('warm.p99.9<250us')).toMatchObject({ probe: 'warm', stat: { name: 'p99.9', percentile: 99.9 }, limit: 0.25 });
    expect(parseThreshold('p99<20ms')).toMatchObject({ probe: null, stat: { name: 'p99' } });
    expect(parseThreshold('p99.9<20ms')).toMatchObject({ probe: null, stat: { name: 'p99.9' } });
    expect(parseThreshold('routing-routed.mean>=2ms')).toMatchObject({ op: '>=', limit: 2 });
    expect(parseThreshold('warm.errors<1%')).toMatchObject({ stat: { kind: 'errors' }, limit: 0.01, percent: true });
    expect(parseThreshold('warm.errors<5')).toMatchObject({ limit: 5, percent: false });
    expect(parseThreshold('errors<1')).toMatchObject({ probe: null, stat: { kind: 'errors' } });
    expect(parseThreshold('warm.rate>900')).toMatchObject({ stat: { kind: 'rate' }, op: '>', limit: 900 });
    for (const bad of ['warm.p99', 'warm.p99<', 'warm.p99<200', 'warm.p99<fast', 'warm.p99=200ms', 'warm.latency<2ms', 'warm.rate>lots', 'warm.errors<-1', '<200ms']) {
      expect(codeOf(() => parseThreshold(bad)), bad).toBe('RS_USAGE');
    }
    expect(parseFraction('10%', 'x')).toBeCloseTo(0.1);
    expect(parseFraction('0.25', 'x')).toBe(0.25);
    expect(codeOf(() => parseFraction('ten', 'x'))).toBe('RS_USAGE');
  });
});

describe('reading runs', () => {
  const values = latencies(5000, 800);

  it('takes percentiles from the encoded histogram, within HDR precision of the exact values, any percentile', () => {
    const run = parseBenchResult(benchResult({ warm: { latenciesUs: values } }), 'r.json');
    const probe = run.probes.get('warm');
    expect(probe?.count).toBe(5000);
    for (const p of [50, 75, 90, 99, 99.9, 99.99]) {
      const got = statValue(probe!, parseStat(`p${String(p).replace('.', '')}`, 't'), 'r') * 1000;
      const exact = exactPercentile(values, p);
      expect(Math.abs(got - exact), `p${p}`).toBeLessThanOrEqual(exact * 0.001 + 1);
    }
    expect(statValue(probe!, parseStat('max', 't'), 'r') * 1000).toBeGreaterThanOrEqual(Math.max(...values.map(Math.round)));
  });

  it('falls back to stored figures without a histogram, and refuses percentiles it does not have', () => {
    const run = parseBenchResult(benchResult({ warm: { latenciesUs: values, withoutHistogram: true } }), 'r.json');
    const stored = JSON.parse(benchResult({ warm: { latenciesUs: values } })).probes.warm as Record<string, number>;
    expect(statValue(run.probes.get('warm')!, parseStat('p99', 't'), 'r')).toBe(stored.p99);
    expect(codeOf(() => statValue(run.probes.get('warm')!, parseStat('p75', 't'), 'r'))).toBe('RS_USAGE');
  });

  it('rejects malformed results with RS_BAD_FILE', () => {
    const good = JSON.parse(benchResult({ warm: { latenciesUs: values } }));
    const bads = [
      'not json',
      '[]',
      JSON.stringify({ ...good, kind: 'ringside.snapshot' }),
      JSON.stringify({ ...good, schemaVersion: 2 }),
      JSON.stringify({ ...good, probes: [] }),
      JSON.stringify({ ...good, probes: {} }),
      JSON.stringify({ ...good, probes: { warm: { count: 3 } } }),
      JSON.stringify({ ...good, probes: { warm: { ...good.probes.warm, histogram: 'HISTnotbase64!!' } } }),
      JSON.stringify({ ...good, probes: { warm: { ...good.probes.warm, histogram: undefined, p99: 'slow' } } }),
    ];
    for (const text of bads) expect(codeOf(() => parseRun(text, 'bad.json')), text.slice(0, 60)).toBe('RS_BAD_FILE');
  });

  it('sums .hlog intervals per tag into exactly the histogram of all values', () => {
    const warm = latencies(3000, 500, 1);
    const routed = latencies(2000, 2500, 2);
    const untagged = latencies(300, 100, 3);
    const text = hlogOf({ warm, 'routing-routed': routed }, 4, untagged);
    expect(text).toMatch(/^Tag=warm,/m);
    const byTag = sumHlogByProbe(text, 'x.hlog');
    expect([...byTag.keys()].sort()).toEqual(['default', 'routing-routed', 'warm']);
    for (const [tag, vals] of [['warm', warm], ['routing-routed', routed], ['default', untagged]] as const) {
      const whole = histogramOf(vals);
      const summed = byTag.get(tag)!;
      expect(summed.totalCount).toBe(vals.length);
      for (const p of [50, 90, 99, 99.9]) expect(summed.getValueAtPercentile(p), `${tag} p${p}`).toBe(whole.getValueAtPercentile(p));
      // The encoding keeps buckets, not the exact max: equal within the 3-digit bucket.
      expect(Math.abs(summed.maxValue - whole.maxValue)).toBeLessThanOrEqual(whole.maxValue * 0.001 + 1);
    }
    const run = parseHlogRun(text, 'x.hlog');
    expect(codeOf(() => statValue(run.probes.get('warm')!, parseStat('errors', 't'), 'x'))).toBe('RS_USAGE');
  });

  it('rejects malformed .hlog files with RS_BAD_FILE', () => {
    for (const text of ['#[comment only]\n', 'Tag=warm\n', '0.0,1.0,2.0\n', 'Tag=warm,0.000,1.000,0.005,HISTnotahistogram\n', 'a,b,c,HISTFAAAACJ4nJNpmSzMwMDAxMDAwMjAwMDMAAGMUJoJxudkAgA0uQFc\n']) {
      expect(codeOf(() => parseRun(text, 'bad.hlog')), text).toBe('RS_BAD_FILE');
    }
  });
});

describe('comparing runs', () => {
  const base = parseRun(benchResult({ 'first-connection': { latenciesUs: latencies(2000, 3000, 4) }, warm: { latenciesUs: latencies(2000, 400, 5), errors: 3 } }), 'base.json');

  it('passes a run against itself', () => {
    const report = compareRuns(base, base, settings({ thresholds: [parseThreshold('first-connection.p99<200ms')] }));
    expect(report.passed).toBe(true);
    expect(report.counts).toEqual({ pass: 7, fail: 0, skip: 0 });
    expect(report.checks.filter((c) => c.kind === 'regression').every((c) => c.change === 0)).toBe(true);
  });

  it('fails a slowed run on the regressed percentiles only, and honours slack and min-count', () => {
    const slowFirst = parseRun(benchResult({ 'first-connection': { latenciesUs: latencies(2000, 3000, 4).map((v) => v * 1.5) }, warm: { latenciesUs: latencies(2000, 400, 5).map((v) => v * 1.5) } }), 'cur.json');
    const report = compareRuns(base, slowFirst, settings());
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.name);
    // first-connection rises by ~1.5 ms at p50 and more above: all three fail. warm's p50 and
    // p90 rise by 0.2-0.4 ms: +50%, but under the 1 ms slack, so they pass; its p99 (in the
    // 5x tail, ~2 ms) rises by more than 1 ms and fails.
    expect(failed).toEqual(['first-connection.p50 regression', 'first-connection.p90 regression', 'first-connection.p99 regression', 'warm.p99 regression']);
    const warmP50 = report.checks.find((c) => c.name === 'warm.p50 regression')!;
    expect(warmP50.change).toBeGreaterThan(0.4);
    expect(warmP50.status).toBe('pass');
    expect(compareRuns(base, slowFirst, settings({ slackMs: 0 })).checks.filter((c) => c.status === 'fail')).toHaveLength(6);
    expect(compareRuns(base, slowFirst, settings({ maxRegression: 0.6 })).passed).toBe(true);
    expect(compareRuns(base, slowFirst, settings({ maxRegression: null })).checks).toHaveLength(0);
    const skipped = compareRuns(base, slowFirst, settings({ minCount: 5000 }));
    expect(skipped.passed).toBe(true);
    expect(skipped.counts.skip).toBe(6);
    expect(skipped.checks[0]?.message).toMatch(/fewer than --min-count 5000/);
  });

  it('evaluates thresholds on the current run: latency, errors (count and percent), rate, every probe', () => {
    const check = (text: string) => compareRuns(base, base, settings({ maxRegression: null, thresholds: [parseThreshold(text)] })).checks;
    expect(check('warm.errors<4')[0]?.status).toBe('pass');
    expect(check('warm.errors<3')[0]?.status).toBe('fail');
    expect(check('warm.errors<=0.2%')[0]).toMatchObject({ status: 'pass', unit: 'fraction' });
    expect(check('warm.errors<0.1%')[0]?.status).toBe('fail');
    expect(check('warm.rate>=2000')[0]?.status).toBe('pass');
    expect(check('warm.rate>2003')[0]?.status).toBe('fail');
    const everyProbe = check('p50<1ms');
    expect(everyProbe.map((c) => [c.name, c.status])).toEqual([['first-connection.p50<1ms', 'fail'], ['warm.p50<1ms', 'pass']]);
    expect(codeOf(() => check('routing-direct.p99<2ms'))).toBe('RS_USAGE');
  });

  it('fails when the current run lost a probe the baseline has', () => {
    const onlyWarm = parseRun(benchResult({ warm: { latenciesUs: latencies(2000, 400, 5), errors: 3 } }), 'cur.json');
    const report = compareRuns(base, onlyWarm, settings({ thresholds: [parseThreshold('first-connection.p99<200ms')] }));
    expect(report.passed).toBe(false);
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(['first-connection.p99<200ms', 'first-connection present']);
  });
});

describe('rendering', () => {
  const base = parseRun(benchResult({ 'first-connection': { latenciesUs: latencies(500, 3000, 4) } }), 'base.json');
  const slow = parseRun(benchResult({ 'first-connection': { latenciesUs: latencies(500, 3000, 4).map((v) => v * 2) } }), 'cur.json');
  const report = compareRuns(base, slow, settings({ minCount: 1000, thresholds: [parseThreshold('first-connection.p99<5ms'), parseThreshold('p50<1s')] }));

  it('writes JUnit XML that xmllint accepts, one testcase per check with failures and skips', () => {
    const xml = renderJunit(report, '2026-01-01T00:00:00.000Z');
    const xpath = (expr: string) => execFileSync('xmllint', ['--xpath', expr, '-'], { input: xml }).toString().trim();
    execFileSync('xmllint', ['--noout', '-'], { input: xml });
    expect(xpath('count(//testsuite/testcase)')).toBe(String(report.checks.length));
    expect(xpath('string(//testsuite/@failures)')).toBe('1');
    expect(xpath('string(//testsuite/@skipped)')).toBe('3');
    expect(xpath('count(//testcase/failure)')).toBe('1');
    expect(xpath('string(//testcase[failure]/@name)')).toBe('first-connection.p99<5ms');
    expect(xpath('count(//testcase/skipped)')).toBe('3');
  });

  it('escapes hostile names so the XML stays well-formed', () => {
    expect(xmlEscape(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const hostile = parseRun(benchResult({ 'x"<&>\u0002y': { latenciesUs: latencies(200, 100, 9) } }), 'weird "file" <&>.json');
    const xml = renderJunit(compareRuns(hostile, hostile, settings({ minCount: 0 })));
    execFileSync('xmllint', ['--noout', '-'], { input: xml });
  });

  it('renders a Markdown table and a terminal table with the same checks', () => {
    const md = renderGateMarkdown(report);
    expect(md).toMatch(/^### ❌ ringside gate: FAIL: 1 passed, 1 failed, 3 skipped/);
    expect(md).toContain('| check | baseline | current | change | limit | result |');
    expect(md).toMatch(/\| first-connection\.p99&lt;5ms \| .* \| ❌ \*\*fail\*\* \|/);
    expect(md.split('\n').filter((l) => l.startsWith('| first-connection'))).toHaveLength(report.checks.length);
    const table = renderGateTable(report);
    expect(table).toMatch(/CHECK\s+BASELINE\s+CURRENT\s+CHANGE\s+LIMIT\s+RESULT/);
    expect(table).toMatch(/FAIL: 1 passed, 1 failed, 3 skipped$/);
  });
});

describe('hostile histograms', () => {
  // Every byte of the inner 40-byte header and of the envelope, set to several values, then
  // re-deflated: each must decode or be refused with RS_BAD_FILE, never hang or crash. A huge
  // inner payload length made hdr-histogram-js loop for ever before the envelope check.
  it('decodes or refuses every header mutation, and refuses zlib bombs', async () => {
    const { deflateSync, inflateSync } = await import('node:zlib');
    const good = JSON.parse(benchResult({ warm: { latenciesUs: latencies(2000, 700, 11) } }));
    const encoded = Buffer.from(good.probes.warm.histogram as string, 'base64');
    const inner = inflateSync(encoded.subarray(8));
    const wrap = (payload: Buffer): string => {
      const body = deflateSync(payload);
      const head = Buffer.alloc(8);
      head.writeInt32BE(0x1c849314, 0);
      head.writeInt32BE(body.length, 4);
      return Buffer.concat([head, body]).toString('base64');
    };
    const outcomes = { decoded: 0, refused: 0 };
    const tryDecode = (histogram: string): void => {
      const text = JSON.stringify({ ...good, probes: { warm: { ...good.probes.warm, histogram } } });
      const code = codeOf(() => parseRun(text, 'x.json'));
      expect([undefined, 'RS_BAD_FILE']).toContain(code);
      outcomes[code === undefined ? 'decoded' : 'refused']++;
      // The same histogram as an .hlog line (read by HistogramLogReader, which trusts the payload).
      const hlog = `#[Histogram log format version 1.3]\n#[StartTime: 0.000 (seconds since epoch)]\nTag=probe=warm,0.000,1.000,1.000,${histogram}\n`;
      const hlogCode = codeOf(() => parseRun(hlog, 'x.hlog'));
      expect(hlogCode, 'the .hlog path must agree with the JSON path').toBe(code);
    };
    for (let pos = 0; pos < 40; pos++) {
      for (const value of [0, 1, 0x7f, 0x80, 0xff]) {
        const mutated = Buffer.from(inner);
        mutated[pos] = value;
        tryDecode(wrap(mutated));
      }
    }
    for (let pos = 0; pos < 8; pos++) {
      const mutated = Buffer.from(encoded);
      mutated[pos] = (mutated[pos] as number) ^ 0xff;
      tryDecode(mutated.toString('base64'));
    }
    tryDecode(wrap(Buffer.concat([inner.subarray(0, 40), Buffer.alloc(20 << 20)]))); // 20 MB of zeros: a bomb
    tryDecode(wrap(inner.subarray(0, 20))); // truncated header
    expect(outcomes.decoded).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});
