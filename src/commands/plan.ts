import { Flags } from '@oclif/core';
import { fidelityWarning } from '../cluster/ring-fidelity.js';
import { loadMembership, loadMembershipFile } from '../cluster/source.js';
import { RingsideCommand } from '../cli/base-command.js';
import { ringFlags, sourceFlags } from '../cli/flags.js';
import { bytes, more, percent, ratio } from '../cli/format.js';
import { clusterRingOptions, sourceOptions } from '../cli/options.js';
import { renderTable } from '../table.js';
import { parseAddedMember, planClusterChange } from '../plan/cluster-plan.js';
import type { PlannedTransfer, PlanResult } from '../plan/plan.js';
import { readKeysFile } from '../keys-file.js';
import { parseSize } from '../units.js';

export default class Plan extends RingsideCommand {
  static override summary = 'What moves, from where to where, if nodes join or leave';
  static override description =
    'Exact moved fraction of the keyspace (estimated, with the sample size, for jump and rendezvous), transfers between nodes, ownership before and after, and the ideal movement: what a perfectly balanced placement would move for the same change.';
  static override examples = [
    '<%= config.bin %> plan --add 10.0.0.9:3000 --members examples/cluster.txt',
    '<%= config.bin %> plan --add n9=10.0.0.9:3000 --add n10=10.0.0.10:3000 --step-by-step --data-bytes 2TB --members examples/cluster.txt',
    '<%= config.bin %> plan --remove node-3 --keys-file keys.txt --json --snapshot cluster.json',
    '<%= config.bin %> plan --to-snapshot tomorrow.json --snapshot today.json',
  ];

  static override flags = {
    ...sourceFlags,
    ...ringFlags,
    add: Flags.string({ helpValue: 'NODE', multiple: true, description: 'node joining: HOST:PORT, NAME=HOST:PORT or "HOST:PORT NAME TAG=VALUE..."' }),
    remove: Flags.string({ helpValue: 'NODE', multiple: true, description: 'node leaving, by name or HOST:PORT' }),
    'to-snapshot': Flags.string({ helpValue: 'FILE', description: 'plan the change to this membership (snapshot or member list)' }),
    'keys-file': Flags.string({ helpValue: 'FILE', description: 'list exactly which of these keys move' }),
    'data-bytes': Flags.string({ helpValue: 'SIZE', description: 'total data stored (all replicas), to show bytes per transfer, e.g. 2TB' }),
    'step-by-step': Flags.boolean({ description: 'apply the change one node at a time (adds first), showing each step' }),
    limit: Flags.integer({ helpValue: 'N', default: 20, description: 'rows per table in the human output (0 = all)' }),
  };

  async run(): Promise<PlanResult> {
    const { flags } = await this.parse(Plan);
    const dataBytes = flags['data-bytes'] === undefined ? undefined : parseSize(flags['data-bytes'], 'data-bytes');
    const add = (flags.add ?? []).map(parseAddedMember);
    const current = await loadMembership(sourceOptions(flags));
    const warning = fidelityWarning(current, flags.ring);
    if (warning) process.stderr.write(`${warning}\n`);
    const target = flags['to-snapshot'] === undefined ? undefined : await loadMembershipFile(flags['to-snapshot']);
    const keys = flags['keys-file'] === undefined ? undefined : await readKeysFile(flags['keys-file']);
    const result = planClusterChange({
      current,
      ring: clusterRingOptions(flags),
      replicas: flags.replicas,
      add,
      remove: flags.remove ?? [],
      ...(target ? { target } : {}),
      ...(keys ? { keys } : {}),
      ...(dataBytes !== undefined ? { dataBytes } : {}),
      stepByStep: flags['step-by-step'],
    });
    return this.output(result, flags.json, (plan) => renderPlan(plan, flags.limit));
  }
}

function cut<T>(rows: readonly T[], limit: number): T[] {
  return limit > 0 ? rows.slice(0, limit) : [...rows];
}

function transferTable(transfers: readonly PlannedTransfer[], limit: number): string[] {
  if (transfers.length === 0) return ['  nothing moves'];
  const withBytes = transfers.some((t) => t.bytes !== undefined);
  const table = renderTable(cut(transfers, limit), [
    { header: 'FROM', value: (t) => t.from },
    { header: 'TO', value: (t) => t.to },
    { header: 'SHARE', value: (t) => percent(t.fraction, 3), align: 'right' },
    { header: 'RANGES', value: (t) => (t.ranges === null ? '-' : String(t.ranges)), align: 'right' },
    ...(withBytes ? [{ header: 'BYTES', value: (t: PlannedTransfer) => bytes(t.bytes ?? 0), align: 'right' as const }] : []),
  ]);
  return [table, ...more(transfers.length, cut(transfers, limit).length, 'transfers')];
}

function renderPlan(plan: PlanResult, limit: number): string {
  const changed = [...plan.change.added.map((n) => `add ${n}`), ...plan.change.removed.map((n) => `remove ${n}`), ...plan.change.updated.map((n) => `update ${n}`)];
  const how = plan.exact ? 'exact' : `estimated from ${plan.sampleSize} sampled key hashes`;
  const lines = [
    `plan: ${changed.join(', ')} (${plan.algorithm}, replicas ${plan.replicas}, ${how})`,
    '',
    `moves ${percent(plan.movedFraction, 3)} of the data${plan.movedBytes !== undefined ? ` (${bytes(plan.movedBytes)})` : ''}; ideal (perfectly balanced before and after) ${percent(plan.idealFraction, 3)}, so ${ratio(plan.overIdeal)} ideal`,
    `imbalance (max over fair share): ${ratio(plan.imbalance.before.maxOverMean)} before, ${ratio(plan.imbalance.after.maxOverMean)} after`,
    '',
    'transfers:',
    ...transferTable(plan.transfers, limit),
    '',
  ];
  const nodes = [...plan.nodes].sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before));
  lines.push(
    'ownership (largest changes first):',
    renderTable(cut(nodes, limit), [
      { header: 'NODE', value: (n) => n.node },
      { header: 'ADDR', value: (n) => n.addr ?? '' },
      { header: 'BEFORE', value: (n) => percent(n.before), align: 'right' },
      { header: 'AFTER', value: (n) => percent(n.after), align: 'right' },
      { header: 'CHANGE', value: (n) => (n.status === 'kept' ? '' : n.status) },
    ]),
    ...more(nodes.length, cut(nodes, limit).length, 'nodes'),
  );
  if (plan.keys !== undefined) {
    lines.push('', `keys: ${plan.keysMoved} of ${plan.keysTotal} move`);
    if (plan.keys.length > 0) {
      lines.push(
        renderTable(cut(plan.keys, limit), [
          { header: 'KEY', value: (k) => k.key },
          { header: 'FROM', value: (k) => (k.before ?? [k.from]).join(',') },
          { header: 'TO', value: (k) => (k.after ?? [k.to]).join(',') },
        ]),
        ...more(plan.keys.length, cut(plan.keys, limit).length, 'keys'),
      );
    }
  }
  if (plan.steps !== undefined) {
    lines.push('', `step by step (${percent(plan.stepsMovedFraction ?? 0, 3)} moved in total):`);
    plan.steps.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step.change}: moves ${percent(step.movedFraction, 3)} (ideal ${percent(step.idealFraction, 3)}), max load ${ratio(step.imbalance.maxOverMean)} after`);
    });
  }
  return lines.join('\n');
}
