/**
 * The ring pane: each node's share of the keyspace as a bar (most loaded first), load over fair
 * share, and the imbalance, from the same report `ringside ring` prints (src/ring/report.ts). Pure.
 */
import type { RingReport } from '../../src/ring/report.js';
import { bar, clip, fit, type PaneView, type Row, windowOf } from './text.js';

export interface RingViewInput {
  report: RingReport | null;
  /** Why there is no ring (no member can take part, a bad flag), shown instead of bars. */
  error?: string | null;
  scroll: number;
  width: number;
  height: number;
}

/** 1 decimal for shares of 10% and more, 2 below, 3 below 1% (1,000-node rings). */
const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction >= 0.1 ? 1 : fraction >= 0.01 ? 2 : 3)}%`;

export function ringView(input: RingViewInput): PaneView {
  const { report, width, height } = input;
  if (!report) return { title: 'ring', rows: [{ text: clip(input.error ?? 'computing…', width), tone: input.error ? 'bad' : 'dim' }] };
  const how = report.exact ? '' : ', estimated';
  const title = `ring ${report.algorithm}${report.replicas > 1 ? ` RF ${report.replicas}` : ''}: ${report.nodes.length} nodes${how}`;
  const worst = report.imbalance.maxOverMean;
  const rows: Row[] = [
    {
      text: clip(`load max ${worst.toFixed(2)}x min ${report.imbalance.minOverMean.toFixed(2)}x sd ${percent(report.imbalance.stddev)}`, width),
      tone: worst > 1.5 ? 'bad' : worst > 1.2 ? 'warn' : 'good',
    },
  ];
  const nodes = [...report.nodes].sort((a, b) => b.ownership - a.ownership || (a.node < b.node ? -1 : 1));
  const top = nodes[0]?.ownership ?? 0;
  const nameWidth = Math.max(4, Math.min(20, Math.floor(width / 3), ...nodes.map((n) => n.node.length)));
  const tail = 13; // " 100.0% 1.00x"
  const barWidth = Math.max(0, width - nameWidth - tail - 1);
  const room = Math.max(0, height - rows.length - (report.excluded.length > 0 ? 1 : 0));
  const view = windowOf(nodes.length, room, input.scroll);
  for (const node of nodes.slice(view.start, view.end)) {
    const text = `${fit(node.node, nameWidth)} ${bar(top > 0 ? node.ownership / top : 0, barWidth)}${fit(percent(node.ownership), 7, 'right')}${fit(`${node.load.toFixed(2)}x`, 6, 'right')}`;
    rows.push({ text: clip(text, width), tone: node.load > 1.5 ? 'bad' : node.load > 1.2 ? 'warn' : undefined });
  }
  if (report.excluded.length > 0) rows.push({ text: clip(`not in the ring: ${report.excluded.map((e) => `${e.name} (${e.reason})`).join(', ')}`, width), tone: 'dim' });
  return { title, rows: rows.slice(0, height) };
}
