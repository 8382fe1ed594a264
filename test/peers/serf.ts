/**
 * Real serf agents for tests, built on the sandbox library: `startSerfCluster()` starts N agents
 * on loopback in a temporary state dir and hands back their addresses and PIDs, a way to read
 * `serf members`, to crash or gracefully remove one agent, and `stop()`.
 *
 * Call `stop()` in afterAll or finally: it stops every agent by PID (checked against /proc, so a
 * recycled PID is never hit) even when a test failed half-way, and removes the temp dir. As a
 * last resort, agents of clusters never stopped are SIGKILLed when the test process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemberObserver } from '../../src/protocols/serf/member-observer.js';
import { isSandboxAgent, signalAgent } from '../../src/sandbox/agent-process.js';
import { type SerfMember, serfMembers } from '../../src/sandbox/members.js';
import { findSerf, runSerf, serfReason } from '../../src/sandbox/serf-binary.js';
import { sandboxDown } from '../../src/sandbox/down.js';
import type { SandboxAgent } from '../../src/sandbox/state.js';
import { type SandboxUpOptions, sandboxUp } from '../../src/sandbox/up.js';
import { waitFor } from '../support/wait.js';
import { onTestProcessExit } from '../support/exit-hook.js';

export interface SerfAgentInfo {
  name: string;
  /** Gossip address HOST:PORT (what `--join` takes). */
  bind: string;
  /** RPC address HOST:PORT (what `serf ... -rpc-addr` takes). */
  rpc: string;
  pid: number;
  /** The serf binary it runs, when not the one on PATH. */
  serf?: string;
}

export interface SerfCluster {
  agents: SerfAgentInfo[];
  stateDir: string;
  /** The base64 gossip key, when started with `encrypt`. */
  key?: string;
  /** A serf keyring file (JSON array with the key), when started with `encrypt`. */
  keyringFile?: string;
  /** `serf members -format=json` as agent `rpcIndex` (default 0) sees it. */
  members(rpcIndex?: number): Promise<SerfMember[]>;
  /** SIGKILL one agent (a crash: no leave message; the others mark it failed after a few seconds). */
  kill9(name: string): void;
  /** Graceful leave through serf's RPC; resolves once the agent process has exited. */
  leave(name: string): Promise<void>;
  /** Stops every agent by PID and removes the state dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface SerfClusterOptions {
  nodes?: number;
  encrypt?: boolean;
  tags?: SandboxUpOptions['tags'];
  /** serf binaries the agents run in turn (default: Debian's serf on PATH); see SERF_VERSIONS. */
  serf?: readonly string[];
}

/** Agents of clusters not stopped yet, with their state dirs. */
const live = new Map<SerfAgentInfo[], string>();

function killLive(): void {
  for (const [agents, stateDir] of live) {
    for (const agent of agents) signalAgent(agent, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** The safety net: agents of clusters nobody stopped are killed when the test process ends. */
onTestProcessExit(killLive);


/** Graceful leave through serf's RPC; resolves once the agent process has exited. */
export async function leaveAgent(serf: string, target: Pick<SandboxAgent, 'pid' | 'name' | 'bind' | 'rpc'>): Promise<void> {
  const run = await runSerf(serf, ['leave', `-rpc-addr=${target.rpc}`], 15_000);
  if (run.code !== 0) throw new Error(`serf leave on ${target.name} failed: ${serfReason(run)}`);
  await waitFor(() => !isSandboxAgent(target), { timeoutMs: 10_000, what: `${target.name} to exit after leaving` });
}

export async function startSerfCluster({ nodes = 3, encrypt = false, tags, serf: binaries }: SerfClusterOptions = {}): Promise<SerfCluster> {
  const serf = binaries?.[0] ?? findSerf();
  const stateDir = mkdtempSync(join(tmpdir(), 'ringside-serf-'));
  let up;
  try {
    up = await sandboxUp({ nodes, encrypt, stateDir, ...(tags !== undefined ? { tags } : {}), ...(binaries !== undefined ? { serf: binaries } : {}) });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const agents = up.agents.map(({ name, bind, rpc, pid, serf: binary }) => ({ name, bind, rpc, pid, ...(binary !== undefined ? { serf: binary } : {}) }));
  live.set(agents, stateDir);

  const agent = (name: string): SerfAgentInfo => {
    const found = agents.find((a) => a.name === name);
    if (found === undefined) throw new Error(`no agent ${name} in this cluster (${agents.map((a) => a.name).join(', ')})`);
    return found;
  };
  let stopped = false;

  return {
    agents,
    stateDir,
    ...(up.key !== undefined ? { key: up.key } : {}),
    ...(up.keyringFile !== null ? { keyringFile: up.keyringFile } : {}),
    members: (rpcIndex = 0) => {
      const target = agents[rpcIndex];
      if (target === undefined) throw new Error(`no agent at index ${rpcIndex}`);
      return serfMembers(serf, target.rpc);
    },
    kill9: (name) => {
      if (!signalAgent(agent(name), 'SIGKILL')) throw new Error(`agent ${name} is not running`);
    },
    leave: (name) => leaveAgent(serf, agent(name)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await sandboxDown({ stateDir, termGraceMs: 3000 });
      } finally {
        // Whatever the state file said, nothing of this cluster may outlive the test.
        for (const a of agents) signalAgent(a, 'SIGKILL');
        live.delete(agents);
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
}

/** A member-mode observer (library API, in this process) joined to the cluster's first agent on loopback. */
export async function joinedObserver(cluster: SerfCluster): Promise<MemberObserver> {
  const [host = '', port = ''] = (cluster.agents[0] as SerfAgentInfo).bind.split(':');
  const observer = new MemberObserver({ seeds: [{ host, port: Number(port) }], bind: { host: '127.0.0.1', port: 0 }, advertise: '127.0.0.1', flavour: 'serf', timeoutMs: 5000 });
  await observer.start();
  return observer;
}
