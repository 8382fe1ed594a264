/**
 * The faults pane: every fault the chaos journal says is active. Each fault gets a head line
 * (kind, id, time left: what to heal and how urgent) and, when there is room, its summary below
 * (without the kind the journal's summary starts with), wrapped over the lines each fault gets. Pure.
 */
import type { ActiveFault } from '../feeds.js';
import { formatDurationMs } from '../../src/units.js';
import { clip, fit, type PaneView, type Row, type Tone, windowOf, wrap } from './text.js';

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

/** How long a fault past its expiry may still be in the journal while its holder reverts it. */
const REVERTING_MS = 5000;

/**
 * "12s left", "until healed" for a fault without expiry, "expiring" just after its expiry (the
 * ringside holding it is reverting it), then "overdue 20s": still journaled well after it should
 * have ended (its holder is gone; the hosts' dead-man timers or `chaos heal` will revert it).
 */
export function timeLeft(fault: ActiveFault, nowMs: number): string {
  if (fault.expiresAtMs === null) return 'until healed';
  const left = fault.expiresAtMs - nowMs;
  if (left > 0) return `${formatDurationMs(left + 999)} left`;
  return -left < REVERTING_MS ? 'expiring' : `overdue ${formatDurationMs(-left)}`;
}

/** The summary without the kind it starts with ("partition isolate 10.0.0.3" -> "isolate 10.0.0.3"). */
export function summaryOf(fault: ActiveFault): string {
  return fault.summary.startsWith(`${fault.kind} `) ? fault.summary.slice(fault.kind.length + 1) : fault.summary;
}

/** Where a fault is in place, short: one or two hosts by name, else the first and how many more. */
export function hostsOf(fault: ActiveFault): string {
  const hosts = fault.on ?? [];
  if (hosts.length <= 2) return hosts.join(', ');
  return `${hosts[0]} +${hosts.length - 1} more`;
}

/** The summary line: where, when known (first, so a narrow pane cuts the detail, not the host), then what. */
function describe(fault: ActiveFault): string {
  const hosts = hostsOf(fault);
  return hosts === '' ? summaryOf(fault) : `on ${hosts}: ${summaryOf(fault)}`;
}

/** Word-wraps, breaking words longer than a line (journal paths) instead of cutting them. */
export function wrapBreaking(text: string, width: number): string[] {
  if (width <= 0) return [];
  const pieces = text.split(/\s+/).flatMap((word) => word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? []);
  return wrap(pieces.join(' '), width);
}

/** `text` wrapped to at most `lines` lines of `width`; an ellipsis marks what did not fit. */
function wrapAtMost(text: string, width: number, lines: number): string[] {
  const wrapped = wrapBreaking(text, width);
  if (wrapped.length <= lines) return wrapped;
  return [...wrapped.slice(0, lines - 1), clip(wrapped.slice(lines - 1).join(' '), width)];
}

export function faultsView(input: FaultsViewInput): PaneView {
  const { faults, width, height, nowMs } = input;
  if (faults === null || (faults.length === 0 && input.note)) return { title: 'faults', rows: wrapBreaking(input.note ?? 'reading the chaos journal…', width).slice(0, height).map((text) => ({ text, tone: 'dim' as const })) };
  if (faults.length === 0) return { title: 'faults: none active', rows: [{ text: 'no active fault', tone: 'good' }] };
  const ordered = [...faults].sort((a, b) => (a.expiresAtMs ?? Infinity) - (b.expiresAtMs ?? Infinity) || a.appliedAtMs - b.appliedAtMs);
  const rows: Row[] = [];
  if (input.note) rows.push({ text: clip(input.note, width), tone: 'warn' });
  const room = Math.max(0, height - rows.length);
  // Head plus as many summary lines as every fault gets; fewer (down to the head alone) before scrolling.
  const perFault = Math.max(1, Math.floor(room / ordered.length));
  const view = windowOf(ordered.length, Math.floor(room / perFault), input.scroll);
  for (const fault of ordered.slice(view.start, view.end)) {
    const left = timeLeft(fault, nowMs);
    const tone: Tone = left.startsWith('overdue') ? 'warn' : 'bad';
    rows.push({ text: clip(`${fit(`${fault.kind} ${fault.id}`, Math.max(0, width - left.length - 1))} ${left}`, width), tone });
    if (perFault === 1) continue;
    // How long it has been in place, when that fits beside the summary.
    const aged = wrapBreaking(`${describe(fault)}, applied ${formatDurationMs(nowMs - fault.appliedAtMs)} ago`, width - 2);
    const lines = aged.length <= perFault - 1 ? aged : wrapAtMost(describe(fault), width - 2, perFault - 1);
    for (const line of lines) rows.push({ text: `  ${line}`, tone: 'dim' });
  }
  return { title: `faults: ${faults.length} active`, rows: rows.slice(0, height) };
}
