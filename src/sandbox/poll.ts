/**
 * Polling with a deadline, the only way the sandbox waits: no fixed sleeps, just "check, and if
 * not yet, check again shortly, until the deadline". Times come from the monotonic clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Milliseconds on a monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

/**
 * Calls `check` until it returns something other than undefined/false (and returns that), or
 * until `timeoutMs` has passed (returns undefined). `check` always runs at least once.
 */
export async function pollUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, intervalMs = 100): Promise<T | undefined> {
  const deadline = nowMs() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    const left = deadline - nowMs();
    if (left <= 0) return undefined;
    await sleep(Math.min(intervalMs, left));
  }
}
