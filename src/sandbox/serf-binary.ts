/**
 * The `serf` binary the sandbox runs: found on PATH (never installed behind the user's back) and
 * called with argv arrays, never through a shell. No secret ever goes on a serf command line
 * (argv is world-readable in /proc); gossip keys travel in 0600 files instead.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { RingsideError } from '../errors.js';

/** Where `name` lives on `path` (a PATH string), or undefined. Only absolute entries count. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** The absolute path of `serf`, or RS_NO_CAPABILITY (exit 4) saying how to install it. */
export function findSerf(env: NodeJS.ProcessEnv = process.env): string {
  const serf = findOnPath('serf', env.PATH);
  if (serf === undefined) {
    throw new RingsideError('RS_NO_CAPABILITY', 'serf is not installed', 'install it: sudo apt-get install serf');
  }
  return serf;
}

/** An explicit serf binary (e.g. a newer Serf built with `go install`): absolute, executable, else RS_NO_CAPABILITY. */
export function serfAt(path: string): string {
  const absolute = resolve(path);
  try {
    accessSync(absolute, constants.X_OK);
    if (statSync(absolute).isFile()) return absolute;
  } catch {
    // reported below
  }
  throw new RingsideError('RS_NO_CAPABILITY', `no executable serf at ${path}`, 'give the path of a serf binary (e.g. one built with go install github.com/hashicorp/serf/cmd/serf@VERSION)');
}

export interface SerfRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `serf ARGS...` to completion (killed after `timeoutMs`); never throws for a non-zero exit. */
export function runSerf(serf: string, args: readonly string[], timeoutMs = 5000): Promise<SerfRun> {
  return new Promise((resolve) => {
    execFile(serf, args, { timeout: timeoutMs, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: error && stderr === '' && typeof error.code !== 'number' ? error.message : stderr });
    });
  });
}

/**
 * serf's complaint in one line. serf prints errors on stdout as often as on stderr, and wraps
 * them as "Error joining the cluster: 1 error occurred:" followed by "* reason" lines.
 */
export function serfReason(run: SerfRun): string {
  const lines = `${run.stderr}\n${run.stdout}`
    .split('\n')
    .map((line) => line.replace(/^==>\s*/, '').trim())
    .filter((line) => line !== '');
  const [head, ...rest] = lines;
  if (head === undefined) return `exit code ${run.code}`;
  const wrapped = /^(.*?):?\s*\d+ errors? occurred:?$/.exec(head);
  if (wrapped === null) return head;
  const reasons = rest.filter((line) => line.startsWith('*')).map((line) => line.replace(/^\*\s*/, ''));
  return [wrapped[1], reasons.join('; ')].filter((part) => part).join(': ');
}
