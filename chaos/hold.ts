/**
 * A fault's life in the foreground: apply, hold until --duration ends or SIGINT/SIGTERM arrives,
 * revert. A signal during apply reverts as soon as apply finishes; further signals are ignored
 * until the revert is done (a second Ctrl-C must not leave rules behind).
 */
import { type Applied, type ApplyOptions, applyFault } from './apply.js';
import { readJournal } from './journal.js';
import { revertRecord } from './revert.js';

export interface FaultRun extends Applied {
  /** Why it ended: its duration passed, a signal came, or it was left in place (--detach). */
  ended: 'duration' | 'signal' | 'detached' | 'dry-run';
  revertedAtMs: number | null;
  revertErrors: string[];
}

export interface RunFaultOptions extends ApplyOptions {
  /** Called once the fault is in place (e.g. to tell the user how to stop it). */
  onApplied?: (applied: Applied) => void;
}

export async function runFault(o: RunFaultOptions): Promise<FaultRun> {
  let signalled = false;
  let wake: (() => void) | undefined;
  const onSignal = (): void => {
    signalled = true;
    wake?.();
  };
  const holding = !o.dryRun && !o.detach;
  if (holding) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  }
  try {
    const applied = await applyFault(o);
    if (!holding) return { ...applied, ended: o.dryRun ? 'dry-run' : 'detached', revertedAtMs: null, revertErrors: [] };
    o.onApplied?.(applied);
    if (!signalled) {
      // A signal handler does not keep Node's event loop alive; the timer does (until Ctrl-C).
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = o.durationMs !== undefined ? setTimeout(resolve, Math.max(0, (applied.expiresAtMs ?? 0) - Date.now())) : setInterval(() => undefined, 60_000);
      });
      clearTimeout(timer);
      clearInterval(timer);
    }
    const record = readJournal(applied.journalDir, applied.id);
    const errors = record ? (await revertRecord(record, applied.journalDir, o.on)).errors : [];
    return { ...applied, ended: signalled ? 'signal' : 'duration', revertedAtMs: Date.now(), revertErrors: errors };
  } finally {
    if (holding) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    }
  }
}
