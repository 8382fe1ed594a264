/** The human rendering of a scenario report (the JSON is the same data). */
import type { ScenarioReport } from '../../chaos/scenario/run.js';
import { renderTable } from './table.js';

const ms = (v: number | null): string => (v === null ? '-' : `${(v / 1000).toFixed(1)}s`);

export function renderScenario(r: ScenarioReport): string {
  const lines = [`scenario ${r.name}${r.dryRun ? ' (dry run: nothing changed)' : ''}${r.interrupted ? ' (interrupted; faults reverted)' : ''}`, ''];
  if (r.dryRun) {
    for (const p of r.phases) {
      lines.push(`phase ${p.name}:`);
      for (const f of p.faults) for (const [on, cmds] of Object.entries(f.commands ?? {})) lines.push(`  ${f.summary} on ${on}:`, ...cmds.map((c) => `    ${c}`));
    }
    return lines.join('\n');
  }
  lines.push(
    renderTable(r.phases, [
      { header: 'PHASE', value: (p) => p.name },
      { header: 'TOOK', value: (p) => ms(p.durationMs), align: 'right' },
      { header: 'FAULTS', value: (p) => p.faults.map((f) => f.summary).join('; ') || '-' },
      { header: 'SUSPECT', value: (p) => p.faulted.map((f) => `${f.member} ${ms(f.firstSuspectMs)}`).join(' ') || '-' },
      { header: 'FAILED', value: (p) => p.faulted.map((f) => `${f.member} ${ms(f.failedMs)}`).join(' ') || '-' },
      { header: 'FALSE', value: (p) => String(p.falseSuspicions), align: 'right' },
      { header: 'FLAPS', value: (p) => String(p.flaps), align: 'right' },
      { header: 'AGREED', value: (p) => ms(p.agreementMs), align: 'right' },
    ]),
  );
  if (!r.observed) lines.push('', 'not observed (no --join): faults only, no cluster metrics');
  if (r.expectations.length > 0) lines.push('', ...r.expectations.map((e) => `${e.pass ? 'PASS' : 'FAIL'}  ${e.expect}  (actual ${e.actual ?? 'never'})`));
  return lines.join('\n');
}
