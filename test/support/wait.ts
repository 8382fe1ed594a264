/**
 * Waiting in tests without fixed sleeps: poll a predicate until it returns something truthy or a
 * deadline passes. A predicate that throws counts as "not yet"; its last error is reported on
 * timeout, so a failing wait says what it last saw.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Time between polls (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

/** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
export async function waitFor<T>(predicate: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 100, what = 'a condition' }: WaitOptions = {}): Promise<NonNullable<T>> {
  const start = performance.now();
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    const left = timeoutMs - (performance.now() - start);
    if (left <= 0) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await sleep(Math.min(intervalMs, left));
  }
}
