/**
 * `bench --on HOST...`: one shard of the schedule per host, run by the ringside installed there
 * over the same executors as chaos (local, netns:NAME, ssh:[USER@]HOST[:PORT], one SSH connection
 * per host). Before anything starts, each host's ringside version and clock offset are checked;
 * all shards start at one wall-clock time; each shard streams its per-second interval records
 * back over its control connection (`bench --stream`), merged exactly as they arrive (the progress
 * line, `--hlog`, `dash --on`); the shards' results are merged exactly, with a per-host breakdown,
 * and a host that fails mid-run leaves the result partial, naming its shard.
 */
import { EventEmitter } from 'node:events';
import { parseExecutor } from '../../chaos/executors/parse.js';
import type { Executor } from '../../chaos/executors/types.js';
import { checkVersion, clockOffset, lastLine } from './host-ringside.js';
import { DEFAULT_PARALLEL, forEachHost, settleEach } from '../../chaos/fan-out.js';
import { RingsideError, usageError } from '../errors.js';
import { IntervalMerger } from '../probes/interval-merge.js';
import { mergeResults } from '../probes/merge.js';
import { parseStreamLine } from '../probes/stream.js';
import type { BenchResult, IntervalRecord } from '../probes/types.js';
import { parseDuration } from '../units.js';
import type { BenchRun } from '../probes/run.js';
import { openIntervalLog } from './interval-log.js';
import { benchLine, startProgressLine } from './progress.js';
import { parseStartAt } from './shard-flags.js';
import { OUTPUT_FLAGS, remoteCommandOf, withoutFlags } from './k8s-job.js';

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
  /** When the first shard's schedule starts. */
  onStart?: (startedAt: Date) => void;
  /** Every interval, merged over the shards (all running shards' records of one probe and tick). */
  onInterval?: (record: IntervalRecord) => void;
  /** Aborting it stops every shard (their control connections are closed). */
  signal?: AbortSignal;
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

/** The hosts checked and ready: `run()` starts every shard at one time and merges them. */
export interface PreparedHostsBench {
  run(): Promise<HostsBench>;
}

export async function benchOnHosts(o: HostsBenchOptions): Promise<HostsBench> {
  return (await prepareHostsBench(o)).run();
}

/** Checks every host's ringside version and clock (one line, exit 2, before anything starts). */
export async function prepareHostsBench(o: HostsBenchOptions): Promise<PreparedHostsBench> {
  const now = o.now ?? Date.now;
  const setupStart = now();
  const clocks = await forEachHost(o.on, DEFAULT_PARALLEL, async (executor) => {
    await checkVersion(executor, o.remoteCommand, o.version);
    const clock = await clockOffset(executor, now);
    if (Math.abs(clock.offsetMs) - clock.offsetErrorMs > o.maxSkewMs) {
      throw usageError(`the clock of ${executor.name} is ${Math.round(clock.offsetMs)} ms off this one's (more than --max-skew ${o.maxSkewMs}ms)`, 'synchronise the clocks (NTP) or raise --max-skew');
    }
    return clock;
  });
  const setupMs = now() - setupStart;
  return { run: () => runShards(o, clocks, setupMs) };
}

