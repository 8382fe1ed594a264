/**
 * The dashboard's pure core, with vectors: text helpers, each pane's view-model, the key
 * reducer, the layout, the buffer/state and the summary. The latency pane is fed real
 * IntervalRecords: hdr-histogram-js histograms of real HTTP round trips measured here.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as hdr from 'hdr-histogram-js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputBuffer } from '../../dashboards/buffer.js';
import type { IntervalRecord } from '../../dashboards/feeds.js';
import { initialUi, reduceKey, type UiState } from '../../dashboards/keys.js';
import { frameOf, ownerAnswer } from '../../dashboards/run-dash.js';
import { applyDrained, createDashState } from '../../dashboards/state.js';
import { describeEntry, eventsView } from '../../dashboards/view-models/events.js';
import { faultsView, timeLeft, wrapBreaking } from '../../dashboards/view-models/faults.js';
import { inner, layoutFor } from '../../dashboards/view-models/layout.js';
import { bucketEdges, countAtOrBelow, createLatencyHistory, appendInterval, latencyView, summarizeInterval } from '../../dashboards/view-models/latency.js';
import { groupLetters, membersView, sortMembers, viewsRows } from '../../dashboards/view-models/members.js';
import type { MemberView } from '../../src/cluster/observer.js';
import { ringView } from '../../dashboards/view-models/ring.js';
import { summarize, summaryText } from '../../dashboards/view-models/summary.js';
import { bar, clip, fit, formatUs, sparkline } from '../../dashboards/view-models/text.js';
import { formatDurationMs } from '../../src/units.js';
import { diffMembers } from '../../src/cluster/events.js';
import { type Member, staticMember } from '../../src/cluster/member.js';
import { compareViews } from '../../src/cluster/views.js';
import { clusterRing } from '../../src/cluster/cluster-ring.js';
import { lookupOwners } from '../../src/ring/lookup.js';
import { describeRing } from '../../src/ring/report.js';
import { createSnapshot } from '../../src/cluster/snapshot.js';

function member(name: string, port: number, status: Member['status'] = 'alive', tags: Record<string, string> = {}, incarnation = 1): Member {
  return { ...staticMember(name, { host: '127.0.0.1', port }, tags), status, nativeStatus: status, incarnation };
}

const cluster: Member[] = [
  member('node-b', 7947),
  member('node-a', 7946, 'alive', { zone: 'a' }),
  member('node-c', 7948, 'failed'),
  member('node-d', 7949, 'suspect'),
  member('node-e', 7950, 'left'),
  member('ringside-obs', 7999, 'alive', { ringside: 'observer' }),
];

describe('text helpers', () => {
  it('fit, clip, bar, sparkline and durations', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(clip('abc', 5)).toBe('abc');
    expect(clip('abcdef', 3)).toBe('ab…');
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(0.0625, 2)).toBe('▏ ');
    expect(sparkline([0, 7, 14, null], 10)).toBe('▁▅█ ');
    expect(sparkline([1, 2, 3, 4, 5], 3)).toBe('▅▇█');
    expect(formatUs(850)).toBe('850us');
    expect(formatUs(1250)).toBe('1.25ms');
    expect(formatUs(12_500)).toBe('12.5ms');
    expect(formatUs(1_200_000)).toBe('1.20s');
    expect(formatDurationMs(45_000)).toBe('45s');
    expect(formatDurationMs(185_000)).toBe('3m05s');
    expect(formatDurationMs(7_260_000)).toBe('2h01m');
  });
});

describe('members pane', () => {
  it('puts problems first, marks the observer, colours by status', () => {
    expect(sortMembers(cluster).map((m) => m.name)).toEqual(['node-c', 'node-d', 'node-a', 'node-b', 'ringside-obs', 'node-e']);
    const view = membersView({ members: cluster, filter: '', scroll: 0, width: 60, height: 10 });
    expect(view.title).toBe('members 6: 3 alive, 1 suspect, 1 failed, 1 left');
    expect(view.rows[0]).toEqual({ text: 'NAME          ADDR           STATUS  INC TAGS', tone: 'accent' });
    expect(view.rows[1]).toEqual({ text: 'node-c        127.0.0.1:7948 failed    1 ', tone: 'bad' });
    expect(view.rows[2]?.tone).toBe('warn');
    expect(view.rows[3]?.text).toBe('node-a        127.0.0.1:7946 alive     1 zone=a');
    expect(view.rows[5]?.text).toBe('*ringside-obs 127.0.0.1:7999 alive     1 ringside=observer');
    expect(view.rows[6]).toEqual({ text: 'node-e        127.0.0.1:7950 left      1 ', tone: 'dim' });
  });

  it('filters, scrolls and drops columns when narrow', () => {
    const filtered = membersView({ members: cluster, filter: 'ZONE=', scroll: 0, width: 60, height: 10 });
    expect(filtered.rows.map((r) => r.text.split(' ')[0])).toEqual(['NAME', 'node-a']);
    expect(filtered.title).toContain('/ZONE=: 1 shown');
    const narrow = membersView({ members: cluster, filter: '', scroll: 2, width: 22, height: 3 });
    expect(narrow.rows.map((r) => r.text)).toEqual(['NAME          STATUS', 'node-a        alive', 'node-b        alive']);
    const none = membersView({ members: cluster, filter: 'nothing', scroll: 0, width: 40, height: 5 });
    expect(none.rows.at(-1)?.text).toBe('no member matches "nothing"');
  });

  it('says whether the members views agree (--all-views); when not, one line per group and each member marked', () => {
    const view = (observer: string, statuses: Member['status'][]): MemberView => ({ observer, addr: '', members: statuses.map((s, i) => member(`n${i}`, 7000 + i, s)), ms: 1, at: 0 });
    const three = [member('n0', 7000), member('n1', 7001), member('n2', 7002)];
    const agree = compareViews([view('n0', ['alive', 'alive']), view('n1', ['alive', 'alive'])]);
    expect(membersView({ members: cluster, filter: '', scroll: 0, width: 60, height: 10, views: agree }).rows[0]).toEqual({ text: 'views: all 2 agree', tone: 'good' });
    // A halves-like split: n0 alone holds n1 failed; n1 and n2 hold everyone alive; n3 never answered.
    const split = compareViews([view('n0', ['alive', 'failed', 'alive']), view('n1', ['alive', 'alive', 'alive']), view('n2', ['alive', 'alive', 'alive']), { observer: 'n3', addr: '10.0.0.3:7946', members: null, error: 'timeout', ms: 5000, at: 0 }]);
    const pane = membersView({ members: [...three, member('n3', 7003, 'failed')], filter: '', scroll: 0, width: 60, height: 10, views: split });
    expect(pane.rows.map((r) => [r.text.trimEnd(), r.tone])).toEqual([
      ['views: 2 groups disagree, 1 did not answer (n3)', 'bad'],
      ['A n1,n2: all alive', 'bad'],
      ['B n0: holds n1 failed', 'bad'],
      ['V NAME ADDR           STATUS  INC TAGS', 'accent'],
      ['- n3   127.0.0.1:7003 failed    1', 'bad'],
      ['B n0   127.0.0.1:7000 alive     1', 'good'],
      ['A n1   127.0.0.1:7001 alive     1', 'good'],
      ['A n2   127.0.0.1:7002 alive     1', 'good'],
    ]);
    // One group, but a member did not answer: not agreement.
    const silent = compareViews([view('n0', ['alive', 'alive']), { observer: 'n1', addr: 'x', members: null, error: 'refused', ms: 1, at: 0 }]);
    expect(viewsRows(silent, 60)).toEqual([{ text: 'views: 1 agree, 1 did not answer (n1)', tone: 'warn' }]);
    expect(groupLetters(silent).size).toBe(0);
    expect(membersView({ members: cluster, filter: '', scroll: 0, width: 60, height: 10, views: null }).rows[0]?.tone).toBe('dim');
  });
});

describe('ring pane', () => {
  it('shows the report ringside ring computes, most loaded first', () => {
    const snapshot = createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: new Date(0).toISOString(), source: 'test' }, cluster);
    const { ring, addrs, excluded } = clusterRing(snapshot, { algorithm: 'ringpop' });
    const report = describeRing(ring, { replicas: 1, addrs, excluded });
    const view = ringView({ report, scroll: 0, width: 40, height: 8 });
    expect(view.title).toBe('ring ringpop: 3 nodes');
    const sorted = [...report.nodes].sort((a, b) => b.ownership - a.ownership);
    expect(view.rows.slice(1, 4).map((r) => r.text.split(' ')[0])).toEqual(sorted.map((n) => n.node));
    expect(view.rows[1]?.text).toContain(`${(sorted[0]!.ownership * 100).toFixed(1)}%`);
    expect(view.rows[1]?.text.endsWith(`${sorted[0]!.load.toFixed(2)}x`)).toBe(true);
    expect(view.rows[0]?.text).toMatch(new RegExp(`^load max ${report.imbalance.maxOverMean.toFixed(2)}x min ${report.imbalance.minOverMean.toFixed(2)}x sd ${(report.imbalance.stddev * 100).toFixed(report.imbalance.stddev >= 0.1 ? 1 : 2)}%$`));
    expect(view.rows.at(-1)?.text).toBe(clip('not in the ring: node-c (failed), node-e (left), ringside-obs (ringside observer)', 40));
    for (const row of view.rows) expect(row.text.length).toBeLessThanOrEqual(40);
    expect(ringView({ report: null, error: 'no member can take part', scroll: 0, width: 40, height: 8 }).rows[0]).toEqual({ text: 'no member can take part', tone: 'bad' });
  });

  it('answers owner lookups exactly as ringside owner does', () => {
    const snapshot = createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: new Date(0).toISOString(), source: 'test' }, cluster);
    for (const key of ['user:42', 'a', '', 'ключ']) {
      const { ring, addrs } = clusterRing(snapshot, { algorithm: 'ketama' });
      const [record] = lookupOwners(ring, [key], 2, addrs);
      expect(ownerAnswer(cluster, { algorithm: 'ketama' }, 2, key).text).toBe(`owner of ${key}: ${record!.owners.map((o, i) => `${o} (${record!.addrs[i]})`).join(', ')}`);
    }
  });
});

describe('latency pane, fed real interval records', () => {
  let server: ReturnType<typeof createServer>;
  let raw: number[] = [];
  let record: IntervalRecord;

  beforeAll(async () => {
    server = createServer((req, res) => {
      // Some requests wait a little, so the histogram has a tail.
      const delayMs = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('d') ?? 0);
      setTimeout(() => res.end('ok'), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
    const startMs = Date.now();
    for (let i = 0; i < 400; i++) {
      const t0 = process.hrtime.bigint();
      const res = await request(`http://127.0.0.1:${port}/?d=${i % 50 === 0 ? 20 : i % 10 === 0 ? 3 : 0}`);
      await res.body.text();
      const us = Number((process.hrtime.bigint() - t0) / 1000n);
      raw.push(us);
      histogram.recordValue(us);
    }
    record = { probe: 'warm', startMs, endMs: Date.now(), count: raw.length, errors: 0, histogram };
    raw = raw.sort((a, b) => a - b);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const exact = (p: number): number => raw[Math.max(0, Math.ceil((p / 100) * raw.length) - 1)]!;

  it('summarises percentiles as the histogram does, within its 3 significant digits of the raw values', () => {
    const s = summarizeInterval(record);
    expect(s.p50Us).toBe(record.histogram.getValueAtPercentile(50));
    expect(s.p99Us).toBe(record.histogram.getValueAtPercentile(99));
    // HDR reports the top of a percentile's bucket, which can lie above the largest value recorded: capped at the max.
    expect(s.p999Us).toBe(Math.min(record.histogram.getValueAtPercentile(99.9), record.histogram.maxValue));
    expect(s.maxUs).toBe(raw.at(-1));
    for (const p of [s.p50Us, s.p99Us, s.p999Us]) expect(p!).toBeLessThanOrEqual(s.maxUs!);
    for (const [p, value] of [[50, s.p50Us], [99, s.p99Us], [99.9, s.p999Us]] as const) {
      expect(Math.abs(value! - exact(p))).toBeLessThanOrEqual(exact(p) * 0.001 + 1);
    }
    expect(s.p99Us!).toBeGreaterThan(s.p50Us!);
  });

  it('counts each latency bucket like the raw values do', () => {
    const s = summarizeInterval(record);
    expect(s.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(raw.length);
    const rawAtOrBelow = (v: number): number => raw.filter((x) => x <= v).length;
    for (const b of s.buckets.slice(0, -1)) {
      const counted = countAtOrBelow(record.histogram, b.toUs);
      expect(counted).toBeGreaterThanOrEqual(rawAtOrBelow(b.toUs * 0.998));
      expect(counted).toBeLessThanOrEqual(rawAtOrBelow(b.toUs * 1.002));
    }
    expect(s.buckets.at(-1)!.toUs).toBeGreaterThanOrEqual(raw.at(-1)!);
    expect(s.buckets[0]!.toUs).toBeGreaterThanOrEqual(raw[0]!);
  });

  it('draws percentile lines over time and the current histogram within the pane', () => {
    const history = createLatencyHistory(5);
    for (let i = 0; i < 8; i++) appendInterval(history, summarizeInterval(record));
    expect(history.probes.get('warm')).toHaveLength(5);
    const view = latencyView({ history, note: null, width: 50, height: 9 });
    const s = summarizeInterval(record);
    expect(view.rows[0]?.text).toBe(clip(`warm: p50 ${formatUs(s.p50Us!)}  p99 ${formatUs(s.p99Us!)}  p99.9 ${formatUs(s.p999Us!)}  ${Math.round(record.count / Math.max(0.001, (record.endMs - record.startMs) / 1000))}/s`, 50));
    expect(view.rows[1]?.text).toMatch(/^p50 {3}[▁-█]{5}$/u);
    expect(view.rows[3]?.text).toBe('p99.9 █████');
    expect(view.rows).toHaveLength(9);
    const bars = view.rows.slice(4);
    expect(bars.every((r) => /^ *\d+(\.\d+)?–\d+(\.\d+)?(us|ms|s) /u.test(r.text))).toBe(true);
    expect(bars.reduce((sum, r) => sum + Number(r.text.trim().split(' ').at(-1)), 0)).toBe(raw.length);
    for (const row of view.rows) expect(row.text.length).toBeLessThanOrEqual(50);
    expect(latencyView({ history: createLatencyHistory(), note: 'no probe running (pass --target URL --rate R)', width: 30, height: 4 }).rows).toEqual([
      { text: 'no probe running (pass', tone: 'dim' },
      { text: '--target URL --rate R)', tone: 'dim' },
    ]);
  });

  it('keeps the rate when the pane is narrow, and shows failures on a line of their own', () => {
    const interval = (probe: string, count: number, errors: number, us: number | null) => ({ probe, startMs: 0, endMs: 1000, count, errors, p50Us: us, p99Us: us, p999Us: us, maxUs: us, buckets: us === null ? [] : [{ fromUs: 0, toUs: 50_000, count }] });
    const history = createLatencyHistory();
    appendInterval(history, interval('warm', 48, 2, 20_700));
    // 80 columns: a 43-column pane, where "warm: p50 20.7ms  p99 20.7ms  p99.9 20.7ms  48/s" (48) does not fit.
    expect(latencyView({ history, note: null, width: 43, height: 6 }).rows.slice(0, 2)).toEqual([
      { text: 'warm: p50 20.7ms  p99 20.7ms  p99.9 20.7ms' },
      { text: 'warm: 48/s, 2 of 50 requests failed', tone: 'warn' },
    ]);
    expect(latencyView({ history, note: null, width: 60, height: 6 }).rows.slice(0, 2)).toEqual([
      { text: 'warm: p50 20.7ms  p99 20.7ms  p99.9 20.7ms  48/s' },
      { text: 'warm: 2 of 50 requests failed', tone: 'warn' },
    ]);
    // A refused target: no latency at all, every request failed; no full scale in the title.
    const refused = createLatencyHistory();
    appendInterval(refused, interval('warm', 0, 50, null));
    const view = latencyView({ history: refused, note: null, width: 43, height: 6 });
    expect(view.title).toBe('latency warm');
    expect(view.rows.slice(0, 2)).toEqual([{ text: 'warm: p50 -  p99 -  p99.9 -  0/s' }, { text: 'warm: 50 of 50 requests failed', tone: 'bad' }]);
    // Too narrow even for single spaces: cut, never wrapped into the next row.
    appendInterval(history, interval('first-connection', 20, 0, 21_300));
    const narrow = latencyView({ history, note: null, width: 43, height: 8 }).rows;
    expect(narrow.slice(0, 2)).toEqual([{ text: 'first-connection p50 21.3ms p99 21.3ms p99…' }, { text: 'first-connection: 20/s' }]);
  });

  it('spreads bucket edges over the observed range: round linear steps when narrow, logarithmic across decades', () => {
    // 52-55 ms: 12 rows of 0.25 ms (0.2 ms would make 15).
    expect(bucketEdges(52_000, 55_000, 12)).toEqual(Array.from({ length: 12 }, (_, i) => 52_250 + 250 * i));
    expect(bucketEdges(52_000, 55_000, 8)).toEqual([52_400, 52_800, 53_200, 53_600, 54_000, 54_400, 54_800, 55_200]);
    // 1 ms to 2 s: each edge about 1.88x the last, two significant digits.
    expect(bucketEdges(1000, 2_000_000, 12)).toEqual([1900, 3600, 6700, 13_000, 24_000, 45_000, 85_000, 160_000, 300_000, 570_000, 1_100_000, 2_000_000]);
    // One value: one bucket.
    expect(bucketEdges(20_700, 20_700, 12)).toEqual([20_700]);
    expect(bucketEdges(0, 0, 4)).toEqual([1]);
  });

  it('shows a 52-55 ms distribution in at least 8 labelled rows whose counts add up (it used to be one bar, ≤100.0ms)', () => {
    const h = hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
    for (let i = 0; i < 10_000; i++) h.recordValue(52_000 + Math.floor((3000 * i) / 10_000));
    const summary = summarizeInterval({ probe: 'warm', startMs: 0, endMs: 1000, count: 10_000, errors: 0, histogram: h } as IntervalRecord);
    const history = createLatencyHistory();
    appendInterval(history, summary);
    const bars = latencyView({ history, note: null, width: 60, height: 16 }).rows.slice(4);
    expect(bars.length).toBeGreaterThanOrEqual(8);
    expect(bars.map((r) => r.text.trim().split(' ')[0])).toEqual(['52.00–52.25ms', '52.25–52.50ms', '52.50–52.75ms', '52.75–53.00ms', '53.00–53.25ms', '53.25–53.50ms', '53.50–53.75ms', '53.75–54.00ms', '54.00–54.25ms', '54.25–54.50ms', '54.50–54.75ms', '54.75–55.00ms']);
    const counts = bars.map((r) => Number(r.text.trim().split(' ').at(-1)));
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
    for (const r of bars) expect(r.text.length).toBeLessThanOrEqual(60);
    // A single latency: one row.
    const one = hdr.build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
    for (let i = 0; i < 50; i++) one.recordValue(20_700);
    expect(summarizeInterval({ probe: 'warm', startMs: 0, endMs: 1000, count: 50, errors: 0, histogram: one } as IntervalRecord).buckets).toEqual([{ fromUs: 20_700, toUs: 20_700, count: 50 }]);
  });
});

describe('faults pane', () => {
  const fault = { id: 'f1', kind: 'loss', targets: ['10.0.0.1', '10.0.0.2'], summary: '25% loss to :7946', appliedAtMs: 1_000_000, expiresAtMs: 1_065_000 };
  it('shows time left and faults that hold until healed', () => {
    expect(timeLeft(fault, 1_000_000)).toBe('1m05s left');
    expect(timeLeft(fault, 1_064_500)).toBe('1s left');
    expect(timeLeft(fault, 1_065_000)).toBe('expiring');
    expect(timeLeft(fault, 1_069_999)).toBe('expiring');
    expect(timeLeft(fault, 1_077_000)).toBe('overdue 12s');
    expect(timeLeft({ ...fault, expiresAtMs: null }, 0)).toBe('until healed');
    const view = faultsView({ faults: [fault], note: null, nowMs: 1_005_000, scroll: 0, width: 40, height: 4 });
    expect(view.title).toBe('faults: 1 active');
    expect(view.rows[0]).toEqual({ text: `${'loss f1'.padEnd(29)} 1m00s left`, tone: 'bad' });
    expect(view.rows[0]!.text.length).toBe(40);
    expect(view.rows.slice(1).map((r) => r.text)).toEqual(['  25% loss to :7946, applied 5s ago']);
    expect(faultsView({ faults: [fault], note: null, nowMs: 1_077_000, scroll: 0, width: 40, height: 4 }).rows[0]).toEqual({ text: `${'loss f1'.padEnd(28)} overdue 12s`, tone: 'warn' });
    // The kind the journal's summary starts with is not repeated; a long summary wraps, then is cut.
    const long = { ...fault, kind: 'partition', summary: 'partition 10.0.0.1,10.0.0.2 | 10.0.0.3,10.0.0.4,10.0.0.5 (iptables)' };
    expect(faultsView({ faults: [long], note: null, nowMs: 1_005_000, scroll: 0, width: 24, height: 3 }).rows.map((r) => r.text)).toEqual(['partition f1  1m00s left', '  10.0.0.1,10.0.0.2 |', '  10.0.0.3,10.0.0.4,10.…']);
    // Where it is in place, when the journal says: one or two hosts by name, else the first and a count.
    const placed = { ...fault, on: ['netns:node1'] };
    expect(faultsView({ faults: [placed], note: null, nowMs: 1_005_000, scroll: 0, width: 40, height: 4 }).rows.slice(1).map((r) => r.text)).toEqual(['  on netns:node1: 25% loss to :7946,', '  applied 5s ago']);
    const many = { ...fault, on: ['ssh:root@10.0.0.1', 'ssh:root@10.0.0.2', 'ssh:root@10.0.0.3'] };
    expect(faultsView({ faults: [many], note: null, nowMs: 1_005_000, scroll: 0, width: 40, height: 3 }).rows.slice(1).map((r) => r.text)).toEqual(['  on ssh:root@10.0.0.1 +2 more: 25% loss', '  to :7946, applied 5s ago']);
    // Too many faults for two lines each: one line each.
    expect(faultsView({ faults: [fault, { ...fault, id: 'f2' }], note: null, nowMs: 1_005_000, scroll: 0, width: 40, height: 3 }).rows.map((r) => r.text.split(/ +/)[1])).toEqual(['f1', 'f2']);
    // A journal path longer than the pane is broken over lines, not cut.
    expect(wrapBreaking('no /tmp/abcdefghij/journal yet', 10)).toEqual(['no', '/tmp/abcde', 'fghij/jour', 'nal yet']);
    expect(faultsView({ faults: null, note: 'chaos journal not available in this build', nowMs: 0, scroll: 0, width: 60, height: 4 }).rows[0]?.text).toBe('chaos journal not available in this build');
    expect(faultsView({ faults: null, note: 'chaos journal not available in this build', nowMs: 0, scroll: 0, width: 20, height: 2 }).rows.map((r) => r.text)).toEqual(['chaos journal not', 'available in this']);
    expect(faultsView({ faults: [], note: null, nowMs: 0, scroll: 0, width: 60, height: 4 }).rows[0]?.text).toBe('no active fault');
  });
});

describe('event log', () => {
  it('turns membership changes into timestamped lines, newest at the bottom', () => {
    const after = cluster.map((m) => (m.name === 'node-b' ? { ...m, status: 'suspect' as const } : m));
    const [event] = diffMembers(cluster, after, '2026-01-02T03:04:05.678Z');
    expect(describeEntry({ atMs: Date.parse(event!.ts), event: event! })).toBe('03:04:05 suspect node-b 127.0.0.1:7947 inc 1 (was alive)');
    const entries = Array.from({ length: 10 }, (_, i) => ({ atMs: i * 1000, note: `n${i}` }));
    expect(eventsView({ entries, scroll: 0, width: 30, height: 3 }).rows.map((r) => r.text)).toEqual(['00:00:07 n7', '00:00:08 n8', '00:00:09 n9']);
    const back = eventsView({ entries, scroll: 2, width: 30, height: 3 });
    expect(back.rows.map((r) => r.text)).toEqual(['00:00:05 n5', '00:00:06 n6', '00:00:07 n7']);
    expect(back.title).toBe('events (UTC), 2 newer below');
  });
});

describe('keys', () => {
  const press = (ui: UiState, ...keys: Parameters<typeof reduceKey>[1][]): { ui: UiState; actions: unknown[] } => {
    const actions: unknown[] = [];
    for (const key of keys) {
      const next = reduceKey(ui, key, { members: 3, events: 5 });
      ui = next.ui;
      if (next.action) actions.push(next.action);
    }
    return { ui, actions };
  };
  const ch = (c: string) => ({ ch: c, name: c });

  it('Tab moves focus, arrows scroll within limits, the event log scrolls back in time', () => {
    expect(press(initialUi(), { name: 'tab' }).ui.focus).toBe('ring');
    expect(press(initialUi(), { name: 'tab', shift: true }).ui.focus).toBe('events');
    expect(press(initialUi(), { name: 'down' }, { name: 'down' }, { name: 'pagedown' }).ui.scroll.members).toBe(3);
    expect(press(initialUi(), { name: 'down' }, { name: 'up' }, { name: 'up' }).ui.scroll.members).toBe(0);
    const events = press(initialUi(), { name: 'tab', shift: true }, { name: 'up' }, { name: 'up' }).ui;
    expect(events.scroll.events).toBe(2);
    expect(press(events, { name: 'end' }).ui.scroll.events).toBe(0);
  });

  it('/ filters as you type; Esc clears; Enter keeps', () => {
    const typing = press(initialUi(), ch('/'), ch('n'), ch('o'), ch('q')).ui;
    expect(typing.filter).toBe('noq');
    expect(typing.input).toEqual({ kind: 'filter', text: 'noq' });
    expect(press(typing, { name: 'backspace' }, { name: 'enter' }).ui).toMatchObject({ filter: 'no', input: null });
    expect(press(typing, { name: 'escape' }).ui).toMatchObject({ filter: '', input: null });
  });

  it('o asks for a key, Enter looks it up; q, p and ? while not typing; Ctrl-C always quits', () => {
    const { ui, actions } = press(initialUi(), ch('o'), ch('q'), ch('p'), { name: 'enter' });
    expect(actions).toEqual([{ type: 'owner', key: 'qp' }]);
    expect(ui.input).toBeNull();
    expect(press(initialUi(), ch('o'), { name: 'escape' }).actions).toEqual([]);
    expect(press(initialUi(), ch('o'), { name: 'c', ctrl: true }).actions).toEqual([{ type: 'quit' }]);
    expect(press(initialUi(), ch('p')).ui.paused).toBe(true);
    expect(press(initialUi(), ch('p'), ch('p')).ui.paused).toBe(false);
    expect(press(initialUi(), ch('?')).ui.help).toBe(true);
    expect(press(initialUi(), ch('?'), ch('x')).ui.help).toBe(false);
    expect(press(initialUi(), ch('q')).actions).toEqual([{ type: 'quit' }]);
    expect(press({ ...initialUi(), message: { text: 'owner of k: a' } }, ch('x')).ui.message).toBeNull();
  });
});

describe('layout and frames', () => {
  for (const [width, height] of [[80, 24], [160, 50], [100, 30]] as const) {
    it(`tiles ${width}x${height} without overlap, every row inside its pane`, () => {
      const layout = layoutFor(width, height);
      expect(layout.tooSmall).toBe(false);
      const { members, ring, latency, faults, events } = layout.panes;
      expect(members.width + ring.width).toBe(width);
      expect(latency.width + faults.width).toBe(width);
      expect(members.height + latency.height + events.height + layout.status.height).toBe(height);
      expect(events.top + events.height).toBe(layout.status.top);
      expect(inner(members).height).toBeGreaterThanOrEqual(5);

      const many = Array.from({ length: 1000 }, (_, i) => member(`node-${String(i).padStart(4, '0')}`, 10_000 + i, i % 50 === 0 ? 'failed' : 'alive', { zone: `z${i % 3}` }));
      const state = createDashState({ nowMs: 0, members: many, allViews: false });
      const { frame } = frameOf(state, { width, height, source: 'test', latencyNote: 'none', faultsNote: 'none', nowMs: 0, pendingEvents: 0 });
      for (const id of ['members', 'ring', 'latency', 'faults', 'events'] as const) {
        const box = inner(layout.panes[id]);
        expect(frame.panes[id].rows.length).toBeLessThanOrEqual(box.height);
        for (const row of frame.panes[id].rows) expect(row.text.length).toBeLessThanOrEqual(box.width);
      }
      expect(frame.panes.members.rows[1]?.text.startsWith('node-0000')).toBe(true);
      expect(frame.status.text.length).toBeLessThanOrEqual(width);
    });
  }
  it('says when the terminal is too small', () => {
    expect(layoutFor(50, 20).tooSmall).toBe(true);
  });
});

describe('buffer, state and summary', () => {
  it('drains membership events, caps them while paused, and summarises the run', () => {
    const buffer = new InputBuffer(3);
    const state = createDashState({ nowMs: 1000, members: cluster, allViews: false });
    let current = cluster;
    for (const status of ['suspect', 'failed', 'alive', 'suspect', 'failed'] as const) {
      const next = current.map((m) => (m.name === 'node-a' ? { ...m, status } : m));
      buffer.pushMembers(next, diffMembers(current, next, new Date(2000).toISOString()));
      current = next;
    }
    expect(buffer.pendingEvents).toBe(3);
    const drained = buffer.drain();
    expect(drained.droppedEvents).toBe(2);
    expect(applyDrained(state, drained, 3000)).toEqual({ membersChanged: true });
    expect(buffer.pending).toBe(false);
    expect(state.eventCounts).toMatchObject({ alive: 1, suspect: 1, failed: 1 });
    expect(state.log.map((e) => e.note ?? e.event?.type)).toEqual(['observing 6 members', '2 events dropped while paused', 'alive', 'suspect', 'failed']);
    const summary = summarize(state, { source: 'test', nowMs: 61_000, percentiles: new Map() });
    expect(summary.members).toEqual({ total: 6, alive: 2, suspect: 1, failed: 2, left: 1 });
    expect(summaryText(summary).split('\n')).toEqual([
      'ringside dash: 1m00s on test',
      'members at exit: 6 (2 alive, 1 suspect, 2 failed, 1 left)',
      'events: 0 joined, 1 alive again, 1 suspect, 1 failed, 0 left, 0 updated',
    ]);
  });
});
