/**
 * Member mode hears suspicion and its verdict as gossip, and gossip can miss it: the `dead`
 * message that ends a suspicion reaches only a few random members a few times, so an observer
 * that heard the `suspect` may not hear the `dead`, and would hold the member suspect until its
 * next anti-entropy push-pull (30 s). memberlist's own members run a suspicion timer instead; an
 * observer must not declare anyone dead itself, so it asks: while a member has been suspect for
 * `afterMs`, one push-pull with a member it holds alive every `everyMs` brings the cluster's
 * verdict (dead, or alive again) within a second of the agents. A suspicion ends within
 * memberlist's longest suspicion timeout (24 s for a few members, more in large clusters); one
 * still held after `giveUpMs` (the cluster forgot the member while we could not ask) is left to the
 * regular anti-entropy. Pure: fed names and times.
 */
export class SuspicionWatch {
  /** Since when each member has been held suspect (epoch ms). */
  private readonly since = new Map<string, number>();
  private lastSync = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: { afterMs: number; everyMs: number; giveUpMs: number }) {}

  /**
   * The members held suspect now; returns whether to push-pull for the verdict now (and counts
   * it as done).
   */
  due(suspects: readonly string[], now: number): boolean {
    const current = new Set(suspects);
    for (const name of this.since.keys()) if (!current.has(name)) this.since.delete(name);
    for (const name of current) if (!this.since.has(name)) this.since.set(name, now);
    const waiting = [...this.since.values()].some((at) => now - at >= this.options.afterMs && now - at < this.options.giveUpMs);
    if (!waiting || now - this.lastSync < this.options.everyMs) return false;
    this.lastSync = now;
    return true;
  }
}
