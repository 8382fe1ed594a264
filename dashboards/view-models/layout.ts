/**
 * Where each pane goes for a terminal of width x height (80x24 and larger): members and ring on
 * top, latency and faults in the middle, the event log below, one status line at the bottom.
 * Rectangles include the pane's border. Pure.
 */
import type { PaneId } from '../keys.js';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Layout {
  panes: Record<PaneId, Rect>;
  status: Rect;
  /** Set when the terminal is too small to show the panes. */
  tooSmall: boolean;
}

export const MIN_WIDTH = 60;
export const MIN_HEIGHT = 16;

export function layoutFor(width: number, height: number): Layout {
  const status: Rect = { left: 0, top: Math.max(0, height - 1), width, height: 1 };
  const body = Math.max(0, height - 1);
  const top = Math.max(5, Math.round(body * 0.4));
  const middle = Math.max(5, Math.round(body * 0.33));
  const bottom = Math.max(0, body - top - middle);
  const left = Math.round(width * 0.56);
  const right = width - left;
  return {
    status,
    tooSmall: width < MIN_WIDTH || height < MIN_HEIGHT,
    panes: {
      members: { left: 0, top: 0, width: left, height: top },
      ring: { left, top: 0, width: right, height: top },
      latency: { left: 0, top, width: left, height: middle },
      faults: { left, top, width: right, height: middle },
      events: { left: 0, top: top + middle, width, height: bottom },
    },
  };
}

/** The inside of a bordered pane. */
export function inner(rect: Rect): { width: number; height: number } {
  return { width: Math.max(0, rect.width - 2), height: Math.max(0, rect.height - 2) };
}
