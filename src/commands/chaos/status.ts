import { Flags } from '@oclif/core';
import { RingsideCommand } from '../../cli/base-command.js';
import { renderTable } from '../../table.js';
import { type FaultStatus, faultStatus } from '../../../chaos/status.js';

export default class ChaosStatus extends RingsideCommand {
  static override summary = 'Active faults from the journal, checked on their hosts, with time left';
  static override examples = ['<%= config.bin %> chaos status', '<%= config.bin %> chaos status --json'];

  static override flags = {
    journal: Flags.string({ helpValue: 'DIR', description: 'local journal directory' }),
    'no-check': Flags.boolean({ description: 'do not contact the hosts' }),
  };

  async run(): Promise<{ faults: FaultStatus[] }> {
    const { flags } = await this.parse(ChaosStatus);
    const faults = await faultStatus({ ...(flags.journal !== undefined ? { journalDir: flags.journal } : {}), check: !flags['no-check'] });
    return this.output({ faults }, flags.json, (r) =>
      r.faults.length === 0
        ? 'no active faults'
        : renderTable(r.faults, [
            { header: 'ID', value: (f) => f.id },
            { header: 'KIND', value: (f) => f.kind },
            { header: 'LEFT', value: (f) => (f.leftMs === null ? (f.detached ? 'until heal' : 'until Ctrl-C') : `${Math.ceil(f.leftMs / 1000)}s`), align: 'right' },
            { header: 'HOSTS', value: (f) => f.hosts.map((h) => `${h.on}${h.present === false ? ' (gone)' : h.present === null && h.error ? ' (?)' : ''}`).join(' ') },
            { header: 'WHAT', value: (f) => `${f.summary}${f.orphaned ? ' [holder gone: heal or wait for the dead-man]' : ''}` },
          ]),
    );
  }
}
