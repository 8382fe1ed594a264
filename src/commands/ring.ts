import { fidelityWarning } from '../cluster/ring-fidelity.js';
import { loadMembership } from '../cluster/source.js';
import { RingsideCommand } from '../cli/base-command.js';
import { ringFlags, sourceFlags } from '../cli/flags.js';
import { percent, ratio } from '../cli/format.js';
import { clusterRingOptions, sourceOptions } from '../cli/options.js';
import { renderTable } from '../table.js';
import { checkReplicas, clusterRing } from '../cluster/cluster-ring.js';
import { describeRing, type RingReport } from '../ring/report.js';

export default class Ring extends RingsideCommand {
  static override summary = 'Share of the keyspace each node owns, and how uneven the ring is';
  static override examples = [
    '<%= config.bin %> ring --members examples/cluster.txt',
    '<%= config.bin %> ring --ring ketama --weight-tag weight --snapshot cluster.json --json',
  ];

  static override flags = { ...sourceFlags, ...ringFlags };

  async run(): Promise<RingReport> {
    const { flags } = await this.parse(Ring);
    const snapshot = await loadMembership(sourceOptions(flags));
    const warning = fidelityWarning(snapshot, flags.ring);
    if (warning) process.stderr.write(`${warning}\n`);
    const { ring, addrs, excluded } = clusterRing(snapshot, clusterRingOptions(flags));
    checkReplicas(flags.replicas, ring);
    const report = describeRing(ring, { replicas: flags.replicas, addrs, excluded });
    return this.output(report, flags.json, render);
  }
}

function render(report: RingReport): string {
  const effective = report.replicas > 1;
  const rows = [...report.nodes].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const table = renderTable(rows, [
    { header: 'NODE', value: (n) => n.node },
    { header: 'ADDR', value: (n) => n.addr ?? '' },
    ...(report.nodes.some((n) => n.weight !== 1) ? [{ header: 'WEIGHT', value: (n: RingReport['nodes'][number]) => String(n.weight), align: 'right' as const }] : []),
    { header: 'POINTS', value: (n) => (n.points === null ? '-' : String(n.points)), align: 'right' },
    { header: 'OWNS', value: (n) => percent(n.ownership), align: 'right' },
    ...(effective ? [{ header: `OWNS (RF ${report.replicas})`, value: (n: RingReport['nodes'][number]) => percent(n.effectiveOwnership ?? 0), align: 'right' as const }] : []),
    { header: 'LOAD', value: (n) => ratio(n.load), align: 'right' },
  ]);
  const settings = [report.hash, report.vnodes !== null ? `${report.vnodes} points/node` : null, report.tableSize !== null ? `table ${report.tableSize}` : null, report.numTokens !== null ? `${report.numTokens} tokens/node unless tagged` : null]
    .filter((s) => s !== null)
    .join(', ');
  const how = report.exact ? 'exact' : `estimated from ${report.sampleSize} sampled key hashes`;
  const lines = [
    `${report.algorithm} ring (${settings}): ${report.nodes.length} nodes, ownership ${how}`,
    '',
    table,
    '',
    `imbalance: max ${ratio(report.imbalance.maxOverMean)} of fair share, min ${ratio(report.imbalance.minOverMean)}, spread (stddev) ${percent(report.imbalance.stddev, 1)}`,
  ];
  if (report.excluded.length > 0) lines.push(`not in the ring: ${report.excluded.map((e) => `${e.name} (${e.reason})`).join(', ')}`);
  return lines.join('\n');
}
