/**
 * Where `dash --target URL --rate R` gets its latency feed: the probes library's open-loop run
 * (src/probes `startBench`, the same engine as `ringside bench`), one worker, running until the
 * user quits. Its interval records feed the latency pane directly.
 */
import { usageError } from '../src/errors.js';
import { startBench } from '../src/probes/run.js';
import { PROBES, type ProbeName } from '../src/probes/types.js';
import type { LatencySource } from './feeds.js';

export const LATENCY_UNAVAILABLE = 'latency probe not available in this build';
export const LATENCY_NOT_ASKED = 'no probe running (pass --target URL --rate R)';

/** A dashboard stays up until quit; the probe is stopped then. */
const DASH_RUN_MS = 7 * 24 * 3600 * 1000;
const DASH_KEYS = 1000;

export interface LatencyProbeOptions {
  /** URL template ({host}, {port}, {key}) as `bench --target` takes it. */
  target: string;
  /** Requests per second, open loop. */
  rate: number;
  /** Probe names (first-connection, warm); empty for warm. */
  probes: string[];
}

function probeNames(names: string[]): ProbeName[] {
  const chosen = names.length === 0 ? ['warm'] : names;
  for (const name of chosen) {
    if (name === 'routing') throw usageError('dash runs the first-connection and warm probes', 'measure routing with ringside bench --probe routing');
    if (!(PROBES as readonly string[]).includes(name)) throw usageError(`--probe ${name} is not a probe`, 'use first-connection or warm');
  }
  return [...new Set(chosen)] as ProbeName[];
}

export function startLatencySource(options: LatencyProbeOptions): LatencySource | undefined {
  const run = startBench({
    target: options.target,
    rate: options.rate,
    durationMs: DASH_RUN_MS,
    probes: probeNames(options.probes),
    connections: 1,
    keys: Array.from({ length: DASH_KEYS }, (_, i) => `key-${i}`),
    workers: 1,
  });
  // The final result is not needed by the dashboard; never leave its rejection unhandled.
  run.done.catch(() => undefined);
  return { feed: run, stop: () => run.stop() };
}
