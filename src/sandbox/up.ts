/**
 * `sandbox up`: N real serf agents on 127.0.0.1, joined into one cluster, left running after
 * ringside exits. The state file is written as soon as the agents exist, so `sandbox down` can
 * stop them even if `up` is interrupted; if anything fails, `up` stops what it started itself.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RingsideError, usageError } from '../errors.js';
import { type AgentSpec, isSandboxAgent, spawnAgent } from './agent-process.js';
import type { SpawnedAgent } from './processes.js';
import { aliveNames, serfMembers } from './members.js';
import { nowMs, pollUntil } from './poll.js';
import { HOST, pickPorts } from './ports.js';
import { findSerf, runSerf, serfAt, serfReason } from './serf-binary.js';
import { type SandboxAgent, type SandboxState, STATE_KIND, STATE_VERSION, defaultStateDir, ensureStateDir, readState, removeOldLogs, removeState, sandboxPaths, writeSecretFile, writeState } from './state.js';
import { stopAgents } from './stop.js';
import { type SandboxService, isSandboxService } from './service/process.js';
import { DEFAULT_COLD_MS, startServices } from './service/start-services.js';
import { stopServices } from './service/stop-services.js';
import { SERVICE_TAG } from './service/ownership.js';

export const MAX_NODES = 20;
/** Every sandbox agent carries this tag, so rings and observers can tell sandbox nodes apart. */
export const SANDBOX_TAG = { sandbox: 'ringside' } as const;
const ZONES = ['a', 'b', 'c'] as const;

export interface SandboxUpOptions {
  /** Agents to start, 1..20 (default 3), named sandbox-1..N. */
  nodes?: number;
  /** Gossip encryption with a fresh random 32-byte key (kept in 0600 files in the state dir). */
  encrypt?: boolean;
  /** Agent i (0-based) gossips on basePort+2i and serves RPC on basePort+2i+1; default: free ports. */
  basePort?: number;
  /** Extra tags for every agent (or per agent); they may override `zone` but not `sandbox`. */
  tags?: Record<string, string> | ((name: string, index: number) => Record<string, string>);
  /** Default: defaultStateDir(). */
  stateDir?: string;
  /** Budget for starting, joining and converging (default 20 s). */
  timeoutMs?: number;
  /** serf's -log-level (default info). */
  logLevel?: string;
  /** Environment whose PATH is searched for serf (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * serf binaries to run instead of the one on PATH, taken in turn (agent i runs serf[i % n]):
   * one path for a cluster of another Serf version, several for a mixed-version cluster.
   */
  serf?: readonly string[];
  /** Start the demo stateful service beside each agent (its address in the agent's `http` tag). */
  service?: boolean;
  /** The service's cold-load delay per key (default 50 ms). */
  coldMs?: number;
}

export interface SandboxUpResult {
  stateDir: string;
  stateFile: string;
  createdAt: string;
  encrypted: boolean;
  keyringFile: string | null;
  /** The address to pass as `--join`: agent 1's gossip address. */
  join: string;
  agents: SandboxAgent[];
  /** From spawning the first agent to every agent seeing all N alive. */
  convergedMs: number;
  /** The demo services, with --service. */
  services?: SandboxService[];
  /** The base64 gossip key, only when encrypted. Never print it: point people at keyringFile. */
  key?: string;
}

function failed(message: string, hint?: string): RingsideError {
  return new RingsideError('RS_SANDBOX_FAILED', message, hint);
}

function checkOptions(nodes: number, basePort: number | undefined, portsPerNode: number, coldMs: number): void {
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) throw usageError(`--nodes ${nodes} is out of range`, `use 1 to ${MAX_NODES}`);
  if (basePort !== undefined && (!Number.isInteger(basePort) || basePort < 1024 || basePort + portsPerNode * nodes - 1 > 65535)) {
    throw usageError(`--base-port ${basePort} is out of range`, `use 1024 to ${65536 - portsPerNode * nodes} for ${nodes} nodes`);
  }
  if (!Number.isFinite(coldMs) || coldMs < 0) throw usageError(`--cold-ms ${coldMs} is out of range`, 'give a number of milliseconds, 0 or more');
}

