/**
 * `sandbox status`: which recorded agents still run (by the same /proc check `down` uses) and
 * the membership that the first running agent reports through `serf members`.
 */
import { resolve } from 'node:path';
import { RingsideError } from '../errors.js';
import { isSandboxAgent } from './agent-process.js';
import { type SerfMember, serfMembers } from './members.js';
import { findSerf } from './serf-binary.js';
import { type SandboxAgent, defaultStateDir, readState } from './state.js';
import { type SandboxService, isSandboxService } from './service/process.js';
import { getJson } from './service/start-services.js';
import type { KvServiceStats } from './service/server.js';

export interface SandboxStatusOptions {
  /** Default: defaultStateDir(). */
  stateDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface SandboxAgentStatus extends SandboxAgent {
  running: boolean;
}

export interface SandboxServiceStatus extends SandboxService {
  running: boolean;
  /** What GET /stats answered, or null when it did not. */
  stats: KvServiceStats | null;
}

export interface SandboxStatusResult {
  stateDir: string;
  /** False when no sandbox is recorded in stateDir. */
  found: boolean;
  createdAt: string | null;
  encrypted: boolean;
  keyringFile: string | null;
  agents: SandboxAgentStatus[];
  /** The demo services (`up --service`); empty without. */
  services: SandboxServiceStatus[];
  /** The agent whose `serf members` is shown, or null when none runs (or it did not answer). */
  observedBy: string | null;
  members: SerfMember[] | null;
  /** Why `members` is null although an agent runs. */
  membersError: string | null;
}

export async function sandboxStatus(options: SandboxStatusOptions = {}): Promise<SandboxStatusResult> {
  const stateDir = resolve(options.stateDir ?? defaultStateDir(options.env));
  const state = readState(stateDir);
  const result: SandboxStatusResult = { stateDir, found: state !== null, createdAt: state?.createdAt ?? null, encrypted: state?.encrypted ?? false, keyringFile: state?.keyringFile ?? null, agents: [], services: [], observedBy: null, members: null, membersError: null };
  if (state === null) return result;
  result.agents = state.agents.map((agent) => ({ ...agent, running: isSandboxAgent(agent) }));
  result.services = await Promise.all(
    (state.services ?? []).map(async (service) => {
      const running = isSandboxService(service);
      return { ...service, running, stats: running ? await getJson<KvServiceStats>(`${service.url}/stats`) : null };
    }),
  );
  const observer = result.agents.find((a) => a.running);
  if (observer === undefined) return result;
  result.observedBy = observer.name;
  try {
    result.members = await serfMembers(observer.serf ?? findSerf(options.env), observer.rpc);
  } catch (error) {
    if (!(error instanceof RingsideError) || error.code === 'RS_NO_CAPABILITY') throw error;
    result.membersError = error.message;
  }
  return result;
}