async function runShards(o: HostsBenchOptions, clocks: Array<{ offsetMs: number; offsetErrorMs: number }>, setupMs: number): Promise<HostsBench> {
  const now = o.now ?? Date.now;
  const n = o.on.length;
  // All shards start together: a margin of three times the slowest setup, at least 2 s.
  const startAtMs = o.startAtMs ?? now() + Math.max(2000, 3 * setupMs);
  const startAt = new Date(startAtMs).toISOString();
  const merger = new IntervalMerger(n, (record) => o.onInterval?.(record), (record) => Math.max(0, Math.round((record.startMs - startAtMs) / 1000)));
  let started = false;
  const settled = await settleEach(o.on, DEFAULT_PARALLEL, async (executor, i) => {
    const argv = [...o.remoteCommand, 'bench', ...o.args, '--shard', `${i}/${n}`, '--start-at', startAt, '--stream', '--quiet'];
    let result: BenchResult | undefined;
    let unusable: string | undefined;
    const onStdoutLine = (line: string): void => {
      if (line.trim() === '') return;
      const event = parseStreamLine(line, executor.name);
      if ('error' in event) unusable ??= event.error;
      else if (event.type === 'interval') merger.add(i, event.record);
      else if (event.type === 'result') result = event.result;
      else if (!started) {
        started = true;
        o.onStart?.(event.startedAt);
      }
    };
    try {
      const r = await executor.run(argv, { unprivileged: true, timeoutMs: startAtMs - now() + o.durationMs + 120_000, onStdoutLine, ...(o.signal ? { signal: o.signal } : {}) });
      if (r.code !== 0) throw new Error(lastLine(r.stderr) || `exit ${r.code}`);
      if (result === undefined) throw new Error(unusable ?? 'it printed no result');
      return result;
    } finally {
      merger.end(i);
    }
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
export function benchOnHostsFromFlags(argv: readonly string[], flags: HostsFlagValues, version: string, events: Pick<HostsBenchOptions, 'onStart' | 'onInterval' | 'signal'> = {}): Promise<HostsBench> {
  if (flags.shard !== undefined) throw usageError('--shard does not go with --on', 'each host takes its own shard');
  const args = withoutFlags(argv, { '--on': true, '--ssh-option': true, '--remote-command': true, '--max-skew': true, '--start-at': true, '--hlog': true, ...OUTPUT_FLAGS });
  return benchOnHosts({ ...hostsOptions(flags, version, args), ...events });
}

/** The options every `--on` command shares, the shards' bench arguments given. */
export function hostsOptions(flags: Pick<HostsFlagValues, 'on' | 'ssh-option' | 'remote-command' | 'max-skew' | 'start-at' | 'duration'>, version: string, args: string[]): HostsBenchOptions {
  const names = flags.on ?? [];
  if (new Set(names).size !== names.length) throw usageError('a host is given twice in --on');
  return {
    on: names.map((n) => parseExecutor(n, { sshOptions: flags['ssh-option'] ?? [] })),
    args,
    remoteCommand: remoteCommandOf(flags['remote-command'], ['ringside']),
    version,
    maxSkewMs: parseDuration(flags['max-skew'], 'max-skew'),
    durationMs: parseDuration(flags.duration, 'duration'),
    ...(flags['start-at'] !== undefined ? { startAtMs: parseStartAt(flags['start-at']) } : {}),
  };
}

/**
 * `bench --on` as the command runs it: the merged seconds drive the progress line (in a terminal)
 * and `--hlog`, as a local run's events do.
 */
export async function benchOnHostsWithOutput(argv: readonly string[], flags: HostsFlagValues & { json: boolean; quiet: boolean; output?: string }, version: string): Promise<HostsBench> {
  const emitter = new EventEmitter();
  const feed = emitter as unknown as Pick<BenchRun, 'on'>;
  const hlog = flags.hlog === undefined ? undefined : openIntervalLog(flags.hlog);
  hlog?.follow(feed);
  const progress = startProgressLine(benchLine(feed, parseDuration(flags.duration, 'duration')), { json: flags.json || flags.output === '-', quiet: flags.quiet });
  try {
    return await benchOnHostsFromFlags(argv, flags, version, {
      onStart: (startedAt) => emitter.emit('start', { startedAt }),
      onInterval: (record) => emitter.emit('interval', record),
    });
  } finally {
    progress.close();
    hlog?.close();
  }
}

/** One line per host: `ssh:h: shard 0/3, clock +1.2 ms (±0.4), 1000 responses`. */
export function renderHostShard(h: HostShard): string {
  return `${h.on}: shard ${h.shard}, clock ${h.offsetMs >= 0 ? '+' : ''}${h.offsetMs} ms (±${h.offsetErrorMs}), ${h.error === undefined ? `${h.count} responses` : `failed: ${h.error}`}`;
}
