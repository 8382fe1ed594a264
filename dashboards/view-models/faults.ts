/** The faults pane: every fault the chaos journal says is active, with time left. Pure. */
import type { ActiveFault } from '../feeds.js';
import { clip, fit, formatDurationMs, type PaneView, type Row, windowOf, wrap } from './text.js';

export interface FaultsViewInput {
  /** null until the first poll answered. */
  faults: readonly ActiveFault[] | null;
  /** Why faults cannot be shown (no chaos in this build, journal unreadable). */
  note: string | null;
  nowMs: number;
  scroll: number;
  width: number;
  height: number;
}

/** "12s left", "expired", or "until healed" for a fault without expiry. */
export function timeLeft(fault: ActiveFault, nowMs: number): string {
  if (fault.expiresAtMs === null) return 'until healed';
  const left = fault.expiresAtMs - nowMs;
  return left <= 0 ? 'expiring' : `${formatDurationMs(left + 999)} left`;
}

export function faultsView(input: FaultsViewInput): PaneView {
  const { faults, width, height, nowMs } = input;
  if (faults === null || (faults.length === 0 && input.note)) return { title: 'faults', rows: wrap(input.note ?? 'reading the chaos journal…', width).slice(0, height).map((text) => ({ text, tone: 'dim' as const })) };
  if (faults.length === 0) return { title: 'faults: none active', rows: [{ text: 'no active fault', tone: 'good' }] };
  const ordered = [...faults].sort((a, b) => (a.expiresAtMs ?? Infinity) - (b.expiresAtMs ?? Infinity) || a.appliedAtMs - b.appliedAtMs);
  const rows: Row[] = [];
  if (input.note) rows.push({ text: clip(input.note, width), tone: 'warn' });
  const perFault = height - rows.length >= ordered.length * 2 ? 2 : 1;
  const view = windowOf(ordered.length, Math.floor((height - rows.length) / perFault), input.scroll);
  for (const fault of ordered.slice(view.start, view.end)) {
    const left = timeLeft(fault, nowMs);
    const head = `${fault.kind} ${fault.summary}`;
    rows.push({ text: `${fit(head, Math.max(0, width - left.length - 1))} ${left}`.slice(0, width), tone: 'bad' });
    if (perFault === 2) rows.push({ text: clip(`  ${fault.id} on ${fault.targets.join(', ') || '-'}, for ${formatDurationMs(nowMs - fault.appliedAtMs)}`, width), tone: 'dim' });
  }
  return { title: `faults: ${faults.length} active`, rows: rows.slice(0, height) };
}
