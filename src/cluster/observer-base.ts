/**
 * What every live observer shares, whatever its protocol: change listeners, the counters of
 * exchanges and dropped messages behind ClusterObserver's `onChange` and `stats`, asking every
 * view target for its view (`views()`), and the latest reply of each member to the observer's
 * own polls (`recentViews()`). Subclasses keep the membership (`members()`), say whom to ask
 * (`viewTargets()`, `askView()`) and call `notify()` when the membership changed.
 */
import type { RingsideError } from '../errors.js';
import type { Member } from './member.js';
import { DropCounter, type MemberView, type ObserverStats, type ViewTarget } from './observer.js';

/** Views asked at once by `views()`. */
const VIEW_CONCURRENCY = 8;
/** After the first seed answers at start, how long the other seeds may still answer. */
export const SEED_GRACE_MS = 1000;
/** Members whose latest poll reply is kept for `recentViews()`. */
const RECENT_LIMIT = 4096;

export abstract class ObserverBase {
  protected readonly drops = new DropCounter();
  protected readonly counters = { exchanges: 0, exchangeFailures: 0, packetsReceived: 0 };
  private readonly listeners = new Set<(members: Member[]) => void>();
  /** Latest poll reply per member, built into a view only when asked for (polls are the hot path). */
  private readonly recent = new Map<string, MemberView | (() => MemberView)>();
  protected stopped = false;

  abstract members(): Member[];
  abstract viewTargets(): ViewTarget[];
  abstract askView(target: ViewTarget): Promise<MemberView>;

  onChange(listener: (members: Member[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ObserverStats {
    return { ...this.counters, dropped: this.drops.toJSON() };
  }

  async views(): Promise<MemberView[]> {
    const queue = [...this.viewTargets()];
    const results: MemberView[] = [];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) results.push(await this.askView(next));
    };
    await Promise.all(Array.from({ length: Math.min(VIEW_CONCURRENCY, queue.length) }, worker));
    return results.sort((a, b) => (a.observer < b.observer ? -1 : a.observer > b.observer ? 1 : 0));
  }

  recentViews(): MemberView[] {
    const views = [...this.recent].map(([key, v]) => {
      if (typeof v !== 'function') return v;
      const built = v();
      this.recent.set(key, built);
      return built;
    });
    return views.sort((a, b) => (a.observer < b.observer ? -1 : a.observer > b.observer ? 1 : 0));
  }

  /** Keeps a member's reply to one of our polls as its latest view; `build` runs only if it is read. */
  protected remember(key: string, build: () => MemberView): void {
    this.recent.delete(key);
    if (this.recent.size >= RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value as string);
    this.recent.set(key, build);
  }

  /** Tells every listener the current membership (not once stopped). */
  protected notify(): void {
    if (this.stopped) return;
    const members = this.members();
    for (const listener of this.listeners) listener(members);
  }

  protected clearListeners(): void {
    this.listeners.clear();
  }

  /** Runs one exchange with a member, counting it and its failure. */
  protected async counted<T>(exchange: () => Promise<T>): Promise<T> {
    this.counters.exchanges++;
    try {
      return await exchange();
    } catch (error) {
      this.counters.exchangeFailures++;
      throw error;
    }
  }
}

/**
 * Waits for `attempts` (each resolving to null on success or its error) until the first success
 * and then at most `graceMs` more for the rest, or until all have failed.
 */
export async function firstAndGrace(attempts: Array<Promise<RingsideError | null>>, graceMs: number): Promise<{ answered: boolean; errors: RingsideError[] }> {
  const errors: RingsideError[] = [];
  let answered = false;
  let release: (() => void) | undefined;
  const firstAnswer = new Promise<void>((resolve) => (release = resolve));
  const settled = Promise.all(
    attempts.map((a) =>
      a.then((error) => {
        if (error) errors.push(error);
        else {
          answered = true;
          release?.();
        }
      }),
    ),
  );
  await Promise.race([settled, firstAnswer]);
  if (answered) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
  return { answered, errors };
}
