/** What a user asks for (one fault), before it is planned for a host. Pure data. */
import type { Spare, Target } from './match.js';
import type { NetemParams } from './netem.js';
import type { Cut } from './topology.js';

export type Direction = 'in' | 'out' | 'both';

export interface LossSpec {
  kind: 'loss';
  percent: number;
  correlationPct?: number;
  /** tc netem (egress) or iptables `statistic` (either direction). */
  via: 'tc' | 'iptables';
  target: Target;
  /** iptables only: drop what this host sends (out), receives (in), or both. */
  direction: Direction;
  dev?: string;
}

export interface NetemSpec {
  kind: 'delay' | 'duplicate' | 'reorder' | 'corrupt';
  netem: NetemParams;
  target: Target;
  dev?: string;
}

export interface BandwidthSpec {
  kind: 'bandwidth';
  rateBytesPerS: number;
  burstBytes?: number;
  latencyMs?: number;
  dev?: string;
  /** Traffic never limited, besides the executor's control connection (always spared). */
  spare?: Spare[];
}

export interface PartitionSpec {
  kind: 'partition';
  cuts: Cut[];
  /** Which traffic the cuts drop (default all). */
  target: Omit<Target, 'hosts'>;
  /** How the cuts were made, for people: `halves of 10.0.0.1,...`. */
  description: string;
}

export type FaultSpec = LossSpec | NetemSpec | BandwidthSpec | PartitionSpec;

/** The device a tc fault needs on a host (undefined: the host's default-route device). */
export function deviceOf(spec: FaultSpec): string | undefined {
  return spec.kind === 'partition' || (spec.kind === 'loss' && spec.via === 'iptables') ? undefined : spec.dev;
}

/** True when the spec shapes traffic with tc (it then needs a device and qdisc kinds). */
export function usesTc(spec: FaultSpec): boolean {
  return spec.kind !== 'partition' && !(spec.kind === 'loss' && spec.via === 'iptables');
}

/** True when the spec writes packet filter rules (iptables, or nft on a host without it). */
export function usesFilter(spec: FaultSpec): boolean {
  return spec.kind === 'partition' || (spec.kind === 'loss' && spec.via === 'iptables');
}
