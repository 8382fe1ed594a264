import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { netemPercentFlags, netemPercentSpec } from '../../cli/netem-percent.js';

export default class ChaosCorrupt extends FaultCommand {
  static override summary = 'Flip a random bit in a percentage of packets (tc netem, egress)';
  static override examples = ['<%= config.bin %> chaos corrupt --percent 10 --on netns:node1 --duration 30s'];

  static override flags = netemPercentFlags;

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosCorrupt);
    return this.fault(flags, netemPercentSpec('corrupt', flags));
  }
}
