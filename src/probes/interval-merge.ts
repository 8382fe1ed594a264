/**
 * Interval records from several shards of one schedule merged as they arrive: every shard cuts
 * its intervals on one-second ticks from the same start, so the records of one probe and one tick
 * (`tickOf`: by default the record's startMs; a controller that knows the start gives the tick's
 * number, so a shard that began late still lines up) are added exactly (counts summed, histograms
 * added bucket by bucket) and emitted once every shard still running has sent its own, in tick
 * order. A shard that ends (finished or failed) is no longer waited for.
 */
import { createHistogram } from './histogram.js';
import type { IntervalRecord } from './types.js';

interface Pending {
  record: IntervalRecord;
  from: Set<number>;
}

export class IntervalMerger {
  /** Per probe: ticks by tickOf, not emitted yet. */
  private readonly pending = new Map<string, Map<number, Pending>>();
  private readonly running: Set<number>;

  constructor(
    shards: number,
    private readonly emit: (record: IntervalRecord) => void,
    private readonly tickOf: (record: IntervalRecord) => number = (r) => r.startMs,
  ) {
    this.running = new Set(Array.from({ length: shards }, (_, i) => i));
  }

  /** A record of shard `shard`; a repeated tick from the same shard is ignored. */
  add(shard: number, record: IntervalRecord): void {
    let ticks = this.pending.get(record.probe);
    if (!ticks) this.pending.set(record.probe, (ticks = new Map()));
    const key = this.tickOf(record);
    let tick = ticks.get(key);
    if (!tick) {
      tick = { record: { probe: record.probe, startMs: record.startMs, endMs: record.endMs, sent: 0, count: 0, errors: 0, histogram: createHistogram() }, from: new Set() };
      ticks.set(key, tick);
    }
    if (tick.from.has(shard)) return;
    tick.from.add(shard);
    const merged = tick.record;
    merged.startMs = Math.min(merged.startMs, record.startMs);
    merged.endMs = Math.max(merged.endMs, record.endMs);
    merged.sent = (merged.sent ?? 0) + (record.sent ?? 0);
    merged.count += record.count;
    merged.errors += record.errors;
    merged.histogram.add(record.histogram);
    this.flush();
  }

  /** Shard `shard` sends nothing more (its run ended or failed). */
  end(shard: number): void {
    this.running.delete(shard);
    this.flush();
  }

  /** Emits every tick that no running shard still owes, oldest first, per probe. */
  private flush(): void {
    for (const ticks of this.pending.values()) {
      const order = [...ticks.keys()].sort((a, b) => a - b);
      for (const key of order) {
        const tick = ticks.get(key) as Pending;
        if ([...this.running].some((s) => !tick.from.has(s))) break;
        ticks.delete(key);
        this.emit(tick.record);
      }
    }
  }
}
