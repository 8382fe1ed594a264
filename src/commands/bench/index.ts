import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { RingsideCommand, toJson } from '../../cli/base-command.js';
import { benchOnHosts } from '../../cli/bench-hosts.js';
import { benchConfig, parseStartAt } from '../../cli/bench-options.js';
import { parseExecutor } from '../../../chaos/executors/parse.js';
import { parseDuration } from '../../units.js';
import { benchLine, quietFlag, startProgressLine } from '../../cli/progress.js';
import { ringFlags, sourceFlags } from '../../cli/flags.js';
import { fileError, RingsideError, usageError } from '../../errors.js';
import { benchJob, withoutFlags } from '../../cli/k8s-job.js';
import { hlogHeader, hlogLine, HLOG_TAG_PREFIX } from '../../probes/hlog.js';
import { startBench } from '../../probes/run.js';
import { renderBenchSummary, unreachableReason } from '../../probes/summary.js';
import { PROBES, type BenchResult } from '../../probes/types.js';

export default class Bench extends RingsideCommand {
  static override summary = 'Measure first-connection, warm and routing latency (open loop, HDR histograms)';
  static override usage = 'bench --target URL_TEMPLATE --rate R --duration D [--probe first-connection|warm|routing]... [--hlog FILE] [-o FILE]';
  static override examples = [
    '<%= config.bin %> bench --target http://127.0.0.1:8080/kv/{key} --rate 500 --duration 30s --probe first-connection --probe warm',
    '<%= config.bin %> bench --target http://{host}:{port}/kv/{key} --probe routing --port-tag http_port --join 10.0.0.5:7946 --rate 200 --duration 1m --hlog run.hlog -o run.json',
  ];

  static override flags = {
    ...sourceFlags,
    ...ringFlags,
    target: Flags.string({ helpValue: 'URL_TEMPLATE', required: true, description: 'URL with {host}, {port} (routing: from the member) and {key}' }),
    rate: Flags.string({ helpValue: 'R', required: true, description: 'requests per second per probe (open loop); 0 or max: as fast as possible, closed loop' }),
    duration: Flags.string({ helpValue: 'D', default: '10s', description: 'how long each probe sends' }),
    probe: Flags.string({ helpValue: PROBES.join('|'), multiple: true, description: 'probes to run side by side (default warm)' }),
    connections: Flags.integer({ helpValue: 'C', min: 1, default: 10, description: 'keep-alive connections (routing: per member); the concurrency at rate 0' }),
    keys: Flags.integer({ helpValue: 'N', min: 1, default: 1000, description: 'key set key-0..key-N-1' }),
    'keys-file': Flags.string({ helpValue: 'FILE', description: 'key set, one key per line' }),
    'fresh-keys': Flags.boolean({ default: true, allowNo: true, description: 'first-connection: a never-used key per request (--no-fresh-keys: from the key set)' }),
    workers: Flags.integer({ helpValue: 'N', min: 1, description: 'worker threads (default: cores, at most --connections)' }),
    'request-timeout': Flags.string({ helpValue: 'DURATION', default: '5s', description: 'no complete answer after this long counts as a timeout' }),
    'port-tag': Flags.string({ helpValue: 'NAME', description: 'routing: the member tag holding the HTTP port for {port}' }),
    insecure: Flags.boolean({ description: 'https: accept certificates that do not verify' }),
    shard: Flags.string({ helpValue: 'i/N', description: 'send shard i of N of the one schedule at --rate (requests i, i+N, ...); bench merge adds the shards' }),
    'start-at': Flags.string({ helpValue: 'TIME', description: 'start the schedule at this wall-clock time (ISO 8601 with zone, or epoch ms): the same on every shard' }),
    hlog: Flags.string({ helpValue: 'FILE', description: 'write an HdrHistogram interval log (tags probe=<name>)' }),
    output: Flags.string({ char: 'o', helpValue: 'FILE', description: 'write the result JSON here too (-: on stdout, instead of the summary)' }),
    quiet: quietFlag,
    on: Flags.string({ helpValue: 'local|netns:NAME|ssh:[USER@]HOST[:PORT]', multiple: true, description: 'run one shard on each of these hosts (their ringside) and merge the results' }),
    'ssh-option': Flags.string({ helpValue: 'NAME=VALUE', multiple: true, description: 'extra ssh -o option for ssh: hosts' }),
    'max-skew': Flags.string({ helpValue: 'D', default: '50ms', description: '--on: refuse to start when a host clock is further off than this' }),
    emit: Flags.string({ helpValue: 'k8s-job', options: ['k8s-job'], description: 'print a Kubernetes Indexed Job whose pods run the shards (--parallelism N) instead of running here' }),
    parallelism: Flags.integer({ helpValue: 'N', min: 1, default: 1, description: '--emit k8s-job: pods, one shard each' }),
    image: Flags.string({ helpValue: 'IMAGE', default: 'node:22-slim', description: '--emit k8s-job: the pods\' image' }),
    'remote-command': Flags.string({ helpValue: 'COMMAND', description: 'what starts ringside on the hosts (--on; default ringside) or in the image (--emit k8s-job; default npx --yes ringside@VERSION); words split on spaces' }),
  };

