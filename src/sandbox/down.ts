/**
 * `sandbox down`: stops exactly the agents (and demo services) `up` recorded (by PID, after checking each PID still
 * runs that agent) and removes the state and key files. The agents' logs stay in the state dir.
 */
import { resolve } from 'node:path';
import { defaultStateDir, readState, removeState } from './state.js';
import { type StopTimings, type StoppedAgent, stopAgents } from './stop.js';
import { stopServices } from './service/stop-services.js';

export interface SandboxDownOptions extends StopTimings {
  /** Default: defaultStateDir(). */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface SandboxDownResult {
  stateDir: string;
  /** False when there was no sandbox to stop (not an error). */
  found: boolean;
  agents: StoppedAgent[];
  /** The demo services (`up --service`), stopped before the agents. */
  services: StoppedAgent[];
}

export async function sandboxDown(options: SandboxDownOptions = {}): Promise<SandboxDownResult> {
  const stateDir = resolve(options.stateDir ?? defaultStateDir(options.env));
  const state = readState(stateDir);
  if (state === null) return { stateDir, found: false, agents: [], services: [] };
  const services = await stopServices(state.services ?? [], options);
  const agents = await stopAgents(state.agents, options);
  // Keep the state while a process survived SIGKILL, so a second `down` can try again.
  if (![...agents, ...services].some((a) => a.outcome === 'still-running')) removeState(stateDir);
  return { stateDir, found: true, agents, services };
}
