/**
 * Bench result files for gate tests, built the way `ringside bench` builds them: latencies
 * (microseconds) recorded into a real HDR histogram (hdr-histogram-js, 3 significant digits),
 * encoded with encodeIntoCompressedBase64, and the stored figures read back from that histogram.
 * Never hand-written percentiles. Also .hlog files written by hdr-histogram-js's own
 * HistogramLogWriter (tags = probe names).
 */
import { type Histogram, HistogramLogWriter, build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';

export function histogramOf(latenciesUs: readonly number[]): Histogram {
  const h = build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
  for (const v of latenciesUs) h.recordValue(Math.max(1, Math.round(v)));
  return h;
}

const ms = (us: number): number => Math.round(us) / 1000;

/** The count and latency figures (ms with µs precision) a bench result stores, read from `h` (µs). */
export function latencyFigures(h: Histogram): { count: number; p50: number; p90: number; p95: number; p99: number; p999: number; max: number; mean: number } {
  return {
    count: h.totalCount,
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

export interface ProbeFixture {
  latenciesUs: readonly number[];
  errors?: number;
  durationMs?: number;
  /** Leave the histogram out (a result with stored figures only). */
  withoutHistogram?: boolean;
}

export function probeJson(fixture: ProbeFixture): Record<string, unknown> {
  const h = histogramOf(fixture.latenciesUs);
  const durationMs = fixture.durationMs ?? 1000;
  const figures = {
    ...latencyFigures(h),
    errors: fixture.errors ?? 0,
    errorsByKind: fixture.errors ? { timeout: fixture.errors } : {},
    rate: Math.round(((h.totalCount + (fixture.errors ?? 0)) / durationMs) * 1000 * 10) / 10,
  };
  return fixture.withoutHistogram ? figures : { ...figures, histogram: encodeIntoCompressedBase64(h), uncorrected: { ...figures, histogram: encodeIntoCompressedBase64(h) } };
}

/** A bench result JSON (the contract in CLI.md `bench`) for the given probes. */
export function benchResult(probes: Record<string, ProbeFixture>, config: Record<string, unknown> = {}): string {
  const result = {
    schemaVersion: 1,
    kind: 'ringside.bench',
    startedAt: new Date(0).toISOString(),
    durationMs: 1000,
    config,
    probes: Object.fromEntries(Object.entries(probes).map(([name, p]) => [name, probeJson(p)])),
  };
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** An .hlog with one interval per chunk of each probe's latencies (tags = probe names). */
export function hlogOf(probes: Record<string, readonly number[]>, intervals = 3, untagged?: readonly number[]): string {
  const lines: string[] = [];
  const writer = new HistogramLogWriter((text) => lines.push(text));
  writer.outputLogFormatVersion();
  writer.outputStartTime(1_700_000_000_000);
  writer.outputLegend();
  const series: [string | undefined, readonly number[]][] = [...Object.entries(probes), ...(untagged ? [[undefined, untagged] as [undefined, readonly number[]]] : [])];
  for (let i = 0; i < intervals; i++) {
    for (const [tag, values] of series) {
      const size = Math.ceil(values.length / intervals);
      const h = histogramOf(values.slice(i * size, (i + 1) * size));
      if (tag !== undefined) h.tag = tag;
      writer.outputIntervalHistogram(h, i, i + 1, 1000);
    }
  }
  return lines.join('');
}

/** Deterministic latencies: `n` values spread around `medianUs` with a tail. */
export function latencies(n: number, medianUs: number, seed = 7): number[] {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => medianUs * Math.exp((rand() - 0.5) * 1.2) * (rand() < 0.02 ? 5 : 1));
}
