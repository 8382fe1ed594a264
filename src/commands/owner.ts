import { Flags } from '@oclif/core';
import { loadMembership } from '../cluster/source.js';
import { usageError } from '../errors.js';
import { RingsideCommand } from '../cli/base-command.js';
import { ringFlags, sourceFlags } from '../cli/flags.js';
import { clusterRingOptions, sourceOptions } from '../cli/options.js';
import { renderTable } from '../table.js';
import { checkReplicas, clusterRing } from '../cluster/cluster-ring.js';
import { readKeysFile } from '../keys-file.js';
import { lookupOwners, type OwnerRecord } from '../ring/lookup.js';
import type { RingpopOwnerRecord } from '../cluster/ringpop-owners.js';
import { liveOptions } from '../cli/options.js';

export default class Owner extends RingsideCommand {
  static override summary = 'Which node owns each key (owners in preference order)';
  static override usage = 'owner KEY... [--keys-file FILE] (--join HOST:PORT [--protocol P] | --members FILE | --snapshot FILE) [ring flags]';
  static override strict = false;
  static override examples = [
    '<%= config.bin %> owner user:42 --members examples/cluster.txt',
    '<%= config.bin %> owner --keys-file keys.txt --ring ketama --replicas 3 --snapshot cluster.json --json',
    '<%= config.bin %> owner user:42 --protocol ringpop --join 10.0.0.5:3000',
  ];

  static override flags = {
    ...sourceFlags,
    ...ringFlags,
    'keys-file': Flags.string({ helpValue: 'FILE', description: 'more keys, one per line (# comments and blank lines skipped)' }),
  };

  async run(): Promise<OwnerRecord[] | RingpopOwnerRecord[]> {
    const { flags, argv } = await this.parse(Owner);
    // oclif rejects unknown flags itself; keys starting with - go after --.
    const keys = [...(argv as string[]), ...(flags['keys-file'] ? await readKeysFile(flags['keys-file']) : [])];
    if (keys.length === 0) throw usageError('no keys given', 'pass keys as arguments or --keys-file FILE');
    if (flags.protocol === 'ringpop' && flags.join?.length && flags.members === undefined && flags.snapshot === undefined) {
      const { ringpopOwners } = await import('../cluster/ringpop-owners.js');
      const { records, note } = await ringpopOwners(liveOptions(flags), keys, clusterRingOptions(flags), flags.replicas);
      return this.output(records, flags.json, (rows) => render(rows) + (note ? `\nnote: ${note}` : ''));
    }
    const snapshot = await loadMembership(sourceOptions(flags));
    const { ring, addrs } = clusterRing(snapshot, clusterRingOptions(flags));
    checkReplicas(flags.replicas, ring);
    return this.output(lookupOwners(ring, keys, flags.replicas, addrs), flags.json, render);
  }
}

function render(rows: (OwnerRecord | RingpopOwnerRecord)[]): string {
  return renderTable(rows, [
    { header: 'KEY', value: (r) => r.key },
    { header: 'HASH', value: (r) => (r.hash === null ? '-' : String(r.hash)), align: 'right' },
    { header: 'OWNERS', value: (r) => r.owners.map((o, i) => (r.addrs[i] && r.addrs[i] !== o ? `${o} (${r.addrs[i]})` : o)).join(', ') },
  ]);
}
