/**
 * The safety net of the test peers: `onTestProcessExit(cleanup)` runs `cleanup` when the test
 * process exits, and on SIGTERM/SIGINT (vitest ends its fork workers with SIGTERM, which skips
 * 'exit'), then lets the signal do its default. Cleanups run once each, in registration order.
 */
const cleanups: Array<() => void> = [];
let installed = false;

function runAll(): void {
  for (const cleanup of cleanups.splice(0)) {
    try {
      cleanup();
    } catch {
      // a safety net never throws
    }
  }
}

export function onTestProcessExit(cleanup: () => void): void {
  cleanups.push(cleanup);
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      runAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