/** The last line an agent logged (serf prints why it could not start there). */
function lastLogLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').split('\n').map((l) => l.replace(/^==>\s*/, '').trim()).filter((l) => l !== '');
    return lines.at(-1) ?? 'no output';
  } catch {
    return 'no log';
  }
}

export async function sandboxUp(options: SandboxUpOptions = {}): Promise<SandboxUpResult> {
  const nodes = options.nodes ?? 3;
  const withService = options.service === true;
  const coldMs = options.coldMs ?? DEFAULT_COLD_MS;
  checkOptions(nodes, options.basePort, withService ? 3 : 2, coldMs);
  const binaries = options.serf !== undefined && options.serf.length > 0 ? options.serf.map(serfAt) : [findSerf(options.env)];
  const serfOf = (i: number): string => binaries[i % binaries.length] as string;
  // The RPC client (join, members) of any version talks to every agent's RPC.
  const serf = serfOf(0);
  const stateDir = resolve(options.stateDir ?? defaultStateDir(options.env));
  ensureStateDir(stateDir);
  const paths = sandboxPaths(stateDir);
  const previous = readState(stateDir);
  if (previous?.agents.some((a) => isSandboxAgent(a)) || previous?.services?.some((v) => isSandboxService(v))) {
    throw new RingsideError('RS_SANDBOX_EXISTS', `a sandbox is already running in ${stateDir}`, `stop it first: ringside sandbox down --state-dir ${stateDir}`);
  }
  if (previous !== null) removeState(stateDir); // stale: its agents are gone
  removeOldLogs(stateDir);

  const ports = await pickPorts(nodes, options.basePort, withService);
  const key = options.encrypt ? randomBytes(32).toString('base64') : undefined;
  const started: { agent: SandboxAgent; child: SpawnedAgent }[] = [];
  const startedAt = nowMs();
  const deadline = startedAt + (options.timeoutMs ?? 20_000);
  const state: SandboxState = { kind: STATE_KIND, version: STATE_VERSION, createdAt: new Date().toISOString(), encrypted: key !== undefined, keyringFile: key !== undefined ? paths.keyringFile : null, agents: [] };
  try {
    if (key !== undefined) {
      writeSecretFile(paths.keyringFile, `${JSON.stringify([key])}\n`);
      writeSecretFile(paths.agentConfig, `${JSON.stringify({ encrypt_key: key })}\n`);
    }
    for (const [i, p] of ports.entries()) {
      const name = `sandbox-${i + 1}`;
      const extra = typeof options.tags === 'function' ? options.tags(name, i) : options.tags;
      const spec: AgentSpec = {
        name,
        bind: `${HOST}:${p.gossip}`,
        rpc: `${HOST}:${p.rpc}`,
        tags: { ...SANDBOX_TAG, zone: ZONES[i % ZONES.length] as string, ...extra, ...(p.http !== undefined ? { [SERVICE_TAG]: `${HOST}:${p.http}` } : {}), ...SANDBOX_TAG },
        ...(key !== undefined ? { configFile: paths.agentConfig } : {}),
        ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
      };
      const logFile = paths.logFile(name);
      const child = await spawnAgent(serfOf(i), spec, logFile, stateDir);
      const agent: SandboxAgent = { name, pid: child.pid, bind: spec.bind, rpc: spec.rpc, logFile, tags: spec.tags, ...(options.serf?.length ? { serf: serfOf(i) } : {}) };
      started.push({ agent, child });
      state.agents.push(agent);
      writeState(stateDir, state); // at once, so `down` finds the agents even if `up` is interrupted
    }
    await Promise.all(started.map((s) => waitForRpc(serf, s.agent, s.child, deadline)));
    await joinAll(serf, state.agents);
    await waitForConvergence(serf, state.agents, deadline);
    if (withService) await startServices(state, stateDir, coldMs, deadline);
  } catch (error) {
    await stopServices(state.services ?? [], { termGraceMs: 3000 });
    await stopAgents(state.agents, { termGraceMs: 3000 });
    removeState(stateDir);
    if (error instanceof RingsideError) throw error;
    throw failed(`the sandbox did not start: ${(error as Error).message}`, `see the logs in ${stateDir}`);
  }
  return {
    stateDir,
    stateFile: paths.stateFile,
    createdAt: state.createdAt,
    encrypted: state.encrypted,
    keyringFile: state.keyringFile,
    join: (state.agents[0] as SandboxAgent).bind,
    agents: state.agents,
    convergedMs: nowMs() - startedAt,
    ...(state.services !== undefined ? { services: state.services } : {}),
    ...(key !== undefined ? { key } : {}),
  };
}

