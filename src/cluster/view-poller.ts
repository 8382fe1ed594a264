/**
 * Polls every member's own view at least every `intervalMs` (`diagnose`, `chaos run`, `dash
 * --all-views`): each target on its own schedule, at most one poll in flight per target, so a
 * blackholed member holds up only itself and the rest keep the resolution. Targets are re-read
 * from the observer every round (members that join, or that the other side declared dead, are
 * asked too). Every answer or failure goes to `onView` as it arrives.
 */
import { type ClusterObserver, type MemberView, targetKey } from './observer.js';

export interface ViewPollerOptions {
  intervalMs: number;
  onView: (view: MemberView) => void;
  /** Called once per round after the round's polls were started. */
  onRound?: () => void;
}

export class ViewPoller {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly lastStart = new Map<string, number>();
  private stopped = false;
  polls = 0;
  rounds = 0;

  constructor(
    private readonly observer: Pick<ClusterObserver, 'viewTargets' | 'askView'>,
    private readonly options: ViewPollerOptions,
  ) {}

  /** Starts polling now and then every interval. */
  start(): void {
    this.round();
    this.timer = setInterval(() => this.round(), Math.max(50, Math.floor(this.options.intervalMs / 4)));
  }

  /** Stops polling; answers still in flight are dropped (a blackholed member does not hold up the end). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
  }

  /** Waits until every poll started so far has answered or failed. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight.values());
  }

  private round(): void {
    if (this.stopped) return;
    const now = Date.now();
    let started = 0;
    for (const target of this.observer.viewTargets()) {
      const key = targetKey(target);
      if (this.inFlight.has(key)) continue;
      if (now - (this.lastStart.get(key) ?? 0) < this.options.intervalMs) continue;
      this.lastStart.set(key, now);
      started++;
      const poll = this.observer
        .askView(target)
        .then((view) => {
          if (this.stopped) return;
          this.polls++;
          this.options.onView(view);
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, poll);
    }
    if (started > 0) {
      this.rounds++;
      this.options.onRound?.();
    }
  }
}
