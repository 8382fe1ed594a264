/**
 * A scenario's fault entries -> fault specs (pure): host names become addresses, and the members a
 * fault affects (for the per-member metrics) are worked out unless the phase names them.
 */
import { usageError } from '../../src/errors.js';
import { parseDuration, parseSize } from '../../src/units.js';
import type { ScenarioFault } from './parse.js';
import { type Target, parseCidr, parseProtocol, gossipTarget, type GossipPreset, parsePort, parseSpare } from '../faults/match.js';
import type { FaultSpec } from '../faults/spec.js';
import { ANY, type Topology, TOPOLOGIES, groupCuts, isolateCuts, topologyCuts } from '../faults/topology.js';
import type { Distribution } from '../faults/netem.js';

export interface ScenarioHost {
  name: string;
  /** Executor: local, netns:NAME, ssh:[USER@]HOST[:PORT]. */
  on: string;
  addr: string;
  /** A dual-stack host's other address (its IPv6 one): partitions and losses aimed at the host cut both. */
  addr6?: string;
  /** The cluster member name on this host (default: the host name). */
  member: string;
}

export interface PlannedFault {
  spec: FaultSpec;
  /** Host names the rules go on. */
  on: string[];
  /** Host names whose members this fault affects. */
  affects: string[];
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

const num = (v: unknown, what: string): number => {
  const n = typeof v === 'number' ? v : Number(String(v).replace(/%$/, ''));
  if (!Number.isFinite(n)) throw usageError(`scenario fault: ${what} ${String(v)} is not a number`);
  return n;
};
const dur = (v: unknown, what: string): number => (typeof v === 'number' ? v : parseDuration(String(v), what));
const opt = <T>(v: unknown, f: (x: unknown) => T): T | undefined => (v === undefined ? undefined : f(v));

export function planScenarioFault(f: ScenarioFault, hosts: readonly ScenarioHost[]): PlannedFault {
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const addr = (name: string): string => byName.get(name)?.addr ?? parseCidr(name, 'scenario address');
  // Every address of a host: a dual-stack host is cut on both families.
  const addrs = (name: string): string[] => {
    const h = byName.get(name);
    return h ? [h.addr, ...(h.addr6 !== undefined ? [h.addr6] : [])] : [parseCidr(name, 'scenario address')];
  };
  const on = f.on ?? hosts.map((h) => h.name);
  const target = (): Target => {
    const base: Target = f.gossip !== undefined ? gossipTarget(String(f.gossip) as GossipPreset, f.gossipPort !== undefined ? num(f.gossipPort, 'gossipPort') : undefined) : { hosts: [], ports: [], protocol: parseProtocol(String(f.protocol ?? 'all')) };
    return { ...base, hosts: list(f.to).flatMap(addrs), ports: [...base.ports, ...list(f.port).map((p) => parsePort(p))] };
  };
  const dev = f.dev !== undefined ? { dev: String(f.dev) } : {};
  switch (f.kind) {
    case 'loss': {
      const via = f.via === 'iptables' ? 'iptables' : 'tc';
      const spec: FaultSpec = { kind: 'loss', percent: num(f.percent, 'percent'), via, direction: (f.direction as 'in' | 'out' | 'both' | undefined) ?? (via === 'tc' ? 'out' : 'in'), target: target(), ...dev };
      if (f.correlation !== undefined) spec.correlationPct = num(f.correlation, 'correlation');
      return { spec, on, affects: on };
    }
    case 'delay':
      return {
        spec: {
          kind: 'delay',
          netem: {
            delayMs: dur(f.delay, 'delay'),
            ...(f.jitter !== undefined ? { jitterMs: dur(f.jitter, 'jitter') } : {}),
            ...(f.correlation !== undefined ? { delayCorrelationPct: num(f.correlation, 'correlation') } : {}),
            ...(f.distribution !== undefined ? { distribution: f.distribution as Distribution } : {}),
          },
          target: target(),
          ...dev,
        },
        on,
        affects: on,
      };
    case 'duplicate':
    case 'reorder':
    case 'corrupt': {
      const pct = num(f.percent, 'percent');
      const corr = opt(f.correlation, (v) => num(v, 'correlation'));
      const netem =
        f.kind === 'duplicate'
          ? { duplicatePct: pct, ...(corr !== undefined ? { duplicateCorrelationPct: corr } : {}) }
          : f.kind === 'corrupt'
            ? { corruptPct: pct, ...(corr !== undefined ? { corruptCorrelationPct: corr } : {}) }
            : { reorderPct: pct, delayMs: dur(f.delay, 'delay'), ...(corr !== undefined ? { reorderCorrelationPct: corr } : {}) };
      return { spec: { kind: f.kind, netem, target: target(), ...dev }, on, affects: on };
    }
    case 'bandwidth':
      return {
        spec: {
          kind: 'bandwidth',
          rateBytesPerS: parseSize(String(f.rate), 'rate'),
          ...(f.burst !== undefined ? { burstBytes: parseSize(String(f.burst), 'burst') } : {}),
          ...(f.latency !== undefined ? { latencyMs: dur(f.latency, 'latency') } : {}),
          // Host names or addresses, each with an optional :PORT.
          ...(f.spare !== undefined ? { spare: list(f.spare).map((s) => parseSpare(s.replace(/^[^:]+/, (h) => addr(h)))) } : {}),
          ...dev,
        },
        on,
        affects: on,
      };
    case 'partition':
      return planPartition(f, hosts, on, addrs);
    default:
      throw usageError(`scenario fault kind ${f.kind} is not known`, 'use loss, delay, duplicate, reorder, corrupt, bandwidth or partition');
  }
}

function planPartition(f: ScenarioFault, hosts: readonly ScenarioHost[], on: string[], addrs: (n: string) => string[]): PlannedFault {
  const { ports, protocol } = f.gossip !== undefined ? gossipTarget(String(f.gossip) as GossipPreset) : { ports: list(f.port), protocol: parseProtocol(String(f.protocol ?? 'all')) };
  const target = { ports, protocol };
  if (f.isolate !== undefined) {
    const h = String(f.isolate);
    return { spec: { kind: 'partition', cuts: addrs(h).flatMap(isolateCuts), target, description: `isolate ${h}` }, on, affects: [h] };
  }
  if (f.groups !== undefined) {
    const groups = (f.groups as unknown[]).map(list);
    const direction = f.direction === 'one-way' ? 'one-way' : 'both';
    return { spec: { kind: 'partition', cuts: groupCuts(groups.map((g) => g.flatMap(addrs)), direction), target, description: groups.map((g) => g.join(',')).join(direction === 'one-way' ? ' -/-> ' : ' | ') }, on, affects: groups.flat() };
  }
  const topology = String(f.topology ?? '') as Topology;
  if (!(TOPOLOGIES as readonly string[]).includes(topology)) throw usageError('a scenario partition needs isolate, groups or a topology', `topologies: ${TOPOLOGIES.join(', ')}`);
  const nodes = f.nodes !== undefined ? list(f.nodes) : hosts.map((h) => h.name);
  const seed = f.seed !== undefined ? num(f.seed, 'seed') : 0;
  // Cut by name, then each name stands for all its addresses.
  const cuts = topologyCuts(topology, nodes, seed).map((c) => ({ from: c.from.flatMap((n) => (n === ANY ? [n] : addrs(n))), to: c.to.flatMap((n) => (n === ANY ? [n] : addrs(n))) }));
  // Each side of a partition rightly suspects the other: every cut-off node is "faulted"; only
  // the bridge node of `bridge` keeps all its links.
  const affects = topology === 'bridge' ? nodes.filter((_, i) => i !== Math.floor((nodes.length - 1) / 2)) : nodes;
  return { spec: { kind: 'partition', cuts, target, description: `${topology} of ${nodes.join(',')}` }, on, affects };
}
