/**
 * Where `dash --target URL --rate R` gets its latency feed. The probes library (src/probes,
 * `startBench(config): BenchRun`) is built beside this branch; once it is merged, this adapter
 * starts it and hands the BenchRun over as the feed:
 *
 *   const run = startBench({ target: options.target, rate: options.rate, probes: options.probes });
 *   return { feed: run, stop: () => run.stop() };
 *
 * Until then it returns undefined and the latency pane says LATENCY_UNAVAILABLE.
 */
import type { LatencySource } from './feeds.js';

export const LATENCY_UNAVAILABLE = 'latency probe not available in this build';
export const LATENCY_NOT_ASKED = 'no probe running (pass --target URL --rate R)';

export interface LatencyProbeOptions {
  /** URL template ({host}, {port}, {key}) as `bench --target` takes it. */
  target: string;
  /** Requests per second, open loop. */
  rate: number;
  /** Probe names (first-connection, routing, warm); empty for the probes library's default. */
  probes: string[];
}

export function startLatencySource(options: LatencyProbeOptions): LatencySource | undefined {
  void options;
  return undefined;
}
