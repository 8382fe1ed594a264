/**
 * The demo stateful service for tests: a sandbox of real serf agents with a service process
 * beside each (`sandboxUp({ service: true })`, the code `sandbox up --service` runs), in a
 * temporary state dir. Hands back the agents, the service URLs, a graceful `leave` for one agent
 * and `stop()`, which stops every service and agent by PID (checked against /proc) and removes
 * the dir. Call `stop()` in afterAll/finally; as a last resort, whatever a test forgot is
 * SIGKILLed when the test process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signalAgent } from '../../src/sandbox/agent-process.js';
import { sandboxDown } from '../../src/sandbox/down.js';
import { findSerf } from '../../src/sandbox/serf-binary.js';
import { type SandboxService, signalService } from '../../src/sandbox/service/process.js';
import type { SandboxAgent } from '../../src/sandbox/state.js';
import { sandboxUp } from '../../src/sandbox/up.js';
import { onTestProcessExit } from '../support/exit-hook.js';
import { leaveAgent } from './serf.js';

export interface KvServiceCluster {
  stateDir: string;
  /** Agent 1's gossip address, for `--join`. */
  join: string;
  keyringFile: string | null;
  agents: SandboxAgent[];
  services: SandboxService[];
  /** The service URL of node `name`. */
  url(name: string): string;
  /** `serf leave` on the agent (its service keeps running, outside the ring). */
  leave(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface KvServiceClusterOptions {
  nodes?: number;
  coldMs?: number;
  encrypt?: boolean;
}

const live = new Map<string, { agents: SandboxAgent[]; services: SandboxService[] }>();

function killLive(): void {
  for (const [dir, { agents, services }] of live) {
    for (const s of services) signalService(s, 'SIGKILL');
    for (const a of agents) signalAgent(a, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The safety net: services and agents nobody stopped are killed when the test process ends. */
onTestProcessExit(killLive);

export async function startKvServiceCluster({ nodes = 3, coldMs = 50, encrypt = false }: KvServiceClusterOptions = {}): Promise<KvServiceCluster> {
  const serf = findSerf();
  const stateDir = mkdtempSync(join(tmpdir(), `ringside-kv-${process.pid}-`));
  let up;
  try {
    up = await sandboxUp({ nodes, stateDir, service: true, coldMs, encrypt, timeoutMs: 30_000 });
  } catch (error) {
    rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const services = up.services ?? [];
  live.set(stateDir, { agents: up.agents, services });
  let stopped = false;
  const agent = (name: string): SandboxAgent => {
    const found = up.agents.find((a) => a.name === name);
    if (found === undefined) throw new Error(`no agent ${name}`);
    return found;
  };
  return {
    stateDir,
    join: up.join,
    keyringFile: up.keyringFile,
    agents: up.agents,
    services,
    url: (name) => {
      const found = services.find((s) => s.name === name);
      if (found === undefined) throw new Error(`no service ${name}`);
      return found.url;
    },
    leave: (name) => leaveAgent(serf, agent(name)),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await sandboxDown({ stateDir, termGraceMs: 3000 });
      } finally {
        for (const s of services) signalService(s, 'SIGKILL');
        for (const a of up.agents) signalAgent(a, 'SIGKILL');
        live.delete(stateDir);
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
}
