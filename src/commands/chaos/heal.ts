import { Flags } from '@oclif/core';
import { RingsideCommand } from '../../cli/base-command.js';
import { healFaults, type Reverted } from '../../../chaos/revert.js';

export default class ChaosHeal extends RingsideCommand {
  static override summary = 'Revert journaled faults (all, or one --id)';
  static override examples = ['<%= config.bin %> chaos heal', '<%= config.bin %> chaos heal --id k2f8x1q9 --json'];

  static override flags = {
    id: Flags.string({ helpValue: 'ID', description: 'only this fault' }),
    journal: Flags.string({ helpValue: 'DIR', description: 'local journal directory' }),
  };

  async run(): Promise<{ healed: Reverted[] }> {
    const { flags } = await this.parse(ChaosHeal);
    const healed = await healFaults({ ...(flags.id !== undefined ? { id: flags.id } : {}), ...(flags.journal !== undefined ? { journalDir: flags.journal } : {}) });
    return this.output({ healed }, flags.json, (r) => (r.healed.length === 0 ? 'no faults in the journal' : r.healed.map((h) => `healed ${h.id}: ${h.summary} on ${h.hosts.join(', ')}`).join('\n')));
  }
}
