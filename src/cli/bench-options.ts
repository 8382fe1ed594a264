/** From `bench` flags to a BenchConfig: keys, the routing probe's ring and member addresses. */
import { loadMembership } from '../cluster/source.js';
import { usageError } from '../errors.js';
import { routingOf } from '../probes/routing-members.js';
import { PROBES, type BenchConfig, type ProbeName } from '../probes/types.js';
import { readKeysFile } from '../keys-file.js';
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
  shard?: string;
  'start-at'?: string;
}

/** `--shard i/N`: this process sends shard i (0-based) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw usageError(`--shard ${text} is not i/N with 0 <= i < N`, 'e.g. --shard 0/4 ... --shard 3/4 for four shards');
  return { index, count };
}

/** `--start-at`: an ISO 8601 time with a zone (2026-12-04T02:00:00Z) or epoch milliseconds; not over a second in the past. */
export function parseStartAt(text: string, nowMs: number = Date.now()): number {
  const ms = /^\d{12,14}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw usageError(`--start-at ${text} is not a time`, 'give an ISO 8601 time with its zone (2026-12-04T02:00:00Z) or epoch milliseconds');
  if (ms < nowMs - 1000) throw usageError(`--start-at ${text} is ${((nowMs - ms) / 1000).toFixed(1)} s in the past`, 'give every shard the same time a few seconds ahead');
  return ms;
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
