/** Detached child processes and what /proc says of them: the sandbox's agents and services both start and check theirs here. */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface SpawnedAgent {
  pid: number;
  exited: () => { code: number | null; signal: string | null } | null;
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
