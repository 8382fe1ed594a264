import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { netemPercentFlags, netemPercentSpec } from '../../cli/netem-percent.js';

export default class ChaosDuplicate extends FaultCommand {
  static override summary = 'Send a percentage of packets twice (tc netem, egress)';
  static override examples = ['<%= config.bin %> chaos duplicate --percent 10 --on netns:node1 --duration 30s'];

  static override flags = netemPercentFlags;

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosDuplicate);
    return this.fault(flags, netemPercentSpec('duplicate', flags));
  }
}
