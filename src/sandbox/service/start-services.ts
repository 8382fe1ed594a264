/**
 * `sandbox up --service`: one demo service per agent, listening on the port its agent advertises
 * in the `http` tag and joined to its own agent's gossip address. Each is recorded in the state
 * file as soon as it exists (so `down` can stop it), then `up` waits until every service answers
 * /health with a ring of all N nodes.
 */
import { request } from 'undici';
import { RingsideError } from '../../errors.js';
import { nowMs, pollUntil } from '../poll.js';
import { type SandboxState, sandboxPaths, writeState } from '../state.js';
import { SERVICE_TAG } from './ownership.js';
import { type SandboxService, type SpawnedService, spawnService } from './process.js';
import { lastLines } from './log.js';

export const DEFAULT_COLD_MS = 50;

/** GET url as JSON within timeoutMs, or null (refused, timeout, not JSON, non-2xx). */
export async function getJson<T>(url: string, timeoutMs = 1000): Promise<T | null> {
  try {
    const res = await request(url, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.body.text();
    return res.statusCode >= 200 && res.statusCode < 300 ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export async function startServices(state: SandboxState, stateDir: string, coldMs: number, deadline: number): Promise<SandboxService[]> {
  const paths = sandboxPaths(stateDir);
  const started: { service: SandboxService; child: SpawnedService }[] = [];
  state.services = [];
  for (const agent of state.agents) {
    const listen = agent.tags[SERVICE_TAG];
    if (listen === undefined) throw new RingsideError('RS_SANDBOX_FAILED', `agent ${agent.name} has no ${SERVICE_TAG} tag`, 'this is a bug in ringside; report it');
    const logFile = paths.serviceLogFile(agent.name);
    const args = { name: agent.name, listen, join: [agent.bind], coldMs, ...(state.keyringFile !== null ? { keyringFile: state.keyringFile } : {}) };
    const child = await spawnService(args, logFile, stateDir);
    const service: SandboxService = { name: agent.name, pid: child.pid, listen, url: `http://${listen}`, coldMs, script: child.script, logFile };
    started.push({ service, child });
    state.services.push(service);
    writeState(stateDir, state);
  }
  const size = state.agents.length;
  await Promise.all(
    started.map(async ({ service, child }) => {
      const ready = await pollUntil(async () => {
        if (child.exited() !== null) return 'exited';
        const health = await getJson<{ ring?: string[] }>(`${service.url}/health`);
        return health?.ring?.length === size ? 'ready' : child.exited() !== null ? 'exited' : undefined;
      }, Math.max(0, deadline - nowMs()));
      if (ready === 'exited') throw new RingsideError('RS_SANDBOX_FAILED', `the demo service of ${service.name} exited while starting: ${lastLines(service.logFile)}`, `see ${service.logFile}`);
      if (ready === undefined) throw new RingsideError('RS_SANDBOX_FAILED', `the demo service of ${service.name} did not see all ${size} nodes in time`, `see ${service.logFile}`);
    }),
  );
  return state.services;
}
