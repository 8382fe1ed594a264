/**
 * The hook for latency probes during a scenario (chaos/scenario/bench-probe.ts implements it on
 * src/probes): one probe run spans the whole scenario; when it stops, the runner is given each
 * phase's time window and assigns what was measured to the phases (probe-phases.ts).
 */

/** A phase's time window, in ms since the epoch (the clock the probe's interval records use). */
export interface PhaseWindow {
  name: string;
  startMs: number;
  endMs: number;
}

/** One probe key's figures over a time span: latencies in ms with µs precision, null when no response came back. */
export interface ProbeFigures {
  /** Complete responses (the histogram's count). */
  count: number;
  /** Failed requests (timeouts, refused, reset, HTTP 4xx/5xx...), never inside the latencies. */
  errors: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  p999: number | null;
  max: number | null;
  /** The merged HDR histogram of corrected latencies, µs, compressed base64. */
  histogram: string;
  /** Interval records (about one second each) assigned to this span. */
  intervals: number;
}

/** Per probe key (warm, first-connection, routing-direct, routing-routed). */
export type ProbePhaseResult = Record<string, ProbeFigures>;

export interface ProbeOutcome {
  /** Per phase name, per probe key. */
  phases: Record<string, ProbePhaseResult>;
  /** The whole run, per probe key (the probe library's own totals). */
  overall: ProbePhaseResult;
  /** What ran: target, rate, probes... */
  config: Record<string, unknown>;
}

export interface ProbeRun {
  /** Ends measuring (in-flight requests drain) and assigns the measurements to the phases. */
  stop(phases: readonly PhaseWindow[]): Promise<ProbeOutcome>;
}

export interface ProbeRunner {
  /** Checks the scenario's `probe:` section and starts measuring; resolves once requests flow. */
  start(probe: unknown, o: { maxDurationMs: number }): Promise<ProbeRun>;
}
