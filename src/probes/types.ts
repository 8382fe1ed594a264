/**
 * The data every probe run shares: its configuration (plain data, so it crosses into worker
 * threads), the records it streams once a second, and the result document (`bench --json`,
 * schemas/bench.v1.schema.json). Latencies in results are milliseconds with microsecond
 * precision; histograms are recorded and encoded in microseconds.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { Ring } from '../ring/types.js';

export const PROBES = ['first-connection', 'warm', 'routing'] as const;
export type ProbeName = (typeof PROBES)[number];
/** Result keys: the routing probe yields two. */
export type ProbeKey = 'first-connection' | 'warm' | 'routing-direct' | 'routing-routed';

export const ERROR_KINDS = ['timeout', 'refused', 'reset', 'http4xx', 'http5xx', 'other'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
export type ErrorCounts = Record<ErrorKind, number>;

/** A member the routing probe can send to: its ring node id, and where its HTTP service listens. */
export interface RoutingMember {
  name: string;
  host: string;
  port: number;
}

export interface BenchConfig {
  /** URL template: `{host}`, `{port}` (routing: from the member), `{key}` (URL-encoded). */
  target: string;
  /** Requests per second per probe, spread over workers; 0 = as fast as possible (closed loop). */
  rate: number;
  durationMs: number;
  probes: ProbeName[];
  /** Keep-alive connections (warm: to the target; routing: to each member); concurrency for rate 0. */
  connections: number;
  /** The key set (warm, routing; first-connection with freshKeys false). */
  keys: string[];
  /** first-connection: a key never used before on every request (default true). */
  freshKeys?: boolean;
  /** Worker threads (default: the machine's cores, at most `connections`). */
  workers?: number;
  /** A request with no complete answer after this long counts as a timeout (default 5000). */
  requestTimeoutMs?: number;
  /** https: accept certificates that do not verify (self-signed test servers). */
  insecure?: boolean;
  /** Routing probe: the ring and its members, resolved by the caller (`bench` reads the cluster). */
  routing?: { ring: Ring; members: RoutingMember[] };
  /**
   * This process sends shard `index` of `count`: requests index, index + count, ... of the one
   * open-loop schedule at `rate` (so `rate` stays the whole run's rate); `bench merge` adds the shards.
   */
  shard?: { index: number; count: number };
  /** Wall-clock start of the schedule (epoch ms), the same for every shard; default: as soon as the workers are ready. */
  startAtMs?: number;
}

/** One probe's interval (about one second), merged over workers. */
export interface IntervalRecord {
  probe: string;
  startMs: number;
  endMs: number;
  /** Requests sent in this interval, answered in it or later or never (startBench sets it; optional for records built elsewhere). */
  sent?: number;
  /** Complete responses in this interval. */
  count: number;
  /** Failures (timeouts, refusals, resets, HTTP 4xx/5xx...) in this interval. */
  errors: number;
  /** Corrected latencies of this interval only, in microseconds. */
  histogram: Histogram;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface LatencySummary extends Percentiles {
  /** Compressed HDR histogram in microseconds (hdr-histogram-js encodeIntoCompressedBase64). */
  histogram: string;
}

export interface ProbeResult extends LatencySummary {
  count: number;
  errors: number;
  errorsByKind: ErrorCounts;
  /** Achieved rate: completed requests per second. */
  rate: number;
  /** Latency from the actual send time (coordinated omission not corrected). */
  uncorrected: LatencySummary;
  /** first-connection: connect, tls (https), ttfb and total, each from the actual send. */
  phases?: Record<string, LatencySummary & { count: number }>;
}

export interface BenchResult {
  schemaVersion: 1;
  kind: 'ringside.bench';
  startedAt: string;
  durationMs: number;
  config: Record<string, unknown>;
  probes: Partial<Record<ProbeKey, ProbeResult>> & Record<string, ProbeResult>;
  routing?: { overhead: Pick<Percentiles, 'p50' | 'p90' | 'p99' | 'p999'> };
}
