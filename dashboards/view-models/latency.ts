/**
 * The latency pane: p50/p99/p99.9 of every interval over time (sparklines) and the latest
 * interval's histogram as bars per latency bucket. Interval records are summarised once, when
 * the render tick drains them (summarizeInterval); the view only formats summaries. Pure.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { IntervalRecord } from '../feeds.js';
import { bar, clip, fit, formatUs, type PaneView, type Row, sparkline, wrap } from './text.js';

export interface LatencyBucket {
  /** Values above fromUs (exclusive; the smallest value recorded for the first bucket, inclusive) up to toUs (inclusive). */
  fromUs: number;
  toUs: number;
  count: number;
}

export interface IntervalSummary {
  probe: string;
  startMs: number;
  endMs: number;
  count: number;
  errors: number;
  p50Us: number | null;
  p99Us: number | null;
  p999Us: number | null;
  maxUs: number | null;
  buckets: LatencyBucket[];
}

/** Per-probe history, newest last, at most `limit` intervals each. */
export interface LatencyHistory {
  limit: number;
  probes: Map<string, IntervalSummary[]>;
}

export function createLatencyHistory(limit = 240): LatencyHistory {
  return { limit, probes: new Map() };
}

export function appendInterval(history: LatencyHistory, summary: IntervalSummary): void {
  const series = history.probes.get(summary.probe) ?? [];
  series.push(summary);
  if (series.length > history.limit) series.splice(0, series.length - history.limit);
  history.probes.set(summary.probe, series);
}

/**
 * How many recorded values are at or below `valueUs`, from the percentile function alone (works
 * for every Histogram implementation): the largest rank whose value is <= valueUs, by binary
 * search. Exact at the histogram's resolution (values within one bucket are equivalent).
 */
export function countAtOrBelow(histogram: Histogram, valueUs: number): number {
  const total = histogram.totalCount;
  if (total === 0) return 0;
  const valueAtRank = (rank: number): number => histogram.getValueAtPercentile((100 * (rank - 0.5)) / total);
  if (valueAtRank(1) > valueUs) return 0;
  let lo = 1;
  let hi = total;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (valueAtRank(mid) <= valueUs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Round steps, less than 1.34x apart, so some step always gives between 3/4 of the rows wanted and all of them. */
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/**
 * Bucket edges (upper bounds, in µs) over the observed range [minUs, maxUs], at most `maxBuckets`:
 * linear steps of a round size when the range is narrow (max under 10x min: 52-55 ms in 0.3 ms
 * rows), logarithmic steps when it spans decades (1 ms to 2 s), as HdrHistogram's percentile
 * distribution and oha's histogram spread theirs. Equal min and max: one bucket.
 */
export function bucketEdges(minUs: number, maxUs: number, maxBuckets: number): number[] {
  const most = Math.max(1, Math.floor(maxBuckets));
  const low = Math.max(1, minUs);
  const high = Math.max(low, maxUs);
  if (high === low || most === 1) return [high];
  if (high / low < 10) {
    let chosen: number[] = [high];
    for (let exponent = Math.floor(Math.log10(high - low)) + 1; exponent >= -1; exponent--) {
      for (let n = NICE.length - 1; n >= 0; n--) {
        const step = (NICE[n] as number) * 10 ** exponent;
        const first = Math.floor(low / step);
        const count = Math.ceil(high / step) - first;
        if (count > most) return chosen;
        chosen = Array.from({ length: count }, (_, i) => round((first + i + 1) * step));
      }
    }
    return chosen;
  }
  const ratio = (high / low) ** (1 / most);
  const edges: number[] = [];
  for (let i = 1; i < most; i++) {
    const edge = twoDigits(low * ratio ** i);
    if (edge > (edges.at(-1) ?? 0) && edge < high) edges.push(edge);
  }
  edges.push(high);
  return edges;
}

/** Integer µs once a step is 1 µs or more (edges such as 52.3 ms stay exact). */
function round(us: number): number {
  return Math.round(us * 1000) / 1000;
}

/** Two significant digits, rounded up: 1,234 -> 1,300. */
function twoDigits(us: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(us)) - 1);
  return Math.ceil(us / unit) * unit;
}

export function histogramBuckets(histogram: Histogram, maxBuckets = 12): LatencyBucket[] {
  if (histogram.totalCount === 0) return [];
  const minUs = histogram.minNonZeroValue;
  const edges = bucketEdges(minUs, histogram.maxValue, maxBuckets);
  const buckets: LatencyBucket[] = [];
  let below = 0;
  let from = Math.min(minUs, edges[0] as number);
  for (const edge of edges) {
    const upTo = edge === edges[edges.length - 1] ? histogram.totalCount : countAtOrBelow(histogram, edge);
    buckets.push({ fromUs: from, toUs: edge, count: upTo - below });
    below = upTo;
    from = edge;
  }
  return buckets;
}

/**
 * A percentile as HDR reports it is the top of its bucket, which can exceed the largest value
 * recorded (p99.9 32.399ms beside max 32.384ms): never show one above the max.
 */
export function percentileUs(histogram: Histogram, percentile: number): number {
  return Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue);
}

export function summarizeInterval(record: IntervalRecord): IntervalSummary {
  const h = record.histogram;
  const has = h.totalCount > 0;
  return {
    probe: record.probe,
    startMs: record.startMs,
    endMs: record.endMs,
    count: record.count,
    errors: record.errors,
    p50Us: has ? percentileUs(h, 50) : null,
    p99Us: has ? percentileUs(h, 99) : null,
    p999Us: has ? percentileUs(h, 99.9) : null,
    maxUs: has ? h.maxValue : null,
    buckets: histogramBuckets(h),
  };
}

