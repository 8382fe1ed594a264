/**
 * Where `dash --target URL --rate R` gets its latency feed: the probes library's open-loop run
 * (src/probes `startBench`, the same engine as `ringside bench`), one worker, running until the
 * user quits. Its interval records feed the latency pane directly. The options are checked
 * (latencyConfig) before the dashboard opens the cluster, so bad flags never join anything.
 */
import { usageError } from '../src/errors.js';
import { checkConfig, startBench } from '../src/probes/run.js';
import { type BenchConfig, PROBES, type ProbeName } from '../src/probes/types.js';
import { hasPlaceholder } from '../src/probes/url-template.js';
import type { LatencySource } from './feeds.js';

export const LATENCY_NOT_ASKED = 'no probe running (pass --target URL --rate R)';

/** A dashboard stays up until quit; the probe is stopped then. */
const DASH_RUN_MS = 7 * 24 * 3600 * 1000;
const DASH_KEYS = 1000;
/**
 * Keep-alive connections for the warm probe (bench's default). HTTP/1 sends one request at a time
 * per connection: with a single connection, a 20 ms server saturates at 50/s and the corrected
 * latency climbs without bound (the queue, not the server, is what the pane would show).
 */
const DASH_CONNECTIONS = 10;

export interface LatencyProbeOptions {
  /** URL template ({key}) as `bench --target` takes it; one address, no {host}/{port}. */
  target: string;
  /** Requests per second per probe, open loop. */
  rate: number;
  /** Probe names (first-connection, warm); empty for warm. */
  probes: string[];
  /** Keep-alive connections of the warm probe (default 10). */
  connections?: number;
}

function probeNames(names: string[]): ProbeName[] {
  const chosen = names.length === 0 ? ['warm'] : names;
  for (const name of chosen) {
    if (name === 'routing') throw usageError('dash runs the first-connection and warm probes', 'measure routing with ringside bench --probe routing');
    if (!(PROBES as readonly string[]).includes(name)) throw usageError(`--probe ${name} is not a probe`, 'use first-connection or warm');
  }
  return [...new Set(chosen)] as ProbeName[];
}

/** The probe run `dash` starts, checked (throws the usage error the user sees). */
export function latencyConfig(options: LatencyProbeOptions): BenchConfig {
  const probes = probeNames(options.probes);
  if (hasPlaceholder(options.target, 'host') || hasPlaceholder(options.target, 'port')) {
    throw usageError(`--target ${options.target}: dash probes one address, {host} and {port} are not filled in`, 'write the address, e.g. http://10.0.0.5:8080/kv/{key}');
  }
  const config: BenchConfig = {
    target: options.target,
    rate: options.rate,
    durationMs: DASH_RUN_MS,
    probes,
    connections: options.connections ?? DASH_CONNECTIONS,
    keys: Array.from({ length: DASH_KEYS }, (_, i) => `key-${i}`),
    workers: 1,
  };
  checkConfig(config);
  return config;
}

/** Starts the probe; stop() ends it at once (no queued request is sent after the user quits). */
export function startLatencySource(config: BenchConfig): LatencySource {
  const run = startBench(config);
  // The final result is not needed by the dashboard; never leave its rejection unhandled.
  run.done.catch(() => undefined);
  return { feed: run, stop: () => run.abort() };
}
