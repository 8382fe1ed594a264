import { Flags } from '@oclif/core';
import { faultFlags, matchFlags, percentFlag, targetFrom } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { parseDuration } from '../../units.js';

export default class ChaosReorder extends FaultCommand {
  static override summary = 'Send a percentage of packets at once while the rest wait --delay (tc netem, egress)';
  static override examples = ['<%= config.bin %> chaos reorder --percent 10 --delay 50ms --on netns:node1 --duration 30s'];

  static override flags = {
    ...faultFlags,
    ...matchFlags,
    percent: Flags.string({ helpValue: 'P', required: true, description: 'share of packets, 0-100' }),
    correlation: Flags.string({ helpValue: 'P', description: 'correlation with the previous packet, percent' }),
    delay: Flags.string({ helpValue: 'D', required: true, description: 'how long the packets not reordered wait' }),
    dev: Flags.string({ helpValue: 'IFACE', description: 'device to shape (default: the default-route device)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosReorder);
    const correlation = percentFlag(flags.correlation, 'correlation');
    return this.fault(flags, {
      kind: 'reorder',
      netem: {
        delayMs: parseDuration(flags.delay, 'delay'),
        reorderPct: percentFlag(flags.percent, 'percent') as number,
        ...(correlation !== undefined ? { reorderCorrelationPct: correlation } : {}),
      },
      target: targetFrom(flags),
      ...(flags.dev !== undefined ? { dev: flags.dev } : {}),
    });
  }
}
