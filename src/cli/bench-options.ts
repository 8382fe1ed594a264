/** From `bench` flags to a BenchConfig: keys, the routing probe's ring and member addresses. */
import { loadMembership } from '../cluster/source.js';
import { usageError } from '../errors.js';
import { routingOf } from '../probes/routing-members.js';
import { PROBES, type BenchConfig, type ProbeName } from '../probes/types.js';
import { readKeysFile } from '../keys-file.js';
import { parseDuration } from '../units.js';
import type { RingFlagValues, SourceFlagValues } from './flags.js';
import { clusterRingOptions, sourceOptions } from './options.js';
import { parseShard, parseStartAt } from './shard-flags.js';

export { parseShard, parseStartAt } from './shard-flags.js';

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
  shard?: string;
  'start-at'?: string;
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
  return routingOf(await loadMembership(sourceOptions(flags)), clusterRingOptions(flags), flags.target, flags['port-tag']);
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
  if (flags.shard !== undefined) config.shard = parseShard(flags.shard);
  if (flags['start-at'] !== undefined) config.startAtMs = parseStartAt(flags['start-at']);
  if (probes.includes('routing')) config.routing = await routingMembers(flags);
  return config;
}

/** Refuses bad bench flags here, once (before shards on other hosts would each refuse them); the routing probe's cluster is read there, not here. */
export async function checkBenchFlags(flags: BenchFlagValues): Promise<void> {
  if (!(flags.probe ?? []).includes('routing')) await benchConfig(flags);
}
