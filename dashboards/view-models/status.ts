/** The status line at the bottom and the help overlay. Pure. */
import type { UiState } from '../keys.js';
import { clip, clockUtc, type Row } from './text.js';

export interface StatusInput {
  ui: UiState;
  source: string;
  nowMs: number;
  /** Events waiting while paused. */
  pendingEvents: number;
  width: number;
}

export function statusLine(input: StatusInput): Row {
  const { ui, width } = input;
  if (ui.input) {
    const prompt = ui.input.kind === 'owner' ? 'owner of key: ' : 'filter members: ';
    return { text: clip(`${prompt}${ui.input.text}▏  (Enter ${ui.input.kind === 'owner' ? 'looks up' : 'keeps'}, Esc ${ui.input.kind === 'owner' ? 'cancels' : 'clears'})`, width), tone: 'accent' };
  }
  if (ui.message) return { text: clip(ui.message.text, width), ...(ui.message.tone ? { tone: ui.message.tone } : {}) };
  const paused = ui.paused ? `PAUSED (${input.pendingEvents} new events) · ` : '';
  const keys = '? help · q quit';
  const left = `${paused}${clockUtc(input.nowMs)} · ${input.source} · focus ${ui.focus}${ui.filter ? ` · filter /${ui.filter}` : ''}`;
  const room = width - keys.length - 1;
  return { text: room > 10 ? `${clip(left, room).padEnd(room)} ${keys}` : clip(left, width), ...(ui.paused ? { tone: 'warn' as const } : {}) };
}

export const HELP_LINES = [
  'ringside dash: keys',
  '',
  'Tab / Shift-Tab   move focus between panes',
  'Up / Down         scroll the focused pane',
  'PgUp / PgDn       scroll a page; Home / End',
  '/                 filter members (Enter keeps, Esc clears)',
  'o                 owners of a key (as ringside owner)',
  'p                 pause / resume the display',
  '?                 this help (any key closes it)',
  'q, Ctrl-C         quit and print a summary',
  '',
  'members: * marks a ringside observer; problems first',
  'ring: share of the keyspace, load over fair share',
];
