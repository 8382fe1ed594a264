/**
 * The event log: joins, suspicions, failures, leaves and updates with their UTC times, newest at
 * the bottom; scrolling moves back in time. Pure.
 */
import type { MembershipEvent } from '../../src/cluster/events.js';
import { clip, clockUtc, type PaneView, type Row, type Tone } from './text.js';

/** A log line: a membership event, or a note from the dashboard itself. */
export interface LogEntry {
  atMs: number;
  event?: MembershipEvent;
  note?: string;
}

const TONE: Record<MembershipEvent['type'], Tone | undefined> = { joined: 'good', alive: 'good', suspect: 'warn', failed: 'bad', left: 'dim', updated: undefined };

export function describeEntry(entry: LogEntry): string {
  const time = clockUtc(entry.atMs);
  if (!entry.event) return `${time} ${entry.note ?? ''}`;
  const e = entry.event;
  const was = e.previous ? ` (was ${e.previous})` : '';
  return `${time} ${e.type.padEnd(7)} ${e.member} ${e.addr || '-'} inc ${e.incarnation}${was}`;
}

export interface EventsViewInput {
  entries: readonly LogEntry[];
  /** Lines scrolled back from the newest. */
  scroll: number;
  width: number;
  height: number;
}

export function eventsView(input: EventsViewInput): PaneView {
  const { entries, width, height } = input;
  const back = Math.max(0, Math.min(input.scroll, entries.length - height));
  const end = entries.length - back;
  const shown = entries.slice(Math.max(0, end - height), end);
  const rows: Row[] = shown.map((entry) => ({ text: clip(describeEntry(entry), width), tone: entry.event ? TONE[entry.event.type] : 'dim' }));
  const title = back > 0 ? `events (UTC), ${back} newer below` : 'events (UTC)';
  return { title, rows };
}
