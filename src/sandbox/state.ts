/**
 * Where a sandbox keeps what `down` and `status` need after `up` has exited: the state file
 * (which agents, which PIDs, which ports), the agents' log files and, when encrypted, the gossip
 * key in 0600 files. Nothing here holds the key in memory longer than writing it.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { RingsideError, fileError } from '../errors.js';
import type { SandboxService } from './service/process.js';

export const STATE_KIND = 'ringside.sandbox';
export const STATE_VERSION = 1;

/** One serf agent the sandbox started. `bind` is the gossip address, `rpc` the agent's RPC address. */
export interface SandboxAgent {
  name: string;
  pid: number;
  bind: string;
  rpc: string;
  logFile: string;
  tags: Record<string, string>;
  /** The serf binary it runs, when not the one on PATH (`up --serf`). */
  serf?: string;
}

export interface SandboxState {
  kind: typeof STATE_KIND;
  version: typeof STATE_VERSION;
  createdAt: string;
  encrypted: boolean;
  /** The serf keyring file (a JSON array holding the base64 key) when encrypted, else null. */
  keyringFile: string | null;
  agents: SandboxAgent[];
  /** The demo services (`up --service`), one per agent; absent without --service. */
  services?: SandboxService[];
}

/** `$RINGSIDE_STATE_DIR`, else `$XDG_STATE_HOME/ringside/sandbox`, else `~/.local/state/ringside/sandbox`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.RINGSIDE_STATE_DIR) return resolve(env.RINGSIDE_STATE_DIR);
  if (env.XDG_STATE_HOME) return resolve(env.XDG_STATE_HOME, 'ringside', 'sandbox');
  return join(home, '.local', 'state', 'ringside', 'sandbox');
}

/** The files of a sandbox inside its state directory. */
export function sandboxPaths(stateDir: string) {
  return {
    stateFile: join(stateDir, 'sandbox.json'),
    keyringFile: join(stateDir, 'keyring.json'),
    /** serf agent config holding `encrypt_key` (so the key never appears in argv). */
    agentConfig: join(stateDir, 'serf-agent.json'),
    logFile: (name: string) => join(stateDir, `${name}.log`),
    serviceLogFile: (name: string) => join(stateDir, `${name}-service.log`),
  };
}

/** Creates the state directory (0700 when new); a file in its place is bad input. */
export function ensureStateDir(stateDir: string): void {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError(`cannot use ${stateDir} as the sandbox state directory (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'pass --state-dir DIR', error);
  }
  if (!statSync(stateDir).isDirectory()) throw fileError(`${stateDir} is not a directory`, 'pass --state-dir DIR');
}

/** Writes a secret file that only its owner can read, even when it already existed with wider modes. */
export function writeSecretFile(path: string, content: string): void {
  const fd = openSync(path, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

export function writeState(stateDir: string, state: SandboxState): void {
  writeFileSync(sandboxPaths(stateDir).stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** The sandbox recorded in `stateDir`, or null when there is none. */
export function readState(stateDir: string): SandboxState | null {
  const file = sandboxPaths(stateDir).stateFile;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check its permissions', error);
  }
  const state = parseState(text);
  if (state === null) throw fileError(`${file} is not a ringside sandbox state file`, 'remove it if no sandbox is running');
  return state;
}

/** Removes the state file and the key files; the logs stay for post-mortems. */
export function removeState(stateDir: string): void {
  const paths = sandboxPaths(stateDir);
  for (const file of [paths.stateFile, paths.keyringFile, paths.agentConfig]) rmSync(file, { force: true });
}

/** Removes agent logs of an earlier sandbox (`sandbox-N.log`), so the directory shows only the current one. */
export function removeOldLogs(stateDir: string): void {
  for (const file of readdirSync(stateDir)) if (/^sandbox-\d+(-service)?\.log$/.test(file)) rmSync(join(stateDir, file), { force: true });
}

/** Parses and checks a state file: PIDs must be real PIDs (>1), since `down` signals them. */
export function parseState(text: string): SandboxState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const s = data as Partial<SandboxState> | null;
  if (s === null || typeof s !== 'object' || s.kind !== STATE_KIND) return null;
  if (s.version !== STATE_VERSION) {
    throw new RingsideError('RS_BAD_FILE', `sandbox state version ${String(s.version)} is not supported`, 'stop that sandbox with the ringside that started it');
  }
  if (!Array.isArray(s.agents) || typeof s.encrypted !== 'boolean' || typeof s.createdAt !== 'string') return null;
  const agentsOk = s.agents.every(
    (a: Partial<SandboxAgent>) =>
      typeof a === 'object' && a !== null && typeof a.name === 'string' && Number.isSafeInteger(a.pid) && (a.pid as number) > 1 && typeof a.bind === 'string' && typeof a.rpc === 'string',
  );
  const servicesOk =
    s.services === undefined ||
    (Array.isArray(s.services) &&
      s.services.every(
        (v: Partial<SandboxService>) =>
          typeof v === 'object' && v !== null && typeof v.name === 'string' && Number.isSafeInteger(v.pid) && (v.pid as number) > 1 && typeof v.listen === 'string' && typeof v.script === 'string',
      ));
  return agentsOk && servicesOk ? (s as SandboxState) : null;
}
