/** Flags every chaos command shares (CLI.md `chaos …`), and flags -> library options. */
import { Flags } from '@oclif/core';
import type { ApplyOptions } from '../../chaos/apply.js';
import { parseExecutor } from '../../chaos/executors/parse.js';
import type { Executor } from '../../chaos/executors/types.js';
import { DEFAULT_GOSSIP_PORT, GOSSIP_PRESETS, type GossipPreset, PROTOCOLS, type Target, parseCidr, parseDestination, parsePort, parseProtocol } from '../../chaos/faults/match.js';
import { usageError } from '../errors.js';
import { parseDuration } from '../units.js';

export const targetHostFlags = {
  on: Flags.string({ helpValue: 'local|netns:NAME|ssh:[USER@]HOST[:PORT]', multiple: true, description: 'where the rules go (repeatable; default local)' }),
  'ssh-option': Flags.string({ helpValue: 'NAME=VALUE', multiple: true, description: 'extra ssh -o option for ssh: targets (IdentityFile=..., UserKnownHostsFile=...)' }),
  journal: Flags.string({ helpValue: 'DIR', description: 'local journal directory (default $RINGSIDE_STATE_DIR/chaos or ~/.local/state/ringside/chaos)' }),
  'host-journal': Flags.string({ helpValue: 'DIR', description: 'journal directory on each host (default /run/ringside/chaos)' }),
  parallel: Flags.integer({ helpValue: 'N', default: 32, min: 1, description: 'hosts worked on at once (checks, apply, heal, recover)' }),
};

export const faultFlags = {
  ...targetHostFlags,
  'dry-run': Flags.boolean({ description: 'print the exact commands per host and change nothing' }),
  duration: Flags.string({ helpValue: 'D', description: 'revert after D (default: hold until Ctrl-C)' }),
  detach: Flags.boolean({ description: 'leave the fault in place (journaled) for chaos heal; with --duration the hosts revert it at D' }),
  grace: Flags.string({ helpValue: 'D', default: '30s', description: "the hosts' dead-man timers revert at --duration + grace even if ringside is gone" }),
  deadman: Flags.string({ helpValue: 'D', description: 'revert on the hosts after D whatever happens (default --duration + --grace; 1h without --duration)' }),
  id: Flags.string({ helpValue: 'ID', description: 'fault id (default random); re-applying the same id is idempotent' }),
  emit: Flags.string({ helpValue: 'k8s-job', options: ['k8s-job'], description: 'print Kubernetes Jobs that run this fault on --nodes (privileged, host network) instead of applying it' }),
  nodes: Flags.string({ helpValue: 'NODE,...', description: '--emit k8s-job: the Kubernetes nodes to run the fault on, one Job each' }),
  image: Flags.string({ helpValue: 'IMAGE', description: '--emit k8s-job: an image with Node, iptables (or nft) and iproute2' }),
  'remote-command': Flags.string({ helpValue: 'COMMAND', description: '--emit k8s-job: what starts ringside in the image (default npx --yes ringside@VERSION)' }),
  firewall: Flags.string({ helpValue: 'auto|iptables|nft', default: 'auto', options: ['auto', 'iptables', 'nft'], description: "rules for partitions and iptables loss: iptables (ip6tables for IPv6) where it works, else nft's own table inet ringside" }),
};

export const matchFlags = {
  to: Flags.string({ helpValue: 'HOST[:PORT]|CIDR', multiple: true, description: 'only traffic with these hosts (IPv4 or IPv6 addresses or CIDRs; [IPV6]:PORT)' }),
  port: Flags.string({ helpValue: 'PORT|LOW:HIGH', multiple: true, description: "only traffic to this port (the receiving side's port)" }),
  protocol: Flags.string({ helpValue: PROTOCOLS.join('|'), default: 'all', description: 'only this protocol' }),
  gossip: Flags.string({ helpValue: GOSSIP_PRESETS.join('|'), description: "preset: memberlist's UDP probes/gossip or its TCP push-pull on --gossip-port" }),
  'gossip-port': Flags.integer({ helpValue: 'PORT', default: DEFAULT_GOSSIP_PORT, description: 'the gossip port for --gossip (Serf 7946, Consul LAN 8301)' }),
};

