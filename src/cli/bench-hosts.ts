/**
 * `bench --on HOST...`: one shard of the schedule per host, run by the ringside installed there
 * over the same executors as chaos (local, netns:NAME, ssh:[USER@]HOST[:PORT], one SSH connection
 * per host). Before anything starts, each host's ringside version and clock offset are checked;
 * all shards start at one wall-clock time; their results are merged exactly, with a per-host
 * breakdown, and a host that fails mid-run leaves the result partial, naming its shard.
 */
import { parseExecutor } from '../../chaos/executors/parse.js';
import type { Executor } from '../../chaos/executors/types.js';
import { DEFAULT_PARALLEL, forEachHost, settleEach } from '../../chaos/fan-out.js';
import { RingsideError, usageError } from '../errors.js';
import { mergeResults, parseBenchResult } from '../probes/merge.js';
import type { BenchResult } from '../probes/types.js';
import { parseDuration } from '../units.js';
import { parseStartAt } from './shard-flags.js';
import { remoteCommandOf, withoutFlags } from './k8s-job.js';

export interface HostsBenchOptions {
  on: Executor[];
  /** bench's own arguments for every shard (without --shard, --start-at, --json). */
  args: string[];
  /** What runs ringside on the hosts (default `ringside`). */
  remoteCommand: string[];
  /** This ringside's version: every host must run the same. */
  version: string;
  maxSkewMs: number;
  durationMs: number;
  startAtMs?: number;
  now?: () => number;
}

export interface HostShard {
  on: string;
  shard: string;
  /** The host's clock minus this one's, in ms (measured over the control connection), and its uncertainty (half the round trip). */
  offsetMs: number;
  offsetErrorMs: number;
  count?: number;
  error?: string;
}

export interface HostsBench {
  result: BenchResult;
  hosts: HostShard[];
  startAt: string;
}

/** The last non-empty line of a command's output (where a failing program says why). */
function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}

/** The host runs this very ringside version (one line naming the host otherwise). */
async function checkVersion(executor: Executor, o: HostsBenchOptions): Promise<void> {
  const r = await executor.run([...o.remoteCommand, '--version'], { unprivileged: true, timeoutMs: 120_000 });
  const version = /\bringside\/(\S+)/.exec(r.stdout)?.[1];
  if (r.code !== 0 || version === undefined) {
    throw usageError(`ringside is not installed on ${executor.name}: ${o.remoteCommand.join(' ')} --version ${r.code === 0 ? `printed ${JSON.stringify(lastLine(r.stdout))}` : `failed: ${lastLine(r.stderr) || `exit ${r.code}`}`}`, 'install it there, or pass --remote-command (e.g. "npx --yes ringside@VERSION")');
  }
  if (version !== o.version) throw usageError(`${executor.name} runs ringside ${version}, this is ${o.version}`, 'run the same version everywhere (--remote-command "npx --yes ringside@VERSION")');
}

/** The host's clock offset, from `date +%s%N` halfway through the round trip. */
async function clockOffset(executor: Executor, now: () => number): Promise<{ offsetMs: number; offsetErrorMs: number }> {
  let best: { offsetMs: number; offsetErrorMs: number } | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    const r = await executor.run(['date', '+%s%N'], { unprivileged: true });
    const t1 = now();
    const remoteMs = Number(r.stdout.trim()) / 1e6;
    if (r.code !== 0 || !Number.isFinite(remoteMs)) throw new RingsideError('RS_UNREACHABLE', `cannot read the clock of ${executor.name}: ${lastLine(r.stderr) || `exit ${r.code}`}`, 'check that date(1) is there');
    const sample = { offsetMs: remoteMs - (t0 + t1) / 2, offsetErrorMs: (t1 - t0) / 2 };
    if (!best || sample.offsetErrorMs < best.offsetErrorMs) best = sample;
  }
  return best as { offsetMs: number; offsetErrorMs: number };
}

