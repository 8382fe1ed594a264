/**
 * serf agent processes: the argv that starts one (pure), spawning it so it outlives ringside
 * (detached, own process group, stdio to a log file), and recognising it later by PID. A PID from
 * the state file is only ever signalled while /proc/<pid>/cmdline still shows that very agent
 * (`serf agent -node=NAME -bind=ADDR`), so a recycled PID is never killed.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
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
export interface SpawnedAgent {
  pid: number;
  exited: () => { code: number | null; signal: string | null } | null;
}

/** Starts `serf agent` detached with stdout and stderr appended to `logFile`. */
export function spawnAgent(serf: string, spec: AgentSpec, logFile: string, cwd: string): Promise<SpawnedAgent> {
  return spawnDetached(serf, agentArgv(spec), logFile, cwd, serf);
}

/**
 * Starts `command` in its own process group, detached from ours, stdout and stderr to `logFile`
 * (created 0600), and reports how it exited if it does while we still run.
 */
export async function spawnDetached(command: string, argv: string[], logFile: string, cwd: string, what: string): Promise<SpawnedAgent> {
  const fd = openSync(logFile, 'w', 0o600);
  let child;
  try {
    child = spawn(command, argv, { cwd, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exit: { code: number | null; signal: string | null } | null = null;
  child.once('exit', (code, signal) => {
    exit = { code, signal };
  });
  const pid = child.pid;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`cannot start ${what}: ${error.message}`);
  }
  child.on('error', () => undefined);
  child.unref();
  return { pid, exited: () => exit };
}

/** The argv of a live process, or null when it is gone (or a zombie, which is as good as gone). */
export function processArgv(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 (state) follows the parenthesised command name, which may itself contain spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return null;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv.at(-1) === '') argv.pop();
    return argv;
  } catch {
    return null;
  }
}

/** True while `pid` is alive at all (whatever it runs). */
export function isAlive(pid: number): boolean {
  return processArgv(pid) !== null;
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
