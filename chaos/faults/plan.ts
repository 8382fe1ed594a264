/**
 * From a fault spec to the exact commands for one host (pure): `planFault(spec, id, host)`
 * returns apply and revert steps, what the host must support, and a summary.
 */
import { usageError } from '../../src/errors.js';
import type { FilterRule } from './filter.js';
import { planChains } from './iptables.js';
import { type Family, describeTarget, familyOf, packetMatches, spareSelectors, u32Matches } from './match.js';
import { describeNetem, netemArgs, percent } from './netem.js';
import { planNft } from './nft.js';
import type { BandwidthSpec, FaultSpec, LossSpec, PartitionSpec } from './spec.js';
import { htbSteps, netemSteps, tcHandle } from './tc.js';
import { ANY } from './topology.js';
import { type ControlPath, type FaultPlan, type Firewall, isFaultId } from './types.js';

/** What the planner must know about the host. */
export interface HostContext {
  /** Device for tc faults (resolved from the default route when the user gave none). */
  dev?: string;
  /** The executor's control connection, exempted from the fault. */
  control?: ControlPath;
  /** The packet filter to write rules with: iptables (default), or nft on a host without iptables. */
  firewall?: Firewall;
  /** Whether the host has IPv6 (rules without an address then cover it too; default false). */
  ipv6?: boolean;
}

/** Filter rules as the host's firewall takes them, with what the host must have for them. */
function planFilter(id: string, rules: readonly FilterRule[], host: HostContext): Pick<FaultPlan, 'apply' | 'revert' | 'needs'> {
  const families: Family[] = host.ipv6 ? ['ipv4', 'ipv6'] : ['ipv4'];
  const v6 = rules.some((r) => [r.src, r.dst].some((a) => a !== undefined && familyOf(a) === 'ipv6'));
  if (v6 && !host.ipv6) families.push('ipv6');
  if (host.firewall === 'nft') return { ...planNft(id, rules, host.control), needs: { firewall: 'nft' } };
  return { ...planChains(id, rules, host.control, families), needs: { firewall: 'iptables', ...(families.includes('ipv6') ? { ipv6: true } : {}) } };
}

/** The filter's name in summaries. */
function filterName(host: HostContext, iptablesMatch: string): string {
  return host.firewall === 'nft' ? `nft${iptablesMatch === 'statistic' ? ' numgen random' : ''}` : `iptables${iptablesMatch ? ` ${iptablesMatch}` : ''}`;
}

export function planFault(spec: FaultSpec, id: string, host: HostContext = {}): FaultPlan {
  if (!isFaultId(id)) throw usageError(`fault id ${id} is not valid`, 'use 1-16 lower-case letters and digits');
  switch (spec.kind) {
    case 'loss':
      return spec.via === 'iptables' ? planIptablesLoss(spec, id, host) : planNetem(id, 'loss', { lossPct: spec.percent, ...(spec.correlationPct !== undefined ? { lossCorrelationPct: spec.correlationPct } : {}) }, spec.target, host);
    case 'delay':
    case 'duplicate':
    case 'reorder':
    case 'corrupt':
      return planNetem(id, spec.kind, spec.netem, spec.target, host);
    case 'bandwidth':
      return planBandwidth(spec, id, host);
    case 'partition':
      return planPartition(spec, id, host);
  }
}

function needDev(host: HostContext): string {
  if (!host.dev) throw usageError('no network device to shape', 'pass --dev IFACE');
  return host.dev;
}

function planNetem(id: string, kind: FaultPlan['kind'], params: Parameters<typeof netemArgs>[0], target: LossSpec['target'], host: HostContext): FaultPlan {
  const dev = needDev(host);
  const args = netemArgs(params);
  const targeted = target.hosts.length > 0 || target.ports.length > 0 || target.protocol !== 'all';
  const selectors = targeted ? u32Matches(target) : [];
  const steps = netemSteps(dev, tcHandle(id), args, selectors, host.control);
  const qdiscs = selectors.length > 0 || host.control ? ['netem', 'prio'] : ['netem'];
  return {
    id,
    kind,
    summary: `${describeNetem(params)} on ${dev} egress, ${describeTarget(target)} (tc netem)`,
    targets: targeted ? (target.hosts.length > 0 ? target.hosts : [describeTarget(target)]) : [dev],
    needs: { qdiscs, devices: [dev] },
    ...steps,
  };
}