  async run(): Promise<BenchResult | Record<string, unknown>> {
    const { flags } = await this.parse(Bench);
    if (flags.emit === 'k8s-job') return emitJob.call(this, flags);
    if (flags.on !== undefined) return onHosts.call(this, flags);
    const config = await benchConfig(flags);
    const hlog = flags.hlog === undefined ? undefined : openFile(flags.hlog);
    const run = startBench(config);
    let baseSec = 0;
    run.on('start', ({ startedAt }) => {
      baseSec = startedAt.getTime() / 1000;
      if (hlog !== undefined) writeSync(hlog, hlogHeader({ startTimeSec: baseSec }));
    });
    run.on('interval', (r) => {
      if (hlog !== undefined) writeSync(hlog, hlogLine(baseSec, { tag: `${HLOG_TAG_PREFIX}${r.probe}`, startSec: r.startMs / 1000, endSec: r.endMs / 1000, histogram: r.histogram }));
    });
    const progress = startProgressLine(benchLine(run, config.durationMs), { json: flags.json, quiet: flags.quiet });
    const stop = (): void => run.stop();
    process.once('SIGINT', stop).once('SIGTERM', stop);
    try {
      const result = await run.done;
      progress.close();
      if (flags.output !== undefined && flags.output !== '-') writeFileSync(flags.output, `${toJson(result)}\n`);
      const unreachable = unreachableReason(result);
      if (unreachable !== undefined) throw new RingsideError('RS_UNREACHABLE', unreachable, 'check the address and that the service is up');
      // `-o -`: the result JSON on stdout instead of the summary (a shard's pod, a pipe).
      return this.output(result, flags.json || flags.output === '-', renderBenchSummary);
    } finally {
      progress.close();
      process.off('SIGINT', stop).off('SIGTERM', stop);
      if (hlog !== undefined) closeSync(hlog);
    }
  }
}

