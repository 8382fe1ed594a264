/**
 * serf agent processes: the argv that starts one (pure), spawning it so it outlives ringside
 * (detached, own process group, stdio to a log file), and recognising it later by PID. A PID from
 * the state file is only ever signalled while /proc/<pid>/cmdline still shows that very agent
 * (`serf agent -node=NAME -bind=ADDR`), so a recycled PID is never killed.
 */
import { basename } from 'node:path';
import { processArgv, spawnDetached, type SpawnedAgent } from './processes.js';
import type { SandboxAgent } from './state.js';

export interface AgentSpec {
  name: string;
  bind: string;
  rpc: string;
  tags: Record<string, string>;
  /** serf agent config file (holds `encrypt_key`), when encrypted. */
  configFile?: string;
  logLevel?: string;
}

/** The arguments after `serf` that start one sandbox agent. */
export function agentArgv(spec: AgentSpec): string[] {
  return [
    'agent',
    `-node=${spec.name}`,
    `-bind=${spec.bind}`,
    `-rpc-addr=${spec.rpc}`,
    ...(spec.configFile !== undefined ? [`-config-file=${spec.configFile}`] : []),
    ...Object.entries(spec.tags).flatMap(([key, value]) => ['-tag', `${key}=${value}`]),
    `-log-level=${spec.logLevel ?? 'info'}`,
  ];
}

/** A started agent; `exited` turns non-null if it dies while this process still watches it. */
/** Starts `serf agent` detached with stdout and stderr appended to `logFile`. */
export function spawnAgent(serf: string, spec: AgentSpec, logFile: string, cwd: string): Promise<SpawnedAgent> {
  return spawnDetached(serf, agentArgv(spec), logFile, cwd, serf);
}

/**
 * True while `agent.pid` is still the serf agent the sandbox started (checked by -node and -bind),
 * run by the binary recorded for it (`up --serf`, whatever its file is called) or else by a `serf`.
 */
export function isSandboxAgent(agent: Pick<SandboxAgent, 'pid' | 'name' | 'bind' | 'serf'>): boolean {
  if (!Number.isSafeInteger(agent.pid) || agent.pid <= 1) return false;
  const argv = processArgv(agent.pid);
  return (
    argv !== null &&
    (agent.serf !== undefined ? argv[0] === agent.serf : basename(argv[0] ?? '') === 'serf') &&
    argv[1] === 'agent' &&
    argv.includes(`-node=${agent.name}`) &&
    argv.includes(`-bind=${agent.bind}`)
  );
}

/** Sends `signal` to the agent if, at this moment, it is still that agent. */
export function signalAgent(agent: Pick<SandboxAgent, 'pid' | 'name' | 'bind' | 'serf'>, signal: NodeJS.Signals): boolean {
  if (!isSandboxAgent(agent)) return false;
  try {
    process.kill(agent.pid, signal);
    return true;
  } catch {
    return false;
  }
}
