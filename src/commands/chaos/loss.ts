import { Flags } from '@oclif/core';
import { faultFlags, matchFlags, percentFlag, targetFrom } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { usageError } from '../../errors.js';

export default class ChaosLoss extends FaultCommand {
  static override summary = 'Drop a percentage of packets (tc netem, or iptables statistic with --via iptables)';
  static override description = 'netem shapes egress only; --via iptables drops sent, received or both (--direction) and works on kernels without sch_netem.';
  static override examples = [
    '<%= config.bin %> chaos loss --percent 80 --on ssh:root@10.0.0.5 --via iptables --duration 60s',
    '<%= config.bin %> chaos loss --percent 100 --gossip udp --direction in --via iptables --on netns:node1 --duration 30s',
  ];

  static override flags = {
    ...faultFlags,
    ...matchFlags,
    percent: Flags.string({ helpValue: 'P', required: true, description: 'share of packets to drop, 0-100' }),
    correlation: Flags.string({ helpValue: 'P', description: 'tc: correlation with the previous packet, percent' }),
    via: Flags.string({ helpValue: 'tc|iptables', default: 'tc', options: ['tc', 'iptables'], description: 'tc netem (egress) or iptables statistic' }),
    direction: Flags.string({
      helpValue: 'in|out|both',
      options: ['in', 'out', 'both'],
      description: 'iptables: drop what the host receives (default), sends, or both. out makes the sender see EPERM on dropped sends, which real loss never does',
    }),
    dev: Flags.string({ helpValue: 'IFACE', description: 'tc: device to shape (default: the default-route device)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosLoss);
    const via = flags.via as 'tc' | 'iptables';
    if (via === 'tc' && flags.direction !== undefined && flags.direction !== 'out') throw usageError('netem shapes egress only', 'use --via iptables for --direction in|both');
    const direction = (flags.direction ?? (via === 'tc' ? 'out' : 'in')) as 'in' | 'out' | 'both';
    const correlation = percentFlag(flags.correlation, 'correlation');
    return this.fault(flags, {
      kind: 'loss',
      percent: percentFlag(flags.percent, 'percent') as number,
      ...(correlation !== undefined ? { correlationPct: correlation } : {}),
      via,
      direction,
      target: targetFrom(flags),
      ...(flags.dev !== undefined ? { dev: flags.dev } : {}),
    });
  }
}
