/** The human summary of a result: per probe, count, achieved rate, errors and percentiles (µs resolution). */
import { ERROR_KINDS, type BenchResult, type LatencySummary, type Percentiles } from './types.js';

const COLUMNS: (keyof Percentiles)[] = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'];
const HEADERS = ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'];

/** Milliseconds with microsecond resolution, right-aligned. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)} s` : `${ms.toFixed(3)} ms`;
}

function table(rows: [string, Percentiles][]): string[] {
  const cells = [['', ...HEADERS], ...rows.map(([label, p]) => [label, ...COLUMNS.map((c) => formatMs(p[c]))])];
  const widths = (cells[0] as string[]).map((_, i) => Math.max(...cells.map((r) => (r[i] as string).length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd());
}

export function renderBenchSummary(result: BenchResult | { probes: Record<string, LatencySummary & { count: number }>; durationMs: number }): string {
  const lines: string[] = [];
  for (const [name, probe] of Object.entries(result.probes)) {
    const p = probe as Partial<BenchResult['probes'][string]> & LatencySummary & { count: number };
    const errors = p.errorsByKind ? ERROR_KINDS.filter((k) => (p.errorsByKind?.[k] ?? 0) > 0).map((k) => `${k} ${p.errorsByKind?.[k]}`) : [];
    const head = [`${name}: ${p.count.toLocaleString('en-US')} responses in ${(result.durationMs / 1000).toFixed(1)} s`];
    if (p.rate !== undefined) head.push(`${p.rate.toLocaleString('en-US')} req/s achieved`);
    if (p.errors !== undefined) head.push(`${p.errors} errors${errors.length > 0 ? ` (${errors.join(', ')})` : ''}`);
    lines.push(head.join(', '));
    const rows: [string, Percentiles][] = [[p.uncorrected ? 'corrected' : 'latency', p]];
    if (p.uncorrected) rows.push(['uncorrected', p.uncorrected]);
    for (const [phase, summary] of Object.entries(p.phases ?? {})) rows.push([`  ${phase}`, summary]);
    lines.push(...table(rows).map((l) => `  ${l}`), '');
  }
  const routing = (result as BenchResult).routing;
  if (routing) {
    const o = routing.overhead;
    lines.push(`routing overhead (routed - direct): p50 ${formatMs(o.p50)}, p90 ${formatMs(o.p90)}, p99 ${formatMs(o.p99)}, p99.9 ${formatMs(o.p999)}`);
  }
  return lines.join('\n').trimEnd();
}

/** When no probe got a single response and every failure was refused or timed out: what to say. */
export function unreachableReason(result: BenchResult): string | undefined {
  const probes = Object.values(result.probes);
  if (probes.length === 0 || probes.some((p) => p.count > 0 || p.errors === 0)) return undefined;
  const refused = probes.reduce((s, p) => s + p.errorsByKind.refused, 0);
  const timeout = probes.reduce((s, p) => s + p.errorsByKind.timeout, 0);
  const total = probes.reduce((s, p) => s + p.errors, 0);
  if (refused + timeout !== total) return undefined;
  // A merged result (bench merge, --on) keeps each shard's config: they share one target.
  const target = result.config.target ?? (result.config.configs as Array<{ target?: unknown }> | undefined)?.[0]?.target;
  return `no response from ${String(target)}: ${refused} refused, ${timeout} timed out`;
}
