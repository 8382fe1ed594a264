/**
 * What each key does, as a pure reducer over the dashboard's UI state: Tab moves focus, arrows
 * scroll the focused pane, `/` edits the member filter, `o` asks for a key and looks up its
 * owners, `p` pauses, `?` shows help, q and Ctrl-C quit. The screen only translates keypresses.
 */
import type { Row } from './view-models/text.js';

export const PANES = ['members', 'ring', 'latency', 'faults', 'events'] as const;
export type PaneId = (typeof PANES)[number];

export interface InputLine {
  kind: 'owner' | 'filter';
  text: string;
}

export interface UiState {
  focus: PaneId;
  /** Rows scrolled per pane (events: rows back from the newest). */
  scroll: Record<PaneId, number>;
  paused: boolean;
  filter: string;
  input: InputLine | null;
  help: boolean;
  /** The last answer (owner lookup) or notice, shown on the status line until the next key. */
  message: Row | null;
}

/** A keypress as blessed (and Node's readline) describe it. */
export interface Key {
  name?: string;
  ch?: string;
  ctrl?: boolean;
  shift?: boolean;
}

export type KeyAction = { type: 'quit' } | { type: 'owner'; key: string } | null;

export function initialUi(): UiState {
  return { focus: 'members', scroll: { members: 0, ring: 0, latency: 0, faults: 0, events: 0 }, paused: false, filter: '', input: null, help: false, message: null };
}

const PAGE = 10;

function scrolled(ui: UiState, delta: number, limits: Partial<Record<PaneId, number>>): UiState {
  // In the event log, up goes back in time (away from the newest line at the bottom).
  const sign = ui.focus === 'events' ? -1 : 1;
  const max = limits[ui.focus] ?? Number.MAX_SAFE_INTEGER;
  const next = Math.max(0, Math.min(max, ui.scroll[ui.focus] + sign * delta));
  return { ...ui, scroll: { ...ui.scroll, [ui.focus]: next } };
}

function editInput(ui: UiState, input: InputLine, key: Key): { ui: UiState; action: KeyAction } {
  const withText = (text: string): UiState => ({ ...ui, input: { ...input, text }, ...(input.kind === 'filter' ? { filter: text, scroll: { ...ui.scroll, members: 0 } } : {}) });
  switch (key.name) {
    case 'escape':
      return { ui: { ...ui, input: null, ...(input.kind === 'filter' ? { filter: '' } : {}) }, action: null };
    case 'enter':
    case 'return': {
      const text = input.text.trim();
      if (input.kind === 'owner') return { ui: { ...ui, input: null }, action: text === '' ? null : { type: 'owner', key: input.text } };
      return { ui: { ...ui, input: null, filter: text }, action: null };
    }
    case 'backspace':
      return { ui: withText(input.text.slice(0, -1)), action: null };
    default:
      if (key.ch !== undefined && !key.ctrl && key.ch >= ' ' && key.ch !== '\x7f') return { ui: withText(input.text + key.ch), action: null };
      return { ui, action: null };
  }
}

/**
 * The new UI state after `key`, and what the dashboard must do (quit, look up an owner).
 * `limits` caps each pane's scroll at what it can show.
 */
export function reduceKey(current: UiState, key: Key, limits: Partial<Record<PaneId, number>> = {}): { ui: UiState; action: KeyAction } {
  if (key.ctrl && key.name === 'c') return { ui: current, action: { type: 'quit' } };
  const ui = current.message ? { ...current, message: null } : current;
  if (ui.input) return editInput(ui, ui.input, key);
  if (ui.help) return { ui: { ...ui, help: false }, action: key.ch === 'q' ? { type: 'quit' } : null };
  switch (key.name) {
    case 'tab': {
      const step = key.shift ? PANES.length - 1 : 1;
      return { ui: { ...ui, focus: PANES[(PANES.indexOf(ui.focus) + step) % PANES.length]! }, action: null };
    }
    case 'up':
      return { ui: scrolled(ui, -1, limits), action: null };
    case 'down':
      return { ui: scrolled(ui, 1, limits), action: null };
    case 'pageup':
      return { ui: scrolled(ui, -PAGE, limits), action: null };
    case 'pagedown':
      return { ui: scrolled(ui, PAGE, limits), action: null };
    case 'home':
      return { ui: { ...ui, scroll: { ...ui.scroll, [ui.focus]: ui.focus === 'events' ? (limits.events ?? 0) : 0 } }, action: null };
    case 'end':
      return { ui: { ...ui, scroll: { ...ui.scroll, [ui.focus]: ui.focus === 'events' ? 0 : (limits[ui.focus] ?? 0) } }, action: null };
    default:
      break;
  }
  switch (key.ch) {
    case 'q':
      return { ui, action: { type: 'quit' } };
    case 'p':
      return { ui: { ...ui, paused: !ui.paused }, action: null };
    case '?':
      return { ui: { ...ui, help: true }, action: null };
    case '/':
      return { ui: { ...ui, input: { kind: 'filter', text: ui.filter }, focus: 'members' }, action: null };
    case 'o':
      return { ui: { ...ui, input: { kind: 'owner', text: '' } }, action: null };
    default:
      return { ui, action: null };
  }
}
