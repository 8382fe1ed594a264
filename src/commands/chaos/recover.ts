import { Flags } from '@oclif/core';
import { RingsideCommand } from '../../cli/base-command.js';
import { executorsFrom, targetHostFlags } from '../../cli/chaos-flags.js';
import { RingsideError } from '../../errors.js';
import { type HostRecovered, recoverHosts } from '../../../chaos/recover.js';

export default class ChaosRecover extends RingsideCommand {
  static override summary = "Remove every ringside rule, qdisc and dead-man timer found on the hosts, journal or not";
  static override description = "Finds them by tag: iptables and ip6tables chains RINGSIDE-* and the rules jumping to them, nft's table inet ringside, root qdiscs with handle 52XX:, ringside-deadman processes. Nothing else is touched.";
  static override examples = ['<%= config.bin %> chaos recover --on ssh:root@10.0.0.5', '<%= config.bin %> chaos recover --on netns:node1 --dry-run --json'];

  static override flags = {
    ...targetHostFlags,
    'dry-run': Flags.boolean({ description: 'only list what would be removed' }),
  };

  async run(): Promise<{ hosts: HostRecovered[] }> {
    const { flags } = await this.parse(ChaosRecover);
    const hosts = await recoverHosts({
      on: executorsFrom(flags),
      dryRun: flags['dry-run'],
      parallel: flags.parallel,
      ...(flags.journal !== undefined ? { journalDir: flags.journal } : {}),
      ...(flags['host-journal'] !== undefined ? { hostJournalDir: flags['host-journal'] } : {}),
    });
    this.output({ hosts }, flags.json, (r) =>
      r.hosts
        .map((h) => `${h.on}: ${flags['dry-run'] ? 'would remove' : 'removed'} ${h.chains.length + h.chains6.length} chains, ${h.jumps.length + h.jumps6.length} jump rules, ${h.nftChains !== null ? `the nft table inet ringside (${h.nftChains.length} chains), ` : ''}${h.qdiscs.length} qdiscs, ${h.deadmen.length} dead-man timers${h.errors.length > 0 ? `; errors: ${h.errors.join('; ')}` : ''}`)
        .join('\n'),
    );
    if (hosts.some((h) => h.errors.length > 0)) throw new RingsideError('RS_CHAOS_FAILED', 'some ringside state could not be removed', 'see the errors above and retry');
    return { hosts };
  }
}
