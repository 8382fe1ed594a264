// HDR maths: percentiles within 3 significant digits of the exact ones; merging encoded
// histograms (worker threads, hosts) is exact.
import { describe, expect, it } from 'vitest';
import { createHistogram, decodeHistogram, encodeHistogram, mergeHistograms, percentilesOf } from '../../src/probes/histogram.js';
import { prng } from '../support/random.js';

function exactPercentile(sorted: number[], p: number): number {
  // The rank HdrHistogram uses: the nearest whole count to p% of all values.
  return sorted[Math.max(1, Math.floor((p / 100) * sorted.length + 0.5)) - 1] as number;
}

describe('histograms', () => {
  const random = prng(42);
  // A latency-like mix: a body around 300 us and a tail up to 2 s.
  const values = Array.from({ length: 50_000 }, () => Math.round(random() < 0.97 ? 200 + random() * 200 : 1000 + random() ** 3 * 2_000_000));
  const sorted = [...values].sort((a, b) => a - b);

  it('reports each percentile within HDR precision (0.1%) of the exact value', () => {
    const h = createHistogram();
    for (const v of values) h.recordValue(v);
    const p = percentilesOf(h);
    const check = (reportedMs: number, percentile: number): void => {
      const exact = exactPercentile(sorted, percentile);
      expect(Math.abs(reportedMs * 1000 - exact)).toBeLessThanOrEqual(Math.max(1, exact * 0.001));
    };
    check(p.p50, 50);
    check(p.p90, 90);
    check(p.p95, 95);
    check(p.p99, 99);
    check(p.p999, 99.9);
    check(p.max, 100);
    expect(p.mean * 1000).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, -1);
  });

  it('merges encoded parts exactly: the sum of parts equals one histogram of everything', () => {
    const whole = createHistogram();
    const parts = [createHistogram(), createHistogram(), createHistogram()];
    values.forEach((v, i) => {
      whole.recordValue(v);
      (parts[i % 3] as ReturnType<typeof createHistogram>).recordValue(v);
    });
    const merged = mergeHistograms(parts.map((part) => decodeHistogram(encodeHistogram(part))));
    expect(merged.totalCount).toBe(values.length);
    expect(encodeHistogram(merged)).toBe(encodeHistogram(whole));
    for (let p = 0; p <= 100; p += 0.5) expect(merged.getValueAtPercentile(p)).toBe(whole.getValueAtPercentile(p));
  });

  it('summaries of an empty histogram are zeros, not NaN', () => {
    expect(percentilesOf(createHistogram())).toEqual({ p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 });
  });
  it('never reports a percentile above the recorded max (regression: p99.9 32.399 ms beside max 32.384 ms)', () => {
    const h = createHistogram();
    for (let i = 0; i < 10; i++) h.recordValue(1000);
    for (let i = 0; i < 90; i++) h.recordValue(32384);
    expect(h.getValueAtPercentile(99.9)).toBeGreaterThan(32384); // the bucket's highest equivalent value
    const p = percentilesOf(h);
    expect(p.max).toBe(32.384);
    expect([p.p90, p.p95, p.p99, p.p999]).toEqual([32.384, 32.384, 32.384, 32.384]);
    expect(p.p50).toBe(32.384);
  });
});
