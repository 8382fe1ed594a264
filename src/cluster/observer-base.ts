/**
 * What every live observer shares, whatever its protocol: change listeners, and the counters of
 * exchanges and dropped messages behind ClusterObserver's `onChange` and `stats`. Subclasses keep
 * the membership (`members()`) and call `notify()` when it changed.
 */
import type { Member } from './member.js';
import { DropCounter, type ObserverStats } from './observer.js';

export abstract class ObserverBase {
  protected readonly drops = new DropCounter();
  protected readonly counters = { exchanges: 0, exchangeFailures: 0, packetsReceived: 0 };
  private readonly listeners = new Set<(members: Member[]) => void>();
  protected stopped = false;

  abstract members(): Member[];

  onChange(listener: (members: Member[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ObserverStats {
    return { ...this.counters, dropped: this.drops.toJSON() };
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