function planIptablesLoss(spec: LossSpec, id: string, host: HostContext): FaultPlan {
  percent(spec.percent, 'loss');
  if (spec.correlationPct !== undefined) throw usageError('iptables loss has no correlation', 'drop --correlation or use --via tc');
  const probability = spec.percent / 100;
  // Loss of a whole host is loss on its network: loopback (local agents, their RPC) is spared.
  // A loss aimed at hosts or ports applies wherever they are, loopback included (the sandbox).
  const whole = spec.target.hosts.length === 0 && spec.target.ports.length === 0;
  const rules: FilterRule[] = [];
  const rule = (hook: FilterRule['hook'], m: ReturnType<typeof packetMatches>[number]): FilterRule => ({
    hook,
    ...(whole ? { notLoopback: true } : {}),
    ...(m.host !== undefined ? (hook === 'OUTPUT' ? { dst: m.host } : { src: m.host }) : {}),
    ...(m.protocol !== undefined ? { protocol: m.protocol } : {}),
    ...(m.ports.length > 0 ? { dports: m.ports } : {}),
    probability,
    verdict: 'drop',
  });
  if (spec.direction !== 'in') for (const m of packetMatches(spec.target)) rules.push(rule('OUTPUT', m));
  if (spec.direction !== 'out') for (const m of packetMatches(spec.target)) rules.push(rule('INPUT', m));
  const dir = { in: 'received', out: 'sent', both: 'sent and received' }[spec.direction];
  return {
    id,
    kind: 'loss',
    summary: `loss ${spec.percent}% of ${describeTarget(spec.target)} ${dir}${whole ? ', loopback spared' : ''} (${filterName(host, 'statistic')})`,
    targets: spec.target.hosts.length > 0 ? spec.target.hosts : [describeTarget(spec.target)],
    ...planFilter(id, rules, host),
  };
}

function planBandwidth(spec: BandwidthSpec, id: string, host: HostContext): FaultPlan {
  const dev = needDev(host);
  if (!Number.isFinite(spec.rateBytesPerS) || spec.rateBytesPerS < 1) throw usageError('--rate must be at least 8bit');
  const rateBits = Math.round(spec.rateBytesPerS * 8);
  // A bucket of at least one MTU-sized packet, and at least rate/HZ (HZ <= 1000).
  const burst = Math.max(spec.burstBytes ?? Math.ceil(spec.rateBytesPerS / 50), 1600);
  const latencyMs = spec.latencyMs ?? 400;
  const spare = spec.spare ?? [];
  const spared = [...(host.control ? ['the control connection'] : []), ...spare.map((s) => (s.port === undefined ? s.host : `${s.host}:${s.port}`))];
  return {
    id,
    kind: 'bandwidth',
    summary: `bandwidth ${rateBits}bit/s on ${dev} egress (tc tbf under htb, burst ${burst} bytes, latency ${latencyMs}ms)${spared.length > 0 ? `, sparing ${spared.join(', ')}` : ''}`,
    targets: [dev],
    needs: { qdiscs: ['htb', 'tbf'], devices: [dev] },
    ...htbSteps(dev, tcHandle(id), { rateBits, burstBytes: burst, latencyMs }, spareSelectors(spare), host.control),
  };
}

function planPartition(spec: PartitionSpec, id: string, host: HostContext): FaultPlan {
  const rules: FilterRule[] = [];
  for (const cut of spec.cuts) {
    for (const from of cut.from) {
      for (const to of cut.to) {
        // A cut between two addresses of different families has no packet to drop.
        if (from !== ANY && to !== ANY && familyOf(from) !== familyOf(to)) continue;
        for (const m of packetMatches({ hosts: [], ...spec.target })) {
          // Dropped where it arrives (as Jepsen does): a DROP in OUTPUT would make the sender's
          // sendto() fail with EPERM at once, which no real partition does (memberlist then logs
          // "Failed to send ping" and never suspects anyone). So every host of the groups needs --on.
          rules.push({
            hook: 'INPUT',
            notLoopback: true,
            ...(from === ANY ? {} : { src: from }),
            ...(to === ANY ? {} : { dst: to }),
            ...(m.protocol !== undefined ? { protocol: m.protocol } : {}),
            ...(m.ports.length > 0 ? { dports: m.ports } : {}),
            verdict: 'drop',
          });
        }
      }
    }
  }
  const targets = [...new Set(spec.cuts.flatMap((c) => [...c.from, ...c.to]).filter((h) => h !== ANY))];
  return {
    id,
    kind: 'partition',
    summary: `partition ${spec.description}${spec.target.protocol !== 'all' || spec.target.ports.length > 0 ? ` (${describeTarget({ hosts: [], ...spec.target })} only)` : ''} (${filterName(host, '')})`,
    targets,
    ...planFilter(id, rules, host),
  };
}
