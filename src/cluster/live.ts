/**
 * Live cluster sources: `--join HOST:PORT...` with `--protocol` and `--mode` become an observer
 * (src/protocols/serf), and a one-shot command gets a snapshot of what it saw.
 */
import { networkInterfaces } from 'node:os';
import { usageError } from '../errors.js';
import { keyringFrom } from '../protocols/memberlist/keys.js';
import { MemberObserver } from '../protocols/serf/member-observer.js';
import { PassiveObserver } from '../protocols/serf/passive-observer.js';
import { RingpopObserver } from '../protocols/ringpop/observer.js';
import { type HostPort, parseHostPort } from './member.js';
import type { ClusterObserver } from './observer.js';
import { createSnapshot, type MembershipSnapshot } from './snapshot.js';

export const LIVE_PROTOCOLS = ['serf', 'memberlist', 'ringpop'] as const;
export const OBSERVE_MODES = ['passive', 'member'] as const;

export interface LiveSourceOptions {
  join: readonly string[];
  protocol: string;
  mode: string;
  encryptKey?: string;
  keyringFile?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  intervalMs: number;
  /** member mode: where to listen, HOST:PORT (default: 127.0.0.1:0 for loopback seeds, else 0.0.0.0:0). */
  bind?: string;
  /** member mode: the IP address members reach us at. */
  advertise?: string;
  /** memberlist >= 0.3.0 gossip label. */
  label?: string;
}

function parseSeeds(join: readonly string[]): HostPort[] {
  return join.map((text) => {
    const seed = parseHostPort(text);
    if (!seed) throw usageError(`--join ${text} is not HOST:PORT`, 'give a gossip address such as 10.0.0.1:7946');
    return seed;
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}

/** The first non-internal IPv4 address, for members to reach a member-mode observer. */
function defaultAdvertise(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw usageError('cannot tell which address members can reach this host at', 'give --advertise IP');
}

export async function createObserver(options: LiveSourceOptions): Promise<ClusterObserver> {
  const seeds = parseSeeds(options.join);
  if (seeds.length === 0) throw usageError('no seeds given', 'pass --join HOST:PORT');
  if (!(LIVE_PROTOCOLS as readonly string[]).includes(options.protocol)) throw usageError(`--protocol ${options.protocol} is not supported here`, `use ${LIVE_PROTOCOLS.join(' or ')}`);
  if (!(OBSERVE_MODES as readonly string[]).includes(options.mode)) throw usageError(`--mode ${options.mode} is not passive or member`);
  if (options.protocol === 'ringpop') return createRingpopObserver(seeds, options);
  const keyring = await keyringFrom({ ...(options.encryptKey !== undefined ? { encryptKey: options.encryptKey } : {}), ...(options.keyringFile !== undefined ? { keyringFile: options.keyringFile } : {}), ...(options.env ? { env: options.env } : {}) });
  const gossip = {
    flavour: options.protocol as 'serf' | 'memberlist',
    timeoutMs: options.timeoutMs,
    ...(keyring ? { keyring } : {}),
    ...(options.label ? { label: options.label } : {}),
  };
  if (options.mode === 'passive') return new PassiveObserver({ ...gossip, seeds, intervalMs: options.intervalMs });
  const loopback = seeds.every((s) => isLoopback(s.host));
  const bind = options.bind !== undefined ? parseBind(options.bind) : { host: loopback ? '127.0.0.1' : '0.0.0.0', port: 0 };
  if (!bind) throw usageError(`--bind ${options.bind} is not HOST:PORT`);
  const advertise = options.advertise ?? (bind.host === '0.0.0.0' || bind.host === '::' ? defaultAdvertise() : bind.host);
  return new MemberObserver({ ...gossip, seeds, bind, advertise });
}

/** `HOST:PORT`, where port 0 (or no port) picks a free one. */
function parseBind(text: string): HostPort | undefined {
  if (!/:\d+$/.test(text) || /^\[[^\]]*\]$/.test(text)) return parseHostPort(`${text}:1`) && { host: text.replace(/^\[|\]$/g, ''), port: 0 };
  const zero = /:0+$/.test(text);
  const hp = parseHostPort(zero ? text.replace(/:0+$/, ':1') : text);
  return hp && (zero ? { ...hp, port: 0 } : hp);
}

/**
 * Ringpop is observed passively only: a ringpop member owns a share of the keys, so an observer
 * that joined would take traffic away from the cluster. Gossip encryption does not exist there.
 */
function createRingpopObserver(seeds: HostPort[], options: LiveSourceOptions): ClusterObserver {
  if (options.mode === 'member') throw usageError('--mode member is refused for ringpop: every ringpop member owns part of the hash ring, so a joined observer would take keys and traffic', 'drop --mode member; ringpop is always observed passively');
  const meaningless = [
    options.encryptKey !== undefined ? '--encrypt-key' : '',
    options.keyringFile !== undefined ? '--keyring-file' : '',
    options.label !== undefined ? '--gossip-label' : '',
    options.bind !== undefined ? '--bind' : '',
    options.advertise !== undefined ? '--advertise' : '',
  ].filter(Boolean);
  if (meaningless.length > 0) throw usageError(`${meaningless.join(', ')} ${meaningless.length === 1 ? 'does' : 'do'} not apply to ringpop: TChannel has no gossip encryption or labels, and the observer never listens`, `drop ${meaningless.join(', ')}`);
  return new RingpopObserver({ seeds, timeoutMs: options.timeoutMs, intervalMs: options.intervalMs });
}

/**
 * Starts the observer, runs `use`, and stops it: always, and also on Ctrl-C or SIGTERM, so a
 * member-mode observer leaves gracefully instead of being recorded as failed.
 */
export async function withObserver<T>(observer: ClusterObserver, use: (observer: ClusterObserver) => Promise<T> | T): Promise<T> {
  let interruptions = 0;
  // The first Ctrl-C leaves gracefully and exits 130; a second one exits at once.
  const interrupted = (): void => {
    if (interruptions++ > 0) process.exit(130);
    void observer.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  try {
    await observer.start();
    return await use(observer);
  } finally {
    await observer.stop();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/** Observes until the first complete membership, then stops (a member leaves gracefully). */
export async function observeOnce(options: LiveSourceOptions): Promise<MembershipSnapshot> {
  return withObserver(await createObserver(options), snapshotOf);
}

export function snapshotOf(observer: ClusterObserver): MembershipSnapshot {
  const fidelity = observer instanceof RingpopObserver ? observer.fidelity() : undefined;
  return createSnapshot(
    { protocol: observer.protocol, mode: observer.mode, seeds: [...observer.seeds], observedAt: new Date().toISOString(), source: 'live', ...(fidelity ? { ringFidelity: fidelity } : {}) },
    observer.members(),
  );
}
