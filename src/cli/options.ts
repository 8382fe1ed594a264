/** From parsed flags to the library's option objects (the only place that knows flag names). */
import type { LiveSourceOptions } from '../cluster/live.js';
import type { SourceOptions } from '../cluster/source.js';
import { parseDuration } from '../units.js';
import type { ClusterRingOptions } from '../cluster/cluster-ring.js';
import type { RingFlagValues, SourceFlagValues } from './flags.js';

export function liveOptions(flags: SourceFlagValues): LiveSourceOptions {
  return {
    join: flags.join ?? [],
    protocol: flags.protocol ?? 'serf',
    mode: flags.mode ?? 'passive',
    timeoutMs: parseDuration(flags.timeout ?? '5s', 'timeout'),
    intervalMs: parseDuration(flags.interval ?? '1s', 'interval'),
    ...(flags['encrypt-key'] !== undefined ? { encryptKey: flags['encrypt-key'] } : {}),
    ...(flags['keyring-file'] !== undefined ? { keyringFile: flags['keyring-file'] } : {}),
    ...(flags.bind !== undefined ? { bind: flags.bind } : {}),
    ...(flags.advertise !== undefined ? { advertise: flags.advertise } : {}),
    ...(flags['gossip-label'] !== undefined ? { label: flags['gossip-label'] } : {}),
  };
}

export function sourceOptions(flags: SourceFlagValues): SourceOptions {
  return {
    ...(flags.members !== undefined ? { membersFile: flags.members } : {}),
    ...(flags.snapshot !== undefined ? { snapshotFile: flags.snapshot } : {}),
    ...(flags.join !== undefined && flags.join.length > 0 ? { live: liveOptions(flags) } : {}),
  };
}

export function clusterRingOptions(flags: RingFlagValues & SourceFlagValues): ClusterRingOptions {
  const options: ClusterRingOptions = { algorithm: flags.ring };
  if (flags.hash !== undefined) options.hash = flags.hash;
  if (flags.vnodes !== undefined) options.vnodes = flags.vnodes;
  if (flags['table-size'] !== undefined) options.tableSize = flags['table-size'];
  if (flags['num-tokens'] !== undefined) options.numTokens = flags['num-tokens'];
  if (flags.samples !== undefined) options.samples = flags.samples;
  if (flags['node-key'] !== undefined) options.nodeKey = flags['node-key'];
  if (flags['weight-tag'] !== undefined) options.weightTag = flags['weight-tag'];
  if (flags.filter !== undefined) options.filters = flags.filter;
  return options;
}