/** `--on HOST...`: one shard per host, run by the ringside there, merged here. */
async function onHosts(this: Bench, flags: { on?: string[]; 'ssh-option'?: string[]; 'remote-command'?: string; 'max-skew': string; 'start-at'?: string; shard?: string; hlog?: string; output?: string; duration: string; json: boolean }): Promise<BenchResult> {
  if (flags.shard !== undefined) throw usageError('--shard does not go with --on', 'each host takes its own shard');
  if (flags.hlog !== undefined) throw usageError('--hlog does not go with --on yet', 'write -o FILE (the merged result), or run the shards yourself with --shard and --hlog on each host');
  // Bad flags are refused here, once, rather than by every host.
  if (!((flags as { probe?: string[] }).probe ?? []).includes('routing')) await benchConfig(flags as unknown as Parameters<typeof benchConfig>[0]);
  const names = flags.on ?? [];
  if (new Set(names).size !== names.length) throw usageError('a host is given twice in --on');
  const on = names.map((n) => parseExecutor(n, { sshOptions: flags['ssh-option'] ?? [] }));
  const args = withoutFlags(this.argv, { '--on': true, '--ssh-option': true, '--remote-command': true, '--max-skew': true, '--start-at': true, '--json': false, '--quiet': false, '--output': true, '-o': true });
  const { result, hosts } = await benchOnHosts({
    on,
    args,
    remoteCommand: (flags['remote-command'] ?? 'ringside').split(/\s+/).filter(Boolean),
    version: this.config.version,
    maxSkewMs: parseDuration(flags['max-skew'], 'max-skew'),
    durationMs: parseDuration(flags.duration, 'duration'),
    ...(flags['start-at'] !== undefined ? { startAtMs: parseStartAt(flags['start-at']) } : {}),
  });
  for (const h of hosts) if (h.error !== undefined) process.stderr.write(`ringside: warning: partial: ${h.on} (shard ${h.shard}) failed: ${h.error}\n`);
  if (flags.output !== undefined && flags.output !== '-') writeFileSync(flags.output, `${toJson(result)}\n`);
  return this.output(result, flags.json || flags.output === '-', (r) => [renderBenchSummary(r), '', ...hosts.map((h) => `${h.on}: shard ${h.shard}, clock ${h.offsetMs >= 0 ? '+' : ''}${h.offsetMs} ms (±${h.offsetErrorMs}), ${h.error === undefined ? `${h.count} responses` : `failed: ${h.error}`}`)].join('\n'));
}

/** `--emit k8s-job`: the same bench as an Indexed Job of --parallelism shards, printed as YAML. */
async function emitJob(this: Bench, flags: { parallelism: number; image: string; 'remote-command'?: string; 'start-at'?: string; shard?: string; 'keys-file'?: string; hlog?: string; output?: string; json: boolean }): Promise<Record<string, unknown>> {
  if (flags.shard !== undefined) throw usageError('--shard does not go with --emit k8s-job', 'each pod takes its own shard of --parallelism');
  for (const local of ['keys-file', 'hlog', 'output'] as const) {
    if (flags[local] !== undefined && !(local === 'output' && flags[local] === '-')) throw usageError(`--${local} names a file on this machine, which the pods do not have`, 'leave it out: each pod prints its result as JSON (collect them with kubectl logs, then bench merge)');
  }
  // Pods take time to be scheduled and to start: a minute unless told.
  const startAt = flags['start-at'] !== undefined ? parseStartAt(flags['start-at']) : Date.now() + 60_000;
  const args = [
    ...withoutFlags(this.argv, { '--emit': true, '--parallelism': true, '--image': true, '--remote-command': true, '--start-at': true, '--json': false, '--quiet': false, '--output': true, '-o': true }),
    '--shard', `$(JOB_COMPLETION_INDEX)/${flags.parallelism}`,
    '--start-at', new Date(startAt).toISOString(),
    '-o', '-',
    '--quiet',
  ];
  const command = flags['remote-command'] !== undefined ? flags['remote-command'].split(/\s+/).filter(Boolean) : ['npx', '--yes', `ringside@${this.config.version}`];
  const job = benchJob({ name: `ringside-bench-${Math.floor(startAt / 1000)}`, shards: flags.parallelism, image: flags.image, command, args: ['bench', ...args] });
  const { stringify } = await import('yaml');
  process.stdout.write(flags.json ? `${JSON.stringify(job, null, 2)}\n` : stringify(job, { aliasDuplicateObjects: false }));
  return job;
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw fileError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the directory exists and is writable', error);
  }
}
