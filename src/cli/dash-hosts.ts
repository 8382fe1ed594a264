import { EventEmitter } from 'node:events';
import type { LatencySource } from '../../dashboards/feeds.js';
import type { BenchConfig, IntervalRecord } from '../probes/types.js';
import { type HostsFlagValues, hostsOptions, prepareHostsBench } from './bench-hosts.js';

/**
 * `dash --target ... --on HOST...`: the dashboard's probe as shards on the hosts, their intervals
 * merged as they arrive into the latency pane. The hosts are checked before this returns (so a bad
 * host is one line before the screen opens); `stop()` closes every shard's control connection.
 */
export async function hostsLatencySource(config: BenchConfig, flags: Pick<HostsFlagValues, 'on' | 'ssh-option' | 'remote-command' | 'max-skew'>, version: string): Promise<LatencySource> {
  const args = ['--target', config.target, '--rate', String(config.rate), '--duration', `${Math.round(config.durationMs / 1000)}s`, ...config.probes.flatMap((p) => ['--probe', p]), '--connections', String(config.connections), '--keys', String(config.keys.length), '--workers', String(config.workers ?? 1)];
  const emitter = new EventEmitter();
  const abort = new AbortController();
  const options = { ...hostsOptions({ ...flags, duration: `${config.durationMs}ms` }, version, args), onInterval: (record: IntervalRecord) => emitter.emit('interval', record), signal: abort.signal };
  const prepared = await prepareHostsBench(options);
  // Ends with the dashboard: a run that fails or is stopped has nothing more to show.
  prepared.run().catch(() => undefined);
  return { feed: emitter as unknown as LatencySource['feed'], stop: () => abort.abort() };
}
