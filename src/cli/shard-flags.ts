/** `--shard i/N` and `--start-at TIME`: one schedule split over processes, from one start (pure). */
import { usageError } from '../errors.js';

/** `--shard i/N`: this process sends shard i (0-based) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw usageError(`--shard ${text} is not i/N with 0 <= i < N`, 'e.g. --shard 0/4 ... --shard 3/4 for four shards');
  return { index, count };
}

/** `--start-at`: an ISO 8601 time with a zone (2026-12-04T02:00:00Z) or epoch milliseconds; not over a second in the past. */
export function parseStartAt(text: string, nowMs: number = Date.now()): number {
  const ms = /^\d{12,14}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) throw usageError(`--start-at ${text} is not a time`, 'give an ISO 8601 time with its zone (2026-12-04T02:00:00Z) or epoch milliseconds');
  if (ms < nowMs - 1000) throw usageError(`--start-at ${text} is ${((nowMs - ms) / 1000).toFixed(1)} s in the past`, 'give every shard the same time a few seconds ahead');
  return ms;
}
