import { Flags } from '@oclif/core';
import { faultFlags, hostList, matchFlags, targetFrom } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { parseCidr } from '../../../chaos/faults/match.js';
import { TOPOLOGIES, type Topology, groupCuts, isolateCuts, topologyCuts } from '../../../chaos/faults/topology.js';
import { usageError } from '../../errors.js';

export default class ChaosPartition extends FaultCommand {
  static override summary = 'Cut hosts apart with iptables DROP: groups, one isolated host, or a Jepsen topology';
  static override description =
    'Rules go on every --on host: each drops what arrives from the other side (INPUT), as a real partition would, so put every host of the groups in --on. The executor\'s own SSH connection is exempt.';
  static override examples = [
    '<%= config.bin %> chaos partition --group 10.0.0.1,10.0.0.2 --group 10.0.0.3,10.0.0.4,10.0.0.5 --on ssh:10.0.0.1 --on ssh:10.0.0.2 ... --duration 60s',
    '<%= config.bin %> chaos partition --isolate 10.0.0.3 --on ssh:10.0.0.3 --duration 30s',
    '<%= config.bin %> chaos partition --topology majorities-ring --nodes 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5 --on ...',
  ];

  static override flags = {
    ...faultFlags,
    ...matchFlags,
    group: Flags.string({ helpValue: 'A,B,...', multiple: true, description: 'a group of hosts (repeat for each group); groups cannot reach each other' }),
    direction: Flags.string({ helpValue: 'both|one-way', default: 'both', options: ['both', 'one-way'], description: 'one-way: the first group cannot reach later groups; they still reach it' }),
    isolate: Flags.string({ helpValue: 'HOST', description: 'cut this host off from everyone (both ways)' }),
    topology: Flags.string({ helpValue: TOPOLOGIES.join('|'), options: [...TOPOLOGIES], description: 'a Jepsen topology over --nodes' }),
    nodes: Flags.string({ helpValue: 'A,B,...', description: 'the cluster hosts, in order, for --topology' }),
    seed: Flags.integer({ helpValue: 'N', default: 0, description: 'random-halves: seed of the shuffle (same seed, same halves)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosPartition);
    const ways = [flags.group !== undefined, flags.isolate !== undefined, flags.topology !== undefined].filter(Boolean).length;
    if (ways !== 1) throw usageError('say how to partition', 'give --group twice or more, or --isolate HOST, or --topology with --nodes');
    if (flags.to !== undefined) throw usageError('--to does not apply to a partition', 'the groups say which hosts are cut');
    const { ports, protocol } = targetFrom(flags);
    let cuts;
    let description;
    if (flags.group !== undefined) {
      const groups = flags.group.map((g) => hostList(g, 'group'));
      cuts = groupCuts(groups, flags.direction as 'both' | 'one-way');
      description = groups.map((g) => g.join(',')).join(flags.direction === 'one-way' ? ' -/-> ' : ' | ');
    } else if (flags.isolate !== undefined) {
      cuts = isolateCuts(parseCidr(flags.isolate, 'isolate'));
      description = `isolate ${flags.isolate}`;
    } else {
      if (flags.nodes === undefined) throw usageError('--topology needs --nodes', 'list the cluster hosts in order: --nodes A,B,C,...');
      const nodes = hostList(flags.nodes, 'nodes');
      cuts = topologyCuts(flags.topology as Topology, nodes, flags.seed);
      description = `${flags.topology}${flags.topology === 'random-halves' ? ` (seed ${flags.seed})` : ''} of ${nodes.join(',')}`;
    }
    return this.fault(flags, { kind: 'partition', cuts, target: { ports, protocol }, description });
  }
}
