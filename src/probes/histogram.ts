/**
 * HDR histogram maths: microseconds, 3 significant digits, lossless encode/decode (the
 * V2 compressed base64 form every HdrHistogram implementation reads) and summaries in
 * milliseconds with microsecond precision.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { checkEncodedHistogram } from './encoded-histogram.js';
import type { LatencySummary, Percentiles } from './types.js';

export function createHistogram(): Histogram {
  return build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 32, autoResize: true, bitBucketSize: 32 });
}

export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/** Decodes (after checking: the base64 may come from a file someone gave us). */
export function decodeHistogram(base64: string): Histogram {
  checkEncodedHistogram(base64);
  const decoded = decodeFromCompressedBase64(base64, 32, false);
  // Re-record into our own layout so later adds never depend on the encoded range.
  const histogram = createHistogram();
  histogram.add(decoded);
  return histogram;
}

/** The sum of several histograms (exact: counts per bucket are added). */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const total = createHistogram();
  for (const h of histograms) total.add(h);
  return total;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

export function percentilesOf(histogram: Histogram): Percentiles {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  // A percentile is its bucket's highest equivalent value, which can lie above the largest value
  // actually recorded; never report a percentile above the max.
  const maxUs = histogram.maxValue;
  const at = (percentile: number): number => usToMs(Math.min(histogram.getValueAtPercentile(percentile), maxUs));
  return { p50: at(50), p90: at(90), p95: at(95), p99: at(99), p999: at(99.9), max: usToMs(maxUs), mean: usToMs(histogram.mean) };
}

export function summaryOf(histogram: Histogram): LatencySummary {
  return { ...percentilesOf(histogram), histogram: encodeHistogram(histogram) };
}
