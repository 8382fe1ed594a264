import { writeFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { type MembershipSnapshot, serializeSnapshot } from '../cluster/snapshot.js';
import { loadMembership } from '../cluster/source.js';
import { fileError } from '../errors.js';
import { RingsideCommand } from '../cli/base-command.js';
import { sourceFlags } from '../cli/flags.js';
import { sourceOptions } from '../cli/options.js';

export default class Snapshot extends RingsideCommand {
  static override summary = 'Write the membership and where it came from to a versioned JSON file';
  static override description = 'Offline commands read it back with --snapshot FILE and answer exactly as they would have against the cluster.';
  static override examples = ['<%= config.bin %> snapshot -o cluster.json --join 127.0.0.1:7946', '<%= config.bin %> snapshot -o cluster.json --members examples/cluster.txt'];

  static override flags = {
    ...sourceFlags,
    output: Flags.string({ char: 'o', helpValue: 'FILE', required: true, description: 'where to write the snapshot' }),
  };

  async run(): Promise<MembershipSnapshot> {
    const { flags } = await this.parse(Snapshot);
    const snapshot = await loadMembership(sourceOptions(flags));
    try {
      await writeFile(flags.output, serializeSnapshot(snapshot));
    } catch (error) {
      throw fileError(`cannot write ${flags.output} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'check the directory exists and is writable', error);
    }
    return this.output(snapshot, flags.json, (s) => `wrote ${flags.output}: ${s.members.length} members (${s.cluster.protocol}, ${s.cluster.source})`);
  }
}
