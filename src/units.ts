/**
 * Durations and sizes as people write them on the command line (CLI.md): `250ms`, `10s`, `2m`;
 * `10MB`, `1.5GiB`, `1mbit`. Decimal units are powers of 1000, binary (KiB...) of 1024; bit
 * units are converted to bytes.
 */
import { usageError } from './errors.js';

const DURATION_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string, flag = 'duration'): number {
  const match = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw usageError(`--${flag} ${text} is not a duration`, 'write it like 250ms, 10s, 2m or 1h');
  return Number(match[1]) * (DURATION_MS[match[2] as string] as number);
}

const SIZE_BYTES: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  p: 1e15,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
  bit: 1 / 8,
  kbit: 1e3 / 8,
  mbit: 1e6 / 8,
  gbit: 1e9 / 8,
};

/** Bytes in a size such as `10MB`, `1.5GiB`, `1mbit` (bits are divided by 8). */
export function parseSize(text: string, flag = 'size'): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const factor = match ? SIZE_BYTES[(match[2] as string).toLowerCase()] : undefined;
  if (!match || factor === undefined) throw usageError(`--${flag} ${text} is not a size`, 'write it like 500GB, 1.5TiB or 1000000');
  const bytes = Number(match[1]) * factor;
  if (!Number.isFinite(bytes)) throw usageError(`--${flag} ${text} is too large`);
  return bytes;
}

/** A duration in milliseconds as 45s, 3m05s, 2h01m. */
export function formatDurationMs(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
