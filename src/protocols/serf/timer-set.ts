/**
 * The timers an observer owns, so that stopping it clears every one of them: repeating tasks
 * (unref'd: they never keep the process alive) and sleeps (which do, like any awaited wait).
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();
  private cleared = false;

  /** Runs `task` every `ms` until cleared. */
  every(ms: number, task: () => void): void {
    const run = (): void => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.cleared) return;
        task();
        run();
      }, ms);
      timer.unref();
      this.timers.add(timer);
    };
    run();
  }

  /** A timer that `clear()` cancels; returns it so the caller can cancel it earlier. */
  after(ms: number, task: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  clear(): void {
    this.cleared = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
