/**
 * Stopping sandbox agents by PID: SIGTERM, wait with a deadline, SIGKILL whoever is left, wait
 * again. Every signal is preceded by the /proc check in agent-process.ts, so a PID that now
 * belongs to another process is reported and left alone.
 */
import { isAlive, isSandboxAgent, signalAgent } from './agent-process.js';
import { pollUntil } from './poll.js';
import type { SandboxAgent } from './state.js';

/**
 * `stopped`: exited after SIGTERM · `killed`: needed SIGKILL · `not-running`: already gone ·
 * `pid-reused`: the PID runs something else now (left alone) · `still-running`: survived SIGKILL.
 */
export type StopOutcome = 'stopped' | 'killed' | 'not-running' | 'pid-reused' | 'still-running';

export interface StoppedAgent {
  name: string;
  pid: number;
  outcome: StopOutcome;
}

export interface StopTimings {
  /** How long agents get to exit after SIGTERM (serf shuts down in milliseconds). */
  termGraceMs?: number;
  /** How long to wait for the kernel after SIGKILL. */
  killGraceMs?: number;
}

type Target = Pick<SandboxAgent, 'name' | 'pid' | 'bind'>;

export async function stopAgents(agents: readonly Target[], { termGraceMs = 5000, killGraceMs = 2000 }: StopTimings = {}): Promise<StoppedAgent[]> {
  const result = new Map<Target, StopOutcome>();
  const signalled: Target[] = [];
  for (const agent of agents) {
    if (signalAgent(agent, 'SIGTERM')) signalled.push(agent);
    else result.set(agent, isAlive(agent.pid) ? 'pid-reused' : 'not-running');
  }
  const running = (): Target[] => signalled.filter((agent) => isSandboxAgent(agent));
  await pollUntil(() => running().length === 0, termGraceMs, 50);
  const stubborn = running();
  for (const agent of stubborn) signalAgent(agent, 'SIGKILL');
  if (stubborn.length > 0) await pollUntil(() => running().length === 0, killGraceMs, 50);
  const survivors = new Set(running());
  for (const agent of signalled) result.set(agent, survivors.has(agent) ? 'still-running' : stubborn.includes(agent) ? 'killed' : 'stopped');
  return agents.map((agent) => ({ name: agent.name, pid: agent.pid, outcome: result.get(agent) ?? 'not-running' }));
}
