/** From `bench` flags to a BenchConfig: keys, the routing probe's ring and member addresses. */
import { loadMembership } from '../cluster/source.js';
import { parseHostPort } from '../cluster/member.js';
import { usageError } from '../errors.js';
import { hasPlaceholder } from '../probes/url-template.js';
import { PROBES, type BenchConfig, type ProbeName, type RoutingMember } from '../probes/types.js';
import { clusterRing } from '../ring/cluster-ring.js';
import { readKeysFile } from '../ring/keys-file.js';
import { parseDuration } from '../units.js';
import type { RingFlagValues, SourceFlagValues } from './flags.js';
import { clusterRingOptions, sourceOptions } from './options.js';

export interface BenchFlagValues extends SourceFlagValues, RingFlagValues {
  target: string;
  rate: string;
  duration: string;
  probe?: string[];
  connections: number;
  keys: number;
  'keys-file'?: string;
  'fresh-keys': boolean;
  workers?: number;
  'request-timeout': string;
  'port-tag'?: string;
  insecure: boolean;
}

export function parseRate(text: string): number {
  const rate = text === 'max' ? 0 : Number(text);
  if (!Number.isFinite(rate) || rate < 0) throw usageError(`--rate ${text} is not a rate`, 'give requests per second per probe, or 0 (max) for as fast as possible');
  return rate;
}

function probesOf(names: string[] | undefined): ProbeName[] {
  const probes = [...new Set(names ?? ['warm'])];
  for (const p of probes) if (!(PROBES as readonly string[]).includes(p)) throw usageError(`--probe ${p} is not a probe`, `use ${PROBES.join(', ')}`);
  return probes as ProbeName[];
}

async function routingMembers(flags: BenchFlagValues): Promise<NonNullable<BenchConfig['routing']>> {
  const snapshot = await loadMembership(sourceOptions(flags));
  const { ring } = clusterRing(snapshot, clusterRingOptions(flags));
  const byName = new Map(snapshot.members.map((m) => [m.name, m]));
  const tag = flags['port-tag'];
  if (hasPlaceholder(flags.target, 'port') && tag === undefined) throw usageError('--target has {port} but no --port-tag', 'name the member tag that holds the HTTP port, e.g. --port-tag http_port');
  const members: RoutingMember[] = ring.nodes.map((node) => {
    const member = byName.get(node.id);
    const hostPort = member ? parseHostPort(member.addr) : undefined;
    if (!member || !hostPort) throw usageError(`member "${node.id}" has no usable address`);
    if (tag === undefined) return { name: node.id, host: hostPort.host, port: hostPort.port };
    const service = serviceAddress(member.tags[tag], hostPort.host);
    if (!service) throw usageError(`member "${node.id}" has no port in tag "${tag}"`, 'tag every member with its HTTP port (PORT or HOST:PORT) or choose another --port-tag');
    return { name: node.id, ...service };
  });
  return { ring, members };
}

/**
 * A member's service address from its port tag: `PORT` (on the member's gossip host) or
 * `HOST:PORT` (what `sandbox up --service` sets), undefined when the tag holds neither.
 */
export function serviceAddress(tagValue: string | undefined, gossipHost: string): { host: string; port: number } | undefined {
  if (tagValue === undefined) return undefined;
  const text = tagValue.trim();
  const isPort = (p: number): boolean => Number.isInteger(p) && p >= 1 && p <= 65535;
  if (/^\d+$/.test(text)) return isPort(Number(text)) ? { host: gossipHost, port: Number(text) } : undefined;
  const hostPort = parseHostPort(text);
  return hostPort && isPort(hostPort.port) ? { host: hostPort.host, port: hostPort.port } : undefined;
}

export async function benchConfig(flags: BenchFlagValues): Promise<BenchConfig> {
  const probes = probesOf(flags.probe);
  const keys = flags['keys-file'] !== undefined ? await readKeysFile(flags['keys-file']) : Array.from({ length: flags.keys }, (_, i) => `key-${i}`);
  const config: BenchConfig = {
    target: flags.target,
    rate: parseRate(flags.rate),
    durationMs: parseDuration(flags.duration, 'duration'),
    probes,
    connections: flags.connections,
    keys,
    freshKeys: flags['fresh-keys'],
    requestTimeoutMs: parseDuration(flags['request-timeout'], 'request-timeout'),
    insecure: flags.insecure,
  };
  if (flags.workers !== undefined) config.workers = flags.workers;
  if (probes.includes('routing')) config.routing = await routingMembers(flags);
  return config;
}
