/**
 * What a serf agent says about its cluster, through `serf members -format=json` on its RPC
 * address. This is the peer's own view, used to check the sandbox converged; ringside's observer
 * (src/protocols/serf) reads the same cluster over the wire instead.
 */
import { RingsideError } from '../errors.js';
import { runSerf, serfReason } from './serf-binary.js';

/** One entry of `serf members -format=json`. `status` is serf's word: alive, leaving, left, failed. */
export interface SerfMember {
  name: string;
  addr: string;
  port: number;
  tags: Record<string, string>;
  status: string;
  protocol: { min: number; max: number; version: number };
}

/** Parses `serf members -format=json` output. */
export function parseSerfMembers(json: string): SerfMember[] {
  const data = JSON.parse(json) as { members?: unknown };
  if (!Array.isArray(data.members)) throw new Error('serf members printed no "members" array');
  return data.members.map((m: Partial<SerfMember>) => ({
    name: String(m.name),
    addr: String(m.addr),
    port: Number(m.port),
    tags: { ...(m.tags ?? {}) },
    status: String(m.status),
    protocol: { min: Number(m.protocol?.min), max: Number(m.protocol?.max), version: Number(m.protocol?.version) },
  }));
}

/** The members agent `rpc` knows (every status), or RS_UNREACHABLE when it does not answer. */
export async function serfMembers(serf: string, rpc: string, timeoutMs = 5000): Promise<SerfMember[]> {
  const run = await runSerf(serf, ['members', `-rpc-addr=${rpc}`, '-format=json'], timeoutMs);
  if (run.code !== 0) throw new RingsideError('RS_UNREACHABLE', `serf agent at ${rpc} did not answer: ${serfReason(run)}`, 'check it is running: ringside sandbox status');
  try {
    return parseSerfMembers(run.stdout);
  } catch (error) {
    throw new RingsideError('RS_UNDECODABLE', `serf members at ${rpc} printed something unexpected`, 'check the serf version', { cause: error });
  }
}

/** Names of `members` that are alive. */
export function aliveNames(members: readonly SerfMember[]): Set<string> {
  return new Set(members.filter((m) => m.status === 'alive').map((m) => m.name));
}
