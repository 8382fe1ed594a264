/** The human rendering of a diagnosis (the JSON is the same data): findings, most severe first. */
import type { Finding } from '../cluster/diagnose/index.js';
import type { DiagnoseResult } from '../cluster/diagnose/run.js';

function evidenceLines(f: Finding): string[] {
  const e = f.evidence;
  switch (f.kind) {
    case 'partition':
      return (e['sides'] as Array<{ observers: string[]; holdsDown: string[]; since: string }>).map((s) => `{${s.observers.join(',')}} holds ${s.holdsDown.join(',')} failed since ${s.since}`);
    case 'accuser':
      return e['source'] === 'views'
        ? [`its view: ${Object.entries(e['heldDown'] as Record<string, string>).map(([m, s]) => `${m} ${s}`).join(', ')}`]
        : [`accusations heard: ${String(e['accusations'])}, refuted: ${String(e['refuted'])}; alone against: ${Object.entries(e['accused'] as Record<string, number>).map(([m, n]) => `${m} x${n}`).join(', ')}`];
    case 'one-way':
      return (e['pairs'] as Array<{ a: string; b: string; aSeesB: string; since: string | null }>).map((p) => `${p.a} sees ${p.b} ${p.aSeesB} (since ${p.since ?? '?'}), ${p.b} sees ${p.a} alive`);
    case 'gray-member':
      return [`per view: ${Object.entries(e['byView'] as Record<string, { failedCycles: number; suspectCycles: number }>).map(([o, v]) => `${o} ${v.failedCycles} failed/${v.suspectCycles} suspect`).join(', ') || 'no cycles between polls'}`];
    case 'failed':
      return [`held failed by ${(e['heldFailedBy'] as string[]).join(', ')} since ${String(e['since'])}`];
    case 'unreachable-from-here':
      return [`${String(e['polls'])} polls failed: ${String(e['error'])}; held alive by ${(e['heldAliveBy'] as string[]).join(', ')}`];
    case 'version-skew':
      return Object.entries(e['versions'] as Record<string, string[]>).map(([v, ms]) => `${v}: ${ms.join(', ')}`);
    case 'tag-drift':
      return (e['variants'] as Array<{ tags: Record<string, string>; observers: string[] }>).map((v) => `${JSON.stringify(v.tags)} to ${v.observers.join(', ')}`);
  }
}

export function renderDiagnosis(r: DiagnoseResult): string {
  const window = `${Math.round(r.durationMs / 1000)}s, ${r.polls} polls of ${r.views} views`;
  if (r.findings.length === 0) return `${r.healthy ?? 'healthy'} in ${window}`;
  const lines = [`${r.findings.length} finding(s) in ${window}:`];
  for (const f of r.findings) {
    lines.push('', `${f.kind.toUpperCase()} (${f.severity}): ${f.summary}`);
    for (const line of evidenceLines(f)) lines.push(`  ${line}`);
    lines.push(`  next: ${f.advice}`);
  }
  for (const note of r.notes) lines.push('', `note: ${note}`);
  return lines.join('\n');
}
