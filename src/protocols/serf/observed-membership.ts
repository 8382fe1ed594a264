/**
 * What both Serf observers share: the membership table, change listeners, and the counters of
 * exchanges and dropped messages (ClusterObserver's members/onChange/stats).
 */
import type { Member } from '../../cluster/member.js';
import { DropCounter, type ObserverStats } from '../../cluster/observer.js';
import { type Flavour, MembershipTable } from './membership.js';

export abstract class ObservedMembership {
  protected readonly table: MembershipTable;
  protected readonly drops = new DropCounter();
  protected readonly counters = { exchanges: 0, exchangeFailures: 0, packetsReceived: 0 };
  private readonly listeners = new Set<(members: Member[]) => void>();
  protected stopped = false;

  constructor(flavour: Flavour) {
    this.table = new MembershipTable(flavour);
  }

  members(): Member[] {
    return this.table.members();
  }

  onChange(listener: (members: Member[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): ObserverStats {
    return { ...this.counters, dropped: this.drops.toJSON() };
  }

  protected notify(): void {
    if (this.stopped) return;
    const members = this.table.members();
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