export async function benchOnHosts(o: HostsBenchOptions): Promise<HostsBench> {
  const now = o.now ?? Date.now;
  const n = o.on.length;
  const setupStart = now();
  const clocks = await forEachHost(o.on, DEFAULT_PARALLEL, async (executor) => {
    await checkVersion(executor, o);
    const clock = await clockOffset(executor, now);
    if (Math.abs(clock.offsetMs) - clock.offsetErrorMs > o.maxSkewMs) {
      throw usageError(`the clock of ${executor.name} is ${Math.round(clock.offsetMs)} ms off this one's (more than --max-skew ${o.maxSkewMs}ms)`, 'synchronise the clocks (NTP) or raise --max-skew');
    }
    return clock;
  });
  // All shards start together: a margin of three times the slowest setup, at least 2 s.
  const startAtMs = o.startAtMs ?? now() + Math.max(2000, 3 * (now() - setupStart));
  const startAt = new Date(startAtMs).toISOString();
  const settled = await settleEach(o.on, DEFAULT_PARALLEL, async (executor, i) => {
    const argv = [...o.remoteCommand, 'bench', ...o.args, '--shard', `${i}/${n}`, '--start-at', startAt, '-o', '-', '--quiet'];
    const r = await executor.run(argv, { unprivileged: true, timeoutMs: startAtMs - now() + o.durationMs + 120_000 });
    if (r.code !== 0) throw new Error(lastLine(r.stderr) || `exit ${r.code}`);
    return parseBenchResult(r.stdout, `the result of ${executor.name}`);
  });
  const hosts: HostShard[] = o.on.map((executor, i) => {
    const s = settled[i] as PromiseSettledResult<BenchResult>;
    const clock = clocks[i] as { offsetMs: number; offsetErrorMs: number };
    const base = { on: executor.name, shard: `${i}/${n}`, offsetMs: Math.round(clock.offsetMs * 10) / 10, offsetErrorMs: Math.round(clock.offsetErrorMs * 10) / 10 };
    if (s.status === 'rejected') return { ...base, error: s.reason instanceof Error ? s.reason.message : String(s.reason) };
    return { ...base, count: Object.values(s.value.probes).reduce((sum, p) => sum + p.count, 0) };
  });
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (results.length === 0) throw new RingsideError('RS_UNREACHABLE', `no host finished its shard: ${hosts.map((h) => `${h.on}: ${h.error ?? ''}`).join('; ')}`, 'check the target from those hosts');
  const merged = mergeResults(results);
  merged.config = { ...merged.config, hosts, startAt };
  // A missing shard is known by the hosts even when every result that came back is whole.
  const shards = merged.config.shards as { count: number; present: number[]; missing: number[]; partial: boolean } | undefined;
  if (shards) {
    const present = hosts.flatMap((h, i) => (h.error === undefined ? [i] : []));
    merged.config.shards = { count: n, present, missing: hosts.flatMap((h, i) => (h.error !== undefined ? [i] : [])), partial: present.length < n };
  }
  return { result: merged, hosts, startAt };
}

export interface HostsFlagValues {
  on?: string[];
  'ssh-option'?: string[];
  'remote-command'?: string;
  'max-skew': string;
  'start-at'?: string;
  shard?: string;
  hlog?: string;
  duration: string;
}

/** `bench --on HOST...` from its flags: the argv as typed becomes every shard's arguments. */
export function benchOnHostsFromFlags(argv: readonly string[], flags: HostsFlagValues, version: string): Promise<HostsBench> {
  if (flags.shard !== undefined) throw usageError('--shard does not go with --on', 'each host takes its own shard');
  if (flags.hlog !== undefined) throw usageError('--hlog does not go with --on yet', 'write -o FILE (the merged result), or run the shards yourself with --shard and --hlog on each host');
  const names = flags.on ?? [];
  if (new Set(names).size !== names.length) throw usageError('a host is given twice in --on');
  return benchOnHosts({
    on: names.map((n) => parseExecutor(n, { sshOptions: flags['ssh-option'] ?? [] })),
    args: withoutFlags(argv, { '--on': true, '--ssh-option': true, '--remote-command': true, '--max-skew': true, '--start-at': true, '--json': false, '--quiet': false, '--output': true, '-o': true }),
    remoteCommand: remoteCommandOf(flags['remote-command'], ['ringside']),
    version,
    maxSkewMs: parseDuration(flags['max-skew'], 'max-skew'),
    durationMs: parseDuration(flags.duration, 'duration'),
    ...(flags['start-at'] !== undefined ? { startAtMs: parseStartAt(flags['start-at']) } : {}),
  });
}

/** One line per host: `ssh:h: shard 0/3, clock +1.2 ms (±0.4), 1000 responses`. */
export function renderHostShard(h: HostShard): string {
  return `${h.on}: shard ${h.shard}, clock ${h.offsetMs >= 0 ? '+' : ''}${h.offsetMs} ms (±${h.offsetErrorMs}), ${h.error === undefined ? `${h.count} responses` : `failed: ${h.error}`}`;
}
