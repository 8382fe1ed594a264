/**
 * From a fault spec to the exact commands for one host (pure): `planFault(spec, id, host)`
 * returns apply and revert steps, what the host must support, and a summary.
 */
import { usageError } from '../../src/errors.js';
import { type ChainRule, planChains } from './iptables.js';
import { describeTarget, iptablesMatches, spareSelectors, u32Matches } from './match.js';
import { describeNetem, netemArgs, percent } from './netem.js';
import type { BandwidthSpec, FaultSpec, LossSpec, PartitionSpec } from './spec.js';
import { htbSteps, netemSteps, tcHandle } from './tc.js';
import { ANY } from './topology.js';
import { type ControlPath, type FaultPlan, isFaultId } from './types.js';

/** What the planner must know about the host. */
export interface HostContext {
  /** Device for tc faults (resolved from the default route when the user gave none). */
  dev?: string;
  /** The executor's control connection, exempted from the fault. */
  control?: ControlPath;
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
  const probability = (spec.percent / 100).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  percent(spec.percent, 'loss');
  if (spec.correlationPct !== undefined) throw usageError('iptables loss has no correlation', 'drop --correlation or use --via tc');
  const statistic = ['-m', 'statistic', '--mode', 'random', '--probability', probability];
  // Loss of a whole host is loss on its network: loopback (local agents, their RPC) is spared.
  // A loss aimed at hosts or ports applies wherever they are, loopback included (the sandbox).
  const whole = spec.target.hosts.length === 0 && spec.target.ports.length === 0;
  const rules: ChainRule[] = [];
  if (spec.direction !== 'in') for (const m of iptablesMatches(spec.target, 'out')) rules.push({ hook: 'OUTPUT', match: [...(whole ? ['!', '-o', 'lo'] : []), ...m, ...statistic], verdict: 'DROP' });
  if (spec.direction !== 'out') for (const m of iptablesMatches(spec.target, 'in')) rules.push({ hook: 'INPUT', match: [...(whole ? ['!', '-i', 'lo'] : []), ...m, ...statistic], verdict: 'DROP' });
  const dir = { in: 'received', out: 'sent', both: 'sent and received' }[spec.direction];
  return {
    id,
    kind: 'loss',
    summary: `loss ${spec.percent}% of ${describeTarget(spec.target)} ${dir}${whole ? ', loopback spared' : ''} (iptables statistic)`,
    targets: spec.target.hosts.length > 0 ? spec.target.hosts : [describeTarget(spec.target)],
    needs: { iptables: true },
    ...planChains(id, rules, host.control),
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
  const rules: ChainRule[] = [];
  for (const cut of spec.cuts) {
    for (const from of cut.from) {
      for (const to of cut.to) {
        const addresses = [...(from === ANY ? [] : ['-s', from]), ...(to === ANY ? [] : ['-d', to])];
        for (const m of iptablesMatches({ hosts: [], ...spec.target }, 'out')) {
          // Dropped where it arrives (as Jepsen does): a DROP in OUTPUT would make the sender's
          // sendto() fail with EPERM at once, which no real partition does (memberlist then logs
          // "Failed to send ping" and never suspects anyone). So every host of the groups needs --on.
          rules.push({ hook: 'INPUT', match: ['!', '-i', 'lo', ...addresses, ...m], verdict: 'DROP' });
        }
      }
    }
  }
  const targets = [...new Set(spec.cuts.flatMap((c) => [...c.from, ...c.to]).filter((h) => h !== ANY))];
  return {
    id,
    kind: 'partition',
    summary: `partition ${spec.description}${spec.target.protocol !== 'all' || spec.target.ports.length > 0 ? ` (${describeTarget({ hosts: [], ...spec.target })} only)` : ''} (iptables)`,
    targets,
    needs: { iptables: true },
    ...planChains(id, rules, host.control),
  };
}