/** Waits until the agent answers on its RPC address; fails fast if it exits. */
async function waitForRpc(serf: string, agent: SandboxAgent, child: SpawnedAgent, deadline: number): Promise<void> {
  const outcome = await pollUntil(async () => {
    if (child.exited() !== null) return 'exited';
    const run = await runSerf(serf, ['members', `-rpc-addr=${agent.rpc}`, '-format=json'], 2000);
    return run.code === 0 ? 'ready' : child.exited() !== null ? 'exited' : undefined;
  }, Math.max(0, deadline - nowMs()));
  if (outcome === 'exited') throw failed(`serf agent ${agent.name} exited while starting: ${lastLogLine(agent.logFile)}`, `see ${agent.logFile}`);
  if (outcome === undefined) throw failed(`serf agent ${agent.name} did not answer on ${agent.rpc} in time`, `see ${agent.logFile}`);
}

/** Joins every other agent to agent 1 (a TCP push-pull each; gossip spreads the rest). */
async function joinAll(serf: string, agents: readonly SandboxAgent[]): Promise<void> {
  const [first, ...rest] = agents;
  if (first === undefined) return;
  await Promise.all(
    rest.map(async (agent) => {
      const run = await runSerf(serf, ['join', `-rpc-addr=${agent.rpc}`, first.bind]);
      if (run.code !== 0) throw failed(`${agent.name} could not join ${first.name} at ${first.bind}: ${serfReason(run)}`, `see ${agent.logFile}`);
    }),
  );
}

/** Every this long, an agent that still misses members joins the ones it misses itself. */
const REJOIN_MS = 5000;

/**
 * Polls every agent's view until each one sees all N agents alive. Gossip normally spreads what
 * the joins started within a second or two; an agent still short of members after REJOIN_MS
 * (agents of a loaded machine suspected each other while starting, a join raced another) is told
 * to join the ones it misses, as an operator would with `serf join`.
 */
async function waitForConvergence(serf: string, agents: readonly SandboxAgent[], deadline: number): Promise<void> {
  const names = agents.map((a) => a.name);
  let lagging = '';
  let rejoinAt = nowMs() + REJOIN_MS;
  const converged = await pollUntil(async () => {
    const views = await Promise.all(agents.map((a) => serfMembers(serf, a.rpc, 2000).then(aliveNames, () => new Set<string>())));
    const behind = views.findIndex((alive) => names.some((n) => !alive.has(n)));
    if (behind < 0) return true;
    lagging = `${names[behind]} sees ${(views[behind] as Set<string>).size} of ${names.length} alive`;
    if (nowMs() >= rejoinAt) {
      rejoinAt = nowMs() + REJOIN_MS;
      await Promise.all(
        agents.map((agent, i) => {
          const missing = agents.filter((other) => other !== agent && !(views[i] as Set<string>).has(other.name));
          return missing.length === 0 ? undefined : runSerf(serf, ['join', `-rpc-addr=${agent.rpc}`, ...missing.map((m) => m.bind)], 5000);
        }),
      );
    }
    return undefined;
  }, Math.max(0, deadline - nowMs()));
  if (!converged) throw failed(`the sandbox did not converge in time: ${lagging}`, 'see the agent logs in the state directory');
}
