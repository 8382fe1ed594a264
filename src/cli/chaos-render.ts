/** How chaos commands show what they did (and, with --dry-run, what they would do). */
import type { FaultRun } from '../../chaos/hold.js';
import { describeStep } from '../../chaos/executors/steps.js';
import type { Step } from '../../chaos/faults/types.js';

export interface FaultReport {
  id: string;
  kind: string;
  summary: string;
  targets: string[];
  dryRun: boolean;
  ended: FaultRun['ended'];
  appliedAtMs: number;
  expiresAtMs: number | null;
  deadmanAtMs: number | null;
  revertedAtMs: number | null;
  revertErrors: string[];
  warnings: string[];
  /** From the first host changed to the last (null with --dry-run). */
  spreadMs: number | null;
  hosts: Array<{ on: string; summary: string; firewall?: string; changedAtMs?: number; apply: StepReport[]; revert: StepReport[] }>;
}

/** A step with every argv as the executor runs it (ip netns exec ..., ssh ...). */
export interface StepReport {
  run: string[];
  onlyIf?: string[];
  unless?: string[];
  repeat?: boolean;
  text: string;
}

function stepReport(step: Step, wrap: (argv: readonly string[]) => string[]): StepReport {
  return {
    run: wrap(step.run),
    ...(step.onlyIf ? { onlyIf: wrap(step.onlyIf) } : {}),
    ...(step.unless ? { unless: wrap(step.unless) } : {}),
    ...(step.repeat ? { repeat: true } : {}),
    text: describeStep(step, wrap),
  };
}

export function faultReport(run: FaultRun): FaultReport {
  return {
    id: run.id,
    kind: run.kind,
    summary: run.summary,
    targets: run.targets,
    dryRun: run.dryRun,
    ended: run.ended,
    appliedAtMs: run.appliedAtMs,
    expiresAtMs: run.expiresAtMs,
    deadmanAtMs: run.deadmanAtMs,
    revertedAtMs: run.revertedAtMs,
    revertErrors: run.revertErrors,
    warnings: run.warnings,
    spreadMs: run.spreadMs,
    hosts: run.hosts.map((h) => ({ on: h.on, summary: h.summary, ...(h.firewall !== undefined ? { firewall: h.firewall } : {}), ...(h.changedAtMs !== undefined ? { changedAtMs: h.changedAtMs } : {}), apply: h.apply.map((s) => stepReport(s, h.wrap)), revert: h.revert.map((s) => stepReport(s, h.wrap)) })),
  };
}

export function renderFault(r: FaultReport): string {
  if (r.dryRun) {
    const lines = [`dry run (nothing changed): ${r.summary}, id ${r.id}`];
    for (const h of r.hosts) {
      lines.push('', `${h.on}${h.firewall !== undefined ? ` (${h.firewall})` : ''}:`, '  apply:', ...h.apply.map((s) => `    ${s.text}`), '  revert:', ...h.revert.map((s) => `    ${s.text}`));
    }
    return lines.join('\n');
  }
  const where = `${r.hosts.map((h) => h.on).join(', ')}${r.hosts.length > 1 && r.spreadMs !== null ? ` (all changed within ${r.spreadMs} ms)` : ''}`;
  if (r.ended === 'detached') {
    const until = r.deadmanAtMs === null ? 'until ringside chaos heal' : `until ${new Date(r.deadmanAtMs).toISOString()} (the hosts revert it then)`;
    return `applied ${r.summary} on ${where}, id ${r.id}, detached: in place ${until}; heal with: ringside chaos heal --id ${r.id}`;
  }
  const took = r.revertedAtMs !== null ? ((r.revertedAtMs - r.appliedAtMs) / 1000).toFixed(1) : '?';
  const errors = r.revertErrors.length > 0 ? `\nrevert errors (run ringside chaos recover): ${r.revertErrors.join('; ')}` : '';
  return `${r.summary} on ${where}, id ${r.id}: reverted after ${took}s (${r.ended === 'signal' ? 'interrupted' : 'duration over'})${errors}`;
}
