/**
 * The live progress line of bench, chaos run and diagnose: the formatters give exact strings for
 * what the libraries report, and the writer draws in place only on a terminal (here a fake
 * stream that says it is one), redraws only on change, prints log lines above the line and
 * leaves nothing behind when closed.
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScenarioProgress } from '../../chaos/scenario/run.js';
import { benchLine, BenchTally, diagnoseLine, fitLine, formatBenchProgress, formatDiagnoseProgress, formatScenarioProgress, scenarioLine, shortMs, startProgressLine } from '../../src/cli/progress.js';
import type { Finding } from '../../src/cluster/diagnose/index.js';
import { createHistogram } from '../../src/probes/histogram.js';
import type { IntervalRecord } from '../../src/probes/types.js';
import { formatDurationMs } from '../../src/units.js';

/** An interval record with latencies (µs) recorded into a real HDR histogram. */
function record(probe: string, second: number, latenciesUs: number[], extra: { sent?: number; errors?: number } = {}): IntervalRecord {
  const histogram = createHistogram();
  for (const us of latenciesUs) histogram.recordValue(us);
  return { probe, startMs: 1_000_000 + second * 1000, endMs: 1_000_000 + (second + 1) * 1000, sent: extra.sent ?? latenciesUs.length, count: latenciesUs.length, errors: extra.errors ?? 0, histogram };
}

const finding = (kind: Finding['kind']): Finding => ({ kind, severity: 'high', members: [], summary: '', evidence: {}, advice: '' });

describe('number formats', () => {
  it('durations: seconds, minutes and seconds, hours and minutes (the same format as the dashboard)', () => {
    expect([0, 9.9, 59, 60, 65, 3599, 3600, 7380].map((s) => formatDurationMs(s * 1000))).toEqual(['0s', '9s', '59s', '1m00s', '1m05s', '59m59s', '1h00m', '2h03m']);
  });
  it('shortMs: a few characters whatever the size', () => {
    expect([0.421, 1.2149, 12.34, 123.4, 1234].map(shortMs)).toEqual(['0.42ms', '1.21ms', '12.3ms', '123ms', '1.23s']);
  });
});

describe('bench line', () => {
  it('elapsed/total, sent and answered, achieved rate, errors, running p50/p99', () => {
    expect(formatBenchProgress({ started: true, elapsedMs: 12_400, durationMs: 60_000, sent: 6000, answered: 5998, errors: 2, ratePerSec: 499.83, latency: [{ probe: 'warm', p50: 1.214, p99: 3.4 }] })).toBe(
      'bench 12s/1m00s: sent 6,000, answered 5,998, 500 req/s, 2 errors, p50 1.21ms, p99 3.40ms',
    );
  });
  it('several probes: percentiles per probe; before the first interval: no rate, no percentiles', () => {
    expect(formatBenchProgress({ started: true, elapsedMs: 2000, durationMs: 30_000, sent: 40, answered: 38, errors: 1, ratePerSec: 19, latency: [{ probe: 'warm', p50: 0.5, p99: 2 }, { probe: 'first-connection', p50: 2.5, p99: 8 }] })).toBe(
      'bench 2s/30s: sent 40, answered 38, 19 req/s, 1 error, warm p50 0.50ms p99 2.00ms, first-connection p50 2.50ms p99 8.00ms',
    );
    expect(formatBenchProgress({ started: true, elapsedMs: 400, durationMs: 10_000, sent: 0, answered: 0, errors: 0, ratePerSec: null, latency: [] })).toBe('bench 0s/10s: sent 0, answered 0, - req/s, 0 errors');
  });
  it('before the start, and past the end while in-flight requests drain', () => {
    expect(formatBenchProgress({ started: false, elapsedMs: 0, durationMs: 10_000, sent: 0, answered: 0, errors: 0, ratePerSec: null, latency: [] })).toBe('bench: starting');
    expect(formatBenchProgress({ started: true, elapsedMs: 10_900, durationMs: 10_000, sent: 10, answered: 10, errors: 0, ratePerSec: 1, latency: [] })).toBe('bench 10s/10s: sent 10, answered 10, 1 req/s, 0 errors');
  });
  it('the tally sums records over seconds and probes and keeps exact running percentiles', () => {
    const tally = new BenchTally(60_000);
    expect(tally.progress(0).started).toBe(false);
    tally.start(1_000_000);
    tally.add(record('warm', 0, [1000, 1000, 1000, 2000], { sent: 5 }));
    tally.add(record('warm', 1, [1000, 1000, 1000, 1000, 9000], { sent: 6, errors: 1 }));
    expect(formatBenchProgress(tally.progress(1_002_500))).toBe('bench 2s/1m00s: sent 11, answered 9, 5 req/s, 1 error, p50 1.00ms, p99 9.00ms');
    tally.add(record('first-connection', 1, [4000]));
    expect(formatBenchProgress(tally.progress(1_003_000))).toBe('bench 3s/1m00s: sent 12, answered 10, 5 req/s, 1 error, warm p50 1.00ms p99 9.00ms, first-connection p50 4.00ms p99 4.00ms');
  });
  it('benchLine listens to a run\'s start and interval events', () => {
    const run = new EventEmitter();
    let now = 5_000;
    const line = benchLine(run as never, 10_000, () => now);
    expect(line()).toBe('bench: starting');
    run.emit('start', { startedAt: new Date(1_000_000), workers: 2 });
    run.emit('interval', record('warm', 0, [500, 700]));
    now = 1_001_300;
    expect(line()).toBe('bench 1s/10s: sent 2, answered 2, 2 req/s, 0 errors, p50 0.50ms, p99 0.70ms');
  });
});

