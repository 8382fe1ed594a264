/**
 * Stopping sandbox agents by PID: SIGTERM, wait with a deadline, SIGKILL whoever is left, wait
 * again. Every signal is preceded by the /proc check in agent-process.ts, so a PID that now
 * belongs to another process is reported and left alone.
 */
import { isSandboxAgent, signalAgent } from './agent-process.js';
import { isAlive } from './processes.js';
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

export async function stopAgents(agents: readonly Target[], timings: StopTimings = {}): Promise<StoppedAgent[]> {
  return stopProcesses(agents, { isOurs: isSandboxAgent, signal: signalAgent }, timings);
}

/** How to recognise and signal one kind of sandbox process (agents, demo services). */
export interface ProcessKind<T> {
  isOurs: (target: T) => boolean;
  signal: (target: T, signal: NodeJS.Signals) => boolean;
}

/** SIGTERM, wait, SIGKILL whoever is left, wait: for any process the sandbox recognises by PID. */
export async function stopProcesses<T extends { name: string; pid: number }>(targets: readonly T[], kind: ProcessKind<T>, { termGraceMs = 5000, killGraceMs = 2000 }: StopTimings = {}): Promise<StoppedAgent[]> {
  const result = new Map<T, StopOutcome>();
  const signalled: T[] = [];
  for (const target of targets) {
    if (kind.signal(target, 'SIGTERM')) signalled.push(target);
    else result.set(target, isAlive(target.pid) ? 'pid-reused' : 'not-running');
  }
  const running = (): T[] => signalled.filter((target) => kind.isOurs(target));
  await pollUntil(() => running().length === 0, termGraceMs, 50);
  const stubborn = running();
  for (const target of stubborn) kind.signal(target, 'SIGKILL');
  if (stubborn.length > 0) await pollUntil(() => running().length === 0, killGraceMs, 50);
  const survivors = new Set(running());
  for (const target of signalled) result.set(target, survivors.has(target) ? 'still-running' : stubborn.includes(target) ? 'killed' : 'stopped');
  return targets.map((target) => ({ name: target.name, pid: target.pid, outcome: result.get(target) ?? 'not-running' }));
}
