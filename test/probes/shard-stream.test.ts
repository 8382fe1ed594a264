// bench --stream's lines (what --on reads from each host) and the merger that adds the shards'
// intervals as they arrive: exact sums, tick order, a failed shard no longer waited for, and
// hostile lines answered with what is wrong instead of a throw.
import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, mergeHistograms } from '../../src/probes/histogram.js';
import { IntervalMerger } from '../../src/probes/interval-merge.js';
import { intervalLine, parseStreamLine, resultLine, startLine } from '../../src/probes/stream.js';
import type { BenchResult, IntervalRecord } from '../../src/probes/types.js';

function record(probe: string, startMs: number, latenciesUs: number[], errors = 0): IntervalRecord {
  const histogram = createHistogram();
  for (const us of latenciesUs) histogram.recordValue(us);
  return { probe, startMs, endMs: startMs + 1000, sent: latenciesUs.length + errors, count: latenciesUs.length, errors, histogram };
}

describe('bench --stream lines', () => {
  it('round-trip: start, interval (histogram bucket for bucket) and result', () => {
    const at = new Date('2026-12-04T05:00:00.000Z');
    expect(parseStreamLine(startLine(at), 'h')).toEqual({ type: 'start', startedAt: at });
    const r = record('warm', 1_796_360_400_000, [120, 250, 250, 9000], 2);
    const parsed = parseStreamLine(intervalLine(r), 'h');
    if (!('type' in parsed) || parsed.type !== 'interval') throw new Error(JSON.stringify(parsed));
    expect({ ...parsed.record, histogram: encodeHistogram(parsed.record.histogram) }).toEqual({ ...r, histogram: encodeHistogram(r.histogram) });
    const result = { schemaVersion: 1, kind: 'ringside.bench', startedAt: at.toISOString(), durationMs: 1000, config: {}, probes: {} } as unknown as BenchResult;
    expect(parseStreamLine(resultLine(result), 'h')).toEqual({ type: 'result', result });
  });

  it.each([
    ['not JSON', 'HISTFAAA', 'ssh:h printed a line that is not JSON: "HISTFAAA"'],
    ['a number', '42', 'ssh:h printed "42", not a stream event'],
    ['an unknown type', '{"type":"boom"}', 'ssh:h printed an event of unknown type "boom"'],
    ['a start without a time', '{"type":"start","startedAt":"soon"}', 'ssh:h: a start event without a valid startedAt'],
    ['a negative count', '{"type":"interval","probe":"warm","startMs":0,"endMs":1000,"sent":1,"count":-1,"errors":0,"histogram":"x"}', 'ssh:h: an interval event with missing or invalid fields'],
    ['an interval ending before it starts', '{"type":"interval","probe":"warm","startMs":5,"endMs":1,"sent":1,"count":1,"errors":0,"histogram":"x"}', 'ssh:h: an interval event with missing or invalid fields'],
    ['a histogram that is not one', '{"type":"interval","probe":"warm","startMs":0,"endMs":1000,"sent":1,"count":1,"errors":0,"histogram":"HISTFAAAAAAA"}', "ssh:h: an interval's histogram is unusable: its compressed length does not match its size"],
    ['a result that is not a bench result', '{"type":"result","result":{"kind":"other"}}', 'the result of ssh:h is not a ringside bench result (schema 1)'],
  ])('%s: says what is wrong', (_what, line, error) => {
    expect(parseStreamLine(line, 'ssh:h')).toEqual({ error });
  });
});

describe('IntervalMerger', () => {
  it('adds one tick of every shard exactly and emits ticks in order once all running shards sent theirs', () => {
    const out: IntervalRecord[] = [];
    const merger = new IntervalMerger(3, (r) => out.push(r));
    const t0 = 1_000_000;
    const a = record('warm', t0, [100, 200]);
    const b = record('warm', t0, [300], 1);
    const c = record('warm', t0, [400, 500, 600]);
    merger.add(0, a);
    merger.add(1, b);
    merger.add(0, record('warm', t0 + 1000, [700]));
    expect(out).toEqual([]);
    merger.add(2, c);
    expect(out).toHaveLength(1);
    expect({ ...out[0], histogram: encodeHistogram(out[0]!.histogram) }).toEqual({ probe: 'warm', startMs: t0, endMs: t0 + 1000, sent: 7, count: 6, errors: 1, histogram: encodeHistogram(mergeHistograms([a.histogram, b.histogram, c.histogram])) });
    // A repeated tick from one shard is not counted twice.
    merger.add(0, record('warm', t0 + 1000, [700]));
    merger.add(1, record('warm', t0 + 1000, [800]));
    // Shard 2 fails: its second tick is no longer waited for.
    merger.end(2);
    expect(out.map((r) => [r.startMs, r.count])).toEqual([
      [t0, 6],
      [t0 + 1000, 2],
    ]);
  });

  it('lines up a shard that started late by the tick number its controller gives', () => {
    const out: IntervalRecord[] = [];
    const start = 5_000;
    const merger = new IntervalMerger(2, (r) => out.push(r), (r) => Math.round((r.startMs - start) / 1000));
    merger.add(0, record('warm', start, [100]));
    merger.add(1, record('warm', start + 37, [200]));
    expect(out.map((r) => [r.startMs, r.endMs, r.count])).toEqual([[start, start + 1037, 2]]);
  });

  it('keeps probes apart', () => {
    const out: IntervalRecord[] = [];
    const merger = new IntervalMerger(2, (r) => out.push(r));
    merger.add(0, record('warm', 0, [1]));
    merger.add(1, record('first-connection', 0, [2]));
    expect(out).toEqual([]);
    merger.add(1, record('warm', 0, [3]));
    merger.add(0, record('first-connection', 0, [4]));
    expect(out.map((r) => [r.probe, r.count])).toEqual([
      ['warm', 2],
      ['first-connection', 2],
    ]);
  });
});