describe('chaos run line', () => {
  const base: ScenarioProgress = { phase: 'partition', index: 2, phases: 3, startedAt: 100_000, durationMs: 60_000, untilAgreement: false, stage: 'holding', faults: [] };
  it('the phase, its time left, the faults in force', () => {
    expect(formatScenarioProgress('halves', { ...base, faults: [{ kind: 'partition', on: ['n1', 'n2', 'n3'], description: 'n1 | n2,n3' }] }, 115_200)).toBe('chaos halves: phase 2/3 partition, 45s left, faults: partition n1 | n2,n3');
    expect(formatScenarioProgress('gray', { ...base, phase: 'gray', faults: [{ kind: 'loss', on: ['n1'] }, { kind: 'delay', on: ['n2', 'n3'] }] }, 100_000)).toBe('chaos gray: phase 2/3 gray, 1m00s left, faults: loss on n1; delay on n2,n3');
    expect(formatScenarioProgress('halves', { ...base, index: 1, phase: 'baseline' }, 159_999)).toBe('chaos halves: phase 1/3 baseline, 1s left, no faults');
  });
  it('a phase that ends at agreement, applying, reverting, and before the first phase', () => {
    expect(formatScenarioProgress('halves', { ...base, index: 3, phase: 'recovery', untilAgreement: true, durationMs: 120_000 }, 105_000)).toBe('chaos halves: phase 3/3 recovery, at most 1m55s left (ends when the views agree), no faults');
    expect(formatScenarioProgress('gray', { ...base, stage: 'applying' }, 100_000)).toBe('chaos gray: phase 2/3 partition, applying faults');
    expect(formatScenarioProgress('gray', { ...base, stage: 'reverting', faults: [{ kind: 'loss', on: ['n1'] }] }, 170_000)).toBe('chaos gray: phase 2/3 partition, reverting loss on n1');
    expect(formatScenarioProgress('gray', undefined, 0)).toBe('chaos gray: starting');
  });
  it('scenarioLine keeps the latest report', () => {
    const s = scenarioLine('gray', () => 130_000);
    expect(s.line()).toBe('chaos gray: starting');
    s.onProgress({ ...base, faults: [{ kind: 'loss', on: ['n1'] }] });
    expect(s.line()).toBe('chaos gray: phase 2/3 partition, 30s left, faults: loss on n1');
  });
});