export interface LatencyViewInput {
  history: LatencyHistory;
  /** Why there is no probe (not asked, not in this build); shown when no interval arrived. */
  note: string | null;
  width: number;
  height: number;
}

const orDash = (us: number | null): string => (us === null ? '-' : formatUs(us));

/** Merges the neighbouring pair with the fewest values until at most `rows` buckets remain. */
/**
 * Each bucket's range, `52.00–52.25ms`, with as many decimals as its ends need to be exact (at most
 * three), so neighbouring rows never print the same edge.
 */
export function bucketLabels(buckets: readonly LatencyBucket[]): string[] {
  const top = Math.max(...buckets.map((b) => b.toUs));
  const [unit, scale] = top >= 1_000_000 ? ['s', 1_000_000] : top >= 1000 ? ['ms', 1000] : ['us', 1];
  const ends = buckets.flatMap((b) => [b.fromUs, b.toUs]);
  const exact = (d: number): boolean => ends.every((us) => Math.abs((us / scale) * 10 ** d - Math.round((us / scale) * 10 ** d)) < 1e-6);
  let decimals = 0;
  while (decimals < 3 && !exact(decimals)) decimals++;
  const show = (us: number): string => (us / scale).toFixed(decimals);
  return buckets.map((b) => `${show(b.fromUs)}–${show(b.toUs)}${unit}`);
}

function mergeBuckets(buckets: LatencyBucket[], rows: number): LatencyBucket[] {
  const merged = [...buckets];
  while (merged.length > Math.max(1, rows)) {
    let best = 0;
    for (let i = 1; i < merged.length - 1; i++) if (merged[i]!.count + merged[i + 1]!.count < merged[best]!.count + merged[best + 1]!.count) best = i;
    const a = merged[best]!;
    const b = merged[best + 1]!;
    merged.splice(best, 2, { fromUs: a.fromUs, toUs: b.toUs, count: a.count + b.count });
  }
  return merged;
}

export function latencyView(input: LatencyViewInput): PaneView {
  const { history, width, height } = input;
  const names = [...history.probes.keys()].sort();
  if (names.length === 0) return { title: 'latency', rows: wrap(input.note ?? 'waiting for the first interval…', width).slice(0, height).map((text) => ({ text, tone: 'dim' as const })) };
  const rows: Row[] = [];
  for (const name of names) {
    const last = history.probes.get(name)!.at(-1)!;
    const seconds = Math.max(0.001, (last.endMs - last.startMs) / 1000);
    const percentiles = [`p50 ${orDash(last.p50Us)}`, `p99 ${orDash(last.p99Us)}`, `p99.9 ${orDash(last.p999Us)}`];
    const rate = `${Math.round(last.count / seconds)}/s`;
    // Failures never enter the histogram: say how many (a refused target has no latency at all).
    const failed = last.errors > 0 ? `${last.errors} of ${last.count + last.errors} requests failed` : '';
    const tone = last.errors === 0 ? undefined : last.count === 0 ? ('bad' as const) : ('warn' as const);
    const wide = `${name}: ${percentiles.join('  ')}  ${rate}`;
    if (wide.length <= width) {
      rows.push({ text: wide });
      if (failed) rows.push({ text: clip(`${name}: ${failed}`, width), ...(tone ? { tone } : {}) });
    } else {
      // Narrow panes (80 columns): the rate moves to a second line rather than being cut off.
      const head = `${name}: ${percentiles.join('  ')}`;
      rows.push({ text: clip(head.length <= width ? head : `${name} ${percentiles.join(' ')}`, width) });
      rows.push({ text: clip(`${name}: ${rate}${failed ? `, ${failed}` : ''}`, width), ...(tone ? { tone } : {}) });
    }
  }
  // Sparklines and histogram for the first probe (the others get their summary line).
  const series = history.probes.get(names[0]!)!;
  const label = 6;
  const spark = Math.max(0, width - label);
  const top = Math.max(0, ...series.slice(-spark).map((s) => s.p999Us ?? 0));
  const lines: [string, (s: IntervalSummary) => number | null][] = [
    ['p50', (s) => s.p50Us],
    ['p99', (s) => s.p99Us],
    ['p99.9', (s) => s.p999Us],
  ];
  for (const [name, pick] of lines) {
    if (rows.length >= height) break;
    rows.push({ text: `${fit(name, label - 1)} ${sparkline(series.map(pick), spark, top)}`, tone: name === 'p50' ? 'good' : name === 'p99' ? 'warn' : 'bad' });
  }
  const last = series.at(-1)!;
  const room = height - rows.length;
  if (room > 0 && last.buckets.length > 0) {
    const buckets = mergeBuckets(last.buckets, room);
    const most = Math.max(1, ...buckets.map((b) => b.count));
    const labels = bucketLabels(buckets);
    const edge = Math.max(...labels.map((l) => l.length));
    const countWidth = Math.max(1, ...buckets.map((b) => String(b.count).length));
    const barWidth = Math.max(0, width - edge - countWidth - 2);
    buckets.forEach((b, i) => rows.push({ text: clip(`${fit(labels[i] as string, edge, 'right')} ${bar(b.count / most, barWidth)} ${fit(String(b.count), countWidth, 'right')}`, width) }));
  }
  return { title: `latency ${names.join(', ')}${top > 0 ? ` (${formatUs(top)} = full scale)` : ''}`, rows: rows.slice(0, height) };
}
