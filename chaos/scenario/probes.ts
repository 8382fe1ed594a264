/**
 * The hook for latency probes during a scenario (src/probes, another issue, plugs in here): the
 * runner starts a probe at each phase and stops it at the phase end, and reports what it returns.
 */
export interface ProbePhaseResult {
  /** Per probe kind, percentiles in milliseconds (p50, p90, p99, p999, max...). */
  [probe: string]: Record<string, number | null>;
}

export interface ProbeRun {
  stop(): Promise<ProbePhaseResult>;
}

export interface ProbeRunner {
  /** Starts measuring for one phase, with the scenario's `probe:` section as given. */
  startPhase(phase: string, probe: unknown): Promise<ProbeRun>;
}
