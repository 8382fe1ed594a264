/**
 * Demo service processes: started detached beside each sandbox agent (node running main.js, stdio
 * to a log file), and recognised later by PID: a PID from the state file is signalled only while
 * /proc/<pid>/cmdline still shows that very service (its script, `--name=` and `--listen=`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { processArgv, spawnDetached } from '../processes.js';
import { type ServiceArgs, serviceArgs } from './args.js';

/** What the state file records about one service process. */
export interface SandboxService {
  name: string;
  pid: number;
  /** HOST:PORT it listens on (also its agent's `http` tag). */
  listen: string;
  url: string;
  coldMs: number;
  /** The entry script it runs (part of how it is recognised). */
  script: string;
  logFile: string;
}

/** The compiled entry script, in dist/src whether ringside runs from there, from the bundle or from its sources (build first). */
export function serviceScript(): string {
  const built = join(packageRoot(import.meta.url), 'dist', 'src', 'sandbox', 'service', 'main.js');
  if (existsSync(built)) return built;
  throw new Error(`the demo service script is missing (${built}); run npm run build`);
}

export interface SpawnedService {
  pid: number;
  script: string;
  exited: () => { code: number | null; signal: string | null } | null;
}

export async function spawnService(args: ServiceArgs, logFile: string, cwd: string): Promise<SpawnedService> {
  const script = serviceScript();
  const spawned = await spawnDetached(process.execPath, [script, ...serviceArgs(args)], logFile, cwd, 'the demo service');
  return { ...spawned, script };
}

/** True while `service.pid` still runs that service (script, name and listen address). */
export function isSandboxService(service: Pick<SandboxService, 'pid' | 'name' | 'listen' | 'script'>): boolean {
  if (!Number.isSafeInteger(service.pid) || service.pid <= 1) return false;
  const argv = processArgv(service.pid);
  return argv !== null && argv[1] === service.script && argv.includes(`--name=${service.name}`) && argv.includes(`--listen=${service.listen}`);
}

export function signalService(service: Pick<SandboxService, 'pid' | 'name' | 'listen' | 'script'>, signal: NodeJS.Signals): boolean {
  if (!isSandboxService(service)) return false;
  try {
    process.kill(service.pid, signal);
    return true;
  } catch {
    return false;
  }
}