describe('diagnose line', () => {
  it('polls so far and findings so far', () => {
    expect(formatDiagnoseProgress({ elapsedMs: 12_300, durationMs: 30_000, polls: 36, views: 3, findings: [] })).toBe('diagnose 12s/30s: 36 polls of 3 views, no findings so far');
    expect(formatDiagnoseProgress({ elapsedMs: 1000, durationMs: 30_000, polls: 1, views: 1, findings: [finding('partition')] })).toBe('diagnose 1s/30s: 1 poll of 1 view, 1 finding so far (partition)');
    expect(formatDiagnoseProgress({ elapsedMs: 61_000, durationMs: 60_000, polls: 240, views: 4, findings: [finding('one-way'), finding('one-way'), finding('tag-drift')] })).toBe('diagnose 1m00s/1m00s: 240 polls of 4 views, 3 findings so far (one-way, tag-drift)');
  });
  it('diagnoseLine runs its clock between the once-a-second reports', () => {
    let now = 50_000;
    const d = diagnoseLine(30_000, () => now);
    expect(d.line()).toBe('diagnose 0s/30s: 0 polls, no findings so far');
    d.onProgress({ elapsedMs: 2000, durationMs: 30_000, polls: 6, views: 3, findings: [] });
    now += 900;
    expect(d.line()).toBe('diagnose 2s/30s: 6 polls of 3 views, no findings so far');
    now += 200;
    expect(d.line()).toBe('diagnose 3s/30s: 6 polls of 3 views, no findings so far');
  });
});

describe('the line writer', () => {
  afterEach(() => vi.useRealTimers());
  const fake = (isTTY: boolean, columns = 80) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns, write: (text: string) => writes.push(text) } };
  };

  it('fits the terminal width so the line never wraps', () => {
    expect(fitLine('abcdef', 80)).toBe('abcdef');
    expect(fitLine('x'.repeat(30), 21)).toBe(`${'x'.repeat(17)}...`);
  });

  it('draws in place, redraws only on change, prints above the line, clears on close', () => {
    vi.useFakeTimers();
    const { writes, stream } = fake(true);
    let text = 'one';
    const line = startProgressLine(() => text, { stream, intervalMs: 250 });
    expect(line.active).toBe(true);
    expect(writes).toEqual(['\rone\x1b[K']);
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(1);
    text = 'two';
    vi.advanceTimersByTime(250);
    expect(writes).toEqual(['\rone\x1b[K', '\rtwo\x1b[K']);
    line.print('ringside: phase b\n');
    expect(writes.slice(2)).toEqual(['\r\x1b[K', 'ringside: phase b\n', '\rtwo\x1b[K']);
    line.close();
    line.close();
    expect(writes.slice(5)).toEqual(['\r\x1b[K']);
    expect(line.active).toBe(false);
    text = 'three';
    vi.advanceTimersByTime(1000);
    line.print('after\n');
    expect(writes.slice(6)).toEqual(['after\n']);
  });

  it('draws nothing when the stream is not a terminal, with --json or with --quiet', () => {
    vi.useFakeTimers();
    for (const [isTTY, options] of [[false, {}], [true, { json: true }], [true, { quiet: true }]] as const) {
      const { writes, stream } = fake(isTTY);
      const line = startProgressLine(() => 'progress', { stream, ...options });
      vi.advanceTimersByTime(1000);
      line.print('ringside: a log line\n');
      line.close();
      expect(line.active).toBe(false);
      expect(writes).toEqual(['ringside: a log line\n']);
    }
  });

  it('leaves no signal or exit listener behind once closed', () => {
    const before = ['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e));
    const { stream } = fake(true);
    const line = startProgressLine(() => 'x', { stream });
    expect(process.listenerCount('SIGINT')).toBe(before[0]! + 1);
    line.close();
    expect(['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});
