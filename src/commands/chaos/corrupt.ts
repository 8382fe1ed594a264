import { Flags } from '@oclif/core';
import { faultFlags, matchFlags, percentFlag, targetFrom } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';

export default class ChaosCorrupt extends FaultCommand {
  static override summary = 'Flip a random bit in a percentage of packets (tc netem, egress)';
  static override examples = ['<%= config.bin %> chaos corrupt --percent 10 --on netns:node1 --duration 30s'];

  static override flags = {
    ...faultFlags,
    ...matchFlags,
    percent: Flags.string({ helpValue: 'P', required: true, description: 'share of packets, 0-100' }),
    correlation: Flags.string({ helpValue: 'P', description: 'correlation with the previous packet, percent' }),

    dev: Flags.string({ helpValue: 'IFACE', description: 'device to shape (default: the default-route device)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosCorrupt);
    const correlation = percentFlag(flags.correlation, 'correlation');
    return this.fault(flags, {
      kind: 'corrupt',
      netem: {

        corruptPct: percentFlag(flags.percent, 'percent') as number,
        ...(correlation !== undefined ? { corruptCorrelationPct: correlation } : {}),
      },
      target: targetFrom(flags),
      ...(flags.dev !== undefined ? { dev: flags.dev } : {}),
    });
  }
}
