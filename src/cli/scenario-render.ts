/** The human rendering of a scenario report (the JSON is the same data). */
import type { ProbeFigures } from '../../chaos/scenario/probes.js';
import type { ScenarioReport } from '../../chaos/scenario/run.js';
import { formatMs } from '../probes/summary.js';
import { renderTable } from '../table.js';

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
      { header: 'AGREED', value: (p) => (p.agreementMs === null && p.disagreeing.length > 0 ? `no (${p.disagreeing.join(',')})` : ms(p.agreementMs)), align: 'right' },
      { header: 'POLLS', value: (p) => (p.viewIntervalMs === null ? '-' : `${p.viewPolls}/${p.viewIntervalMs}ms`), align: 'right' },
    ]),
  );
  const flapping = r.phases.flatMap((p) => p.memberFlaps.filter((f) => f.flaps > 0 || f.incarnationDelta > 0).map((f) => ({ phase: p.name, f })));
  if (flapping.length > 0) {
    lines.push('', "flaps per member, as each member's own view saw them (the view that saw the most; incarnation rises count refutations between polls):");
    lines.push(
      renderTable(flapping, [
        { header: 'PHASE', value: (x) => x.phase },
        { header: 'MEMBER', value: (x) => x.f.member },
        { header: 'FAILED', value: (x) => String(x.f.failedCycles), align: 'right' },
        { header: 'SUSPECT', value: (x) => String(x.f.suspectCycles), align: 'right' },
        { header: 'INC+', value: (x) => String(x.f.incarnationDelta), align: 'right' },
        { header: 'VIEWS', value: (x) => String(x.f.seenBy), align: 'right' },
        { header: 'BY VIEW (failed/suspect)', value: (x) => Object.entries(x.f.byView).map(([o, v]) => `${o} ${v.failedCycles}/${v.suspectCycles}`).join(' ') },
      ]),
    );
  }
  if (r.probe) lines.push('', 'latency probes (corrected for coordinated omission; errors are not in the percentiles):', renderProbes(r));
  if (!r.observed) lines.push('', 'not observed (no --join): faults only, no cluster metrics');
  if (r.expectations.length > 0) lines.push('', ...r.expectations.map((e) => `${e.pass ? 'PASS' : 'FAIL'}  ${e.expect}  (actual ${e.actual ?? 'never'})`));
  return lines.join('\n');
}

const lat = (v: number | null): string => (v === null ? '-' : formatMs(v));

/** One row per phase and probe, then the whole run. */
function renderProbes(r: ScenarioReport): string {
  const rows: Array<{ phase: string; probe: string; f: ProbeFigures }> = [];
  for (const p of r.phases) for (const [probe, f] of Object.entries(p.probes ?? {})) rows.push({ phase: p.name, probe, f });
  for (const [probe, f] of Object.entries(r.probe?.overall ?? {})) rows.push({ phase: '(all)', probe, f });
  return renderTable(rows, [
    { header: 'PHASE', value: (x) => x.phase },
    { header: 'PROBE', value: (x) => x.probe },
    { header: 'COUNT', value: (x) => String(x.f.count), align: 'right' },
    { header: 'ERRORS', value: (x) => String(x.f.errors), align: 'right' },
    { header: 'p50', value: (x) => lat(x.f.p50), align: 'right' },
    { header: 'p90', value: (x) => lat(x.f.p90), align: 'right' },
    { header: 'p99', value: (x) => lat(x.f.p99), align: 'right' },
    { header: 'p99.9', value: (x) => lat(x.f.p999), align: 'right' },
    { header: 'max', value: (x) => lat(x.f.max), align: 'right' },
  ]);
}
