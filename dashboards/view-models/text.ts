/** Text helpers every view-model shares: fitting cells, sparklines, durations, clock times. Pure. */

export type Tone = 'good' | 'warn' | 'bad' | 'dim' | 'accent';

/** One line of a pane, with an optional colour meaning (the screen maps tones to colours). */
export interface Row {
  text: string;
  tone?: Tone;
}

/** What a pane shows: a title for its border and the rows that fit its inner height. */
export interface PaneView {
  title: string;
  rows: Row[];
}

/** Cuts `text` to `width` columns (an ellipsis marks the cut) and pads it to exactly `width`. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  return align === 'left' ? cut.padEnd(width) : cut.padStart(width);
}

/** Cuts without padding (for the last cell of a line). */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * The last `width` values as block characters scaled to [0, max] (max defaults to the largest
 * shown value); an absent value (no traffic that interval) is a space.
 */
export function sparkline(values: readonly (number | null)[], width: number, max?: number): string {
  const shown = values.slice(Math.max(0, values.length - width));
  const top = max ?? Math.max(0, ...shown.map((v) => v ?? 0));
  return shown
    .map((v) => {
      if (v === null) return ' ';
      if (top <= 0) return BLOCKS[0];
      const level = Math.round((Math.min(v, top) / top) * (BLOCKS.length - 1));
      return BLOCKS[level];
    })
    .join('');
}

/** A horizontal bar of `fraction` (0..1) of `width` cells, in eighths. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const parts = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return `${'█'.repeat(full)}${parts[partial]}`.padEnd(width);
}

/** Microseconds for people: 850us, 1.25ms, 12.5ms, 1.20s. */
export function formatUs(us: number): string {
  if (us < 1000) return `${Math.round(us)}us`;
  if (us < 10_000) return `${(us / 1000).toFixed(2)}ms`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(1)}ms`;
  return `${(us / 1_000_000).toFixed(2)}s`;
}

/** HH:MM:SS in UTC of an epoch time in milliseconds. */
export function clockUtc(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Visible window of `total` rows of which `height` fit, scrolled by `offset` (clamped). */
export function windowOf(total: number, height: number, offset: number): { start: number; end: number; offset: number } {
  const maxOffset = Math.max(0, total - height);
  const clamped = Math.max(0, Math.min(offset, maxOffset));
  return { start: clamped, end: Math.min(total, clamped + Math.max(0, height)), offset: clamped };
}

/** Word-wraps `text` into lines of at most `width` columns (long words are cut). */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= width) line = candidate;
    else {
      if (line !== '') lines.push(line);
      line = word.length > width ? clip(word, width) : word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
