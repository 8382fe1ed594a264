/**
 * The only file that knows blessed: boxes placed by the layout, filled with the rows the
 * view-models return, keypresses translated for the key reducer. destroy() gives the terminal
 * back exactly as it was (normal buffer, cursor shown, echo and line mode restored).
 */
import blessed from 'blessed';
import type { Key, PaneId } from './keys.js';
import { PANES } from './keys.js';
import type { Layout, Rect } from './view-models/layout.js';
import { clip, type PaneView, type Row, type Tone } from './view-models/text.js';

export interface Frame {
  layout: Layout;
  panes: Record<PaneId, PaneView>;
  focus: PaneId;
  status: Row;
  help: string[] | null;
}

export interface DashScreen {
  size(): { width: number; height: number };
  draw(frame: Frame): void;
  onKey(listener: (key: Key) => void): void;
  onResize(listener: () => void): void;
  destroy(): void;
}

const COLOUR: Record<Tone, string> = { good: 'green', warn: 'yellow', bad: 'red', dim: 'gray', accent: 'cyan' };

function tagged(row: Row): string {
  const text = blessed.escape(row.text);
  if (!row.tone) return text;
  const colour = COLOUR[row.tone];
  return `{${colour}-fg}${text}{/${colour}-fg}`;
}

function place(box: blessed.Widgets.BoxElement, rect: Rect): void {
  box.left = rect.left;
  box.top = rect.top;
  box.width = rect.width;
  box.height = rect.height;
}

/**
 * The terminal to draw on: stdout, or stderr when stdout is redirected (`dash --json > FILE`
 * keeps the summary in the file); undefined when neither is a terminal or stdin is not one.
 */
export function terminalOutput(): NodeJS.WriteStream | undefined {
  if (!process.stdin.isTTY) return undefined;
  if (process.stdout.isTTY) return process.stdout;
  return process.stderr.isTTY ? process.stderr : undefined;
}

export function createDashScreen(options: { title?: string; output?: NodeJS.WriteStream } = {}): DashScreen {
  const screen = blessed.screen({
    // @types/blessed types these streams wrongly; blessed takes any TTY stream.
    ...((options.output ? { input: process.stdin, output: options.output } : {}) as object),
    smartCSR: true,
    title: options.title ?? 'ringside dash',
    autoPadding: false,
    fullUnicode: false,
    dockBorders: false,
    warnings: false,
  });
  // On a UTF-8 terminal write box-drawing and block characters as UTF-8 rather than through the
  // VT100 alternate character set: the same picture, and copy-paste or tmux capture-pane keep it.
  const tput = (screen.program as unknown as { tput: { unicode: boolean; brokenACS: boolean } }).tput;
  if (tput.unicode) tput.brokenACS = true;
  const boxes = Object.fromEntries(
    PANES.map((id) => [id, blessed.box({ parent: screen, tags: true, border: { type: 'line' }, style: { border: { fg: 'gray' }, label: { fg: 'white' } }, wrap: false })]),
  ) as Record<PaneId, blessed.Widgets.BoxElement>;
  const status = blessed.box({ parent: screen, tags: true, height: 1, wrap: false });
  const help = blessed.box({ parent: screen, tags: true, border: { type: 'line' }, style: { border: { fg: 'cyan' } }, hidden: true, label: ' help ' });
  const tooSmall = blessed.box({ parent: screen, tags: true, hidden: true, top: 0, left: 0, width: '100%', height: '100%' });
  let destroyed = false;

  return {
    size: () => ({ width: Number(screen.width), height: Number(screen.height) }),
    draw(frame) {
      if (destroyed) return;
      const { layout } = frame;
      if (layout.tooSmall) {
        for (const id of PANES) boxes[id].hide();
        status.hide();
        help.hide();
        tooSmall.setContent(blessed.escape(`terminal too small (${layout.status.width}x${layout.status.top + 1}); ringside dash needs 60x16, best 80x24 or larger`));
        tooSmall.show();
        screen.render();
        return;
      }
      tooSmall.hide();
      for (const id of PANES) {
        const box = boxes[id];
        place(box, layout.panes[id]);
        box.setLabel(` ${blessed.escape(clip(frame.panes[id].title, layout.panes[id].width - 4))} `);
        box.style.border.fg = id === frame.focus ? 'cyan' : 'gray';
        box.setContent(frame.panes[id].rows.map(tagged).join('\n'));
        box.show();
      }
      place(status, layout.status);
      status.setContent(tagged(frame.status));
      status.show();
      if (frame.help) {
        const width = Math.min(layout.status.width, Math.max(...frame.help.map((l) => l.length)) + 4);
        const height = Math.min(layout.status.top, frame.help.length + 2);
        place(help, { left: Math.max(0, Math.floor((layout.status.width - width) / 2)), top: Math.max(0, Math.floor((layout.status.top - height) / 2)), width, height });
        help.setContent(frame.help.map((l) => blessed.escape(l)).join('\n'));
        help.show();
        help.setFront();
      } else help.hide();
      screen.render();
    },
    onKey(listener) {
      screen.on('keypress', (ch: string | undefined, key: { name?: string; ctrl?: boolean; shift?: boolean } | undefined) => {
        // blessed reports Enter twice ('enter', then 'return'); keep one.
        if (key?.name === 'return') return;
        const name = key?.name === 'linefeed' ? 'enter' : key?.name;
        listener({ ...(name !== undefined ? { name } : {}), ...(ch !== undefined ? { ch } : {}), ctrl: key?.ctrl ?? false, shift: key?.shift ?? false });
      });
    },
    onResize(listener) {
      screen.on('resize', listener);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      screen.destroy();
    },
  };
}