export interface FaultFlagValues {
  on?: string[];
  parallel?: number;
  'ssh-option'?: string[];
  journal?: string;
  'host-journal'?: string;
  'dry-run'?: boolean;
  duration?: string;
  detach?: boolean;
  grace?: string;
  deadman?: string;
  id?: string;
  firewall?: string;
  emit?: string;
  nodes?: string;
  image?: string;
  'remote-command'?: string;
}

export interface MatchFlagValues {
  to?: string[];
  port?: string[];
  protocol?: string;
  gossip?: string;
  'gossip-port'?: number;
}

export function executorsFrom(flags: Pick<FaultFlagValues, 'on' | 'ssh-option'>): Executor[] {
  const names = flags.on && flags.on.length > 0 ? flags.on : ['local'];
  if (new Set(names).size !== names.length) throw usageError('a target is given twice in --on');
  return names.map((n) => parseExecutor(n, { sshOptions: flags['ssh-option'] ?? [] }));
}

export function targetFrom(flags: MatchFlagValues): Target {
  const hosts: string[] = [];
  const ports = (flags.port ?? []).map((p) => parsePort(p));
  for (const text of flags.to ?? []) {
    const d = parseDestination(text);
    hosts.push(d.host);
    if (d.port !== undefined && !ports.includes(d.port)) ports.push(d.port);
  }
  let protocol = parseProtocol(flags.protocol ?? 'all');
  if (flags.gossip !== undefined) {
    if (!(GOSSIP_PRESETS as readonly string[]).includes(flags.gossip)) throw usageError(`--gossip ${flags.gossip} is not one of ${GOSSIP_PRESETS.join(', ')}`);
    protocol = flags.gossip as GossipPreset;
    const gp = String(flags['gossip-port'] ?? DEFAULT_GOSSIP_PORT);
    if (!ports.includes(gp)) ports.push(parsePort(gp, 'gossip-port'));
  }
  return { hosts, ports, protocol };
}

export function hostList(text: string, flag: string): string[] {
  const hosts = text.split(',').map((h) => h.trim()).filter((h) => h !== '');
  if (hosts.length === 0) throw usageError(`--${flag} is empty`, 'give comma-separated IPv4 or IPv6 addresses');
  return hosts.map((h) => parseCidr(h, flag));
}

export function percentFlag(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.replace(/%$/, ''));
  if (!/^\d+(\.\d+)?%?$/.test(text) || value > 100) throw usageError(`--${flag} ${text} is not a percentage`, 'give a number from 0 to 100, e.g. 80 or 12.5%');
  return value;
}

export function applyOptionsFrom(flags: FaultFlagValues): Omit<ApplyOptions, 'spec'> {
  if (flags.detach && flags['dry-run']) throw usageError('--detach and --dry-run exclude each other');
  return {
    on: executorsFrom(flags),
    sshOptions: flags['ssh-option'] ?? [],
    ...(flags.id !== undefined ? { id: flags.id } : {}),
    ...(flags.firewall === 'iptables' || flags.firewall === 'nft' ? { firewall: flags.firewall } : {}),
    ...(flags.parallel !== undefined ? { parallel: flags.parallel } : {}),
    ...(flags.duration !== undefined ? { durationMs: parseDuration(flags.duration, 'duration') } : {}),
    graceMs: parseDuration(flags.grace ?? '30s', 'grace'),
    ...(flags.deadman !== undefined ? { deadmanMs: parseDuration(flags.deadman, 'deadman') } : {}),
    detach: flags.detach ?? false,
    dryRun: flags['dry-run'] ?? false,
    ...(flags.journal !== undefined ? { journalDir: flags.journal } : {}),
    ...(flags['host-journal'] !== undefined ? { hostJournalDir: flags['host-journal'] } : {}),
  };
}
