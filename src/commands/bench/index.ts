import { writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { RingsideCommand, toJson } from '../../cli/base-command.js';
import { benchOnHostsWithOutput, renderHostShard } from '../../cli/bench-hosts.js';
import { benchConfig, checkBenchFlags } from '../../cli/bench-options.js';
import { benchLine, quietFlag, startProgressLine } from '../../cli/progress.js';
import { ringFlags, sourceFlags } from '../../cli/flags.js';
import { RingsideError, usageError } from '../../errors.js';
import { openIntervalLog } from '../../cli/interval-log.js';
import { benchJobFromFlags } from '../../cli/k8s-job.js';
import { startBench } from '../../probes/run.js';
import { intervalLine, resultLine, startLine } from '../../probes/stream.js';
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
    stream: Flags.boolean({ description: 'stdout: NDJSON while it runs (start, one line per probe per second with its histogram, the result last); what --on reads from its shards' }),
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
    if (flags.emit === 'k8s-job') {
      const job = benchJobFromFlags(this.argv, flags, this.config.version);
      const { stringify } = await import('yaml');
      process.stdout.write(flags.json ? `${JSON.stringify(job, null, 2)}\n` : stringify(job, { aliasDuplicateObjects: false }));
      return job;
    }
    if (flags.stream && (flags.json || flags.output === '-' || flags.on !== undefined)) throw usageError('--stream prints its own JSON lines', 'use it without --json, -o - and --on');
    if (flags.on !== undefined) {
      await checkBenchFlags(flags);
      const { result, hosts } = await benchOnHostsWithOutput(this.argv, flags, this.config.version);
      for (const h of hosts) if (h.error !== undefined) process.stderr.write(`ringside: warning: partial: ${h.on} (shard ${h.shard}) failed: ${h.error}\n`);
      if (flags.output !== undefined && flags.output !== '-') writeFileSync(flags.output, `${toJson(result)}\n`);
      const unreachable = unreachableReason(result);
      if (unreachable !== undefined) throw new RingsideError('RS_UNREACHABLE', `from every host: ${unreachable}`, 'check the address and that the service is up from those hosts');
      return this.output(result, flags.json || flags.output === '-', (r) => [renderBenchSummary(r), '', ...hosts.map(renderHostShard)].join('\n'));
    }
    const config = await benchConfig(flags);
    const hlog = flags.hlog === undefined ? undefined : openIntervalLog(flags.hlog);
    const run = startBench(config);
    hlog?.follow(run);
    if (flags.stream) {
      // A shard's stream: its controller reads it as it comes (bench --on).
      run.on('start', ({ startedAt }) => process.stdout.write(`${startLine(startedAt)}\n`));
      run.on('interval', (r) => process.stdout.write(`${intervalLine(r)}\n`));
    }
    const progress = startProgressLine(benchLine(run, config.durationMs), { json: flags.json || flags.stream, quiet: flags.quiet });
    const stop = (): void => run.stop();
    process.once('SIGINT', stop).once('SIGTERM', stop);
    try {
      const result = await run.done;
      progress.close();
      if (flags.output !== undefined && flags.output !== '-') writeFileSync(flags.output, `${toJson(result)}\n`);
      if (flags.stream) {
        // A shard reports what it got, unreachable or not: its controller judges the merged run.
        process.stdout.write(`${resultLine(result)}\n`);
        return result;
      }
      const unreachable = unreachableReason(result);
      if (unreachable !== undefined) throw new RingsideError('RS_UNREACHABLE', unreachable, 'check the address and that the service is up');
      // `-o -`: the result JSON on stdout instead of the summary (a shard's pod, a pipe).
      return this.output(result, flags.json || flags.output === '-', renderBenchSummary);
    } finally {
      progress.close();
      process.off('SIGINT', stop).off('SIGTERM', stop);
      hlog?.close();
    }
  }
}
