/**
 * What runs inside one worker: the lanes (one per probe), paced open loop (pacer.ts) or, at rate
 * 0, closed loop with one request in flight per connection; an interval cut every second of the
 * shared timeline; at the end, a drain of what is in flight (bounded by the request timeout).
 */
import { nowNs } from './clock.js';
import { createLane, type Lane, type WorkerPlan } from './lanes.js';
import { intendedNs, pace, type PacerPlan } from './pacer.js';
import type { IntervalMessage } from './recorder.js';

export interface TickMessage {
  type: 'interval';
  worker: number;
  tick: number;
  /** Interval bounds in ms after the start. */
  startMs: number;
  endMs: number;
  final: boolean;
  intervals: IntervalMessage[];
}

const TICK_NS = 1e9;
const SPIN_BELOW_NS = 2e6;
/**
 * Spinning costs about 1 ms of a core per request interval, so the worker spins only while its
 * interval is at least this long (at most 10% of a core; <= 100 req/s per worker). Faster, requests
 * leave in 1 ms timer batches, as wrk2's timers send them: up to about 1 ms after their due time,
 * which the corrected latency (measured from the due time) includes.
 */
const SPIN_MIN_STEP_NS = 10e6;
const SWEEP_NS = 20e6;

export class ProbeEngine {
  private readonly lanes: Lane[];
  private startNs = 0;
  private stopping = false;
  private sendingLanes = 0;
  private tick = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    private readonly plan: WorkerPlan,
    private readonly emit: (message: TickMessage) => void,
    private readonly onDone: () => void,
  ) {
    this.lanes = plan.probes.map((name) => createLane(name, plan));
  }

  prepare(): Promise<void> {
    return Promise.all(this.lanes.map((l) => l.prepare())).then(() => undefined);
  }

  /** Starts at `startNs` on this thread's clock (nowNs). */
  start(startNs: number): void {
    this.startNs = startNs;
    this.sendingLanes = this.lanes.length;
    const delayMs = Math.max(0, (startNs - nowNs()) / 1e6);
    setTimeout(() => {
      for (const lane of this.lanes) {
        if (this.plan.rate > 0) this.runOpenLoop(lane);
        else this.runClosedLoop(lane);
      }
    }, delayMs);
    this.scheduleTick();
    this.sweepTimer = setInterval(() => {
      const now = nowNs();
      for (const lane of this.lanes) lane.sweep(now);
    }, SWEEP_NS / 1e6);
  }

  stop(): void {
    this.stopping = true;
  }

  private runOpenLoop(lane: Lane): void {
    const { stride, offset } = this.place();
    const pacer: PacerPlan = { ratePerSec: this.plan.totalRate, durationNs: this.plan.durationMs * 1e6, workers: stride, worker: offset };
    let sent = 0;
    const spin = (stride * 1e9) / this.plan.totalRate >= SPIN_MIN_STEP_NS;
    const noop = (): void => {};
    const loop = (): void => {
      if (this.stopping) return this.laneDone();
      const p = pace(pacer, nowNs() - this.startNs, sent);
      while (sent < p.due) {
        lane.submit(sent * stride + offset, this.startNs + intendedNs(pacer, sent), noop);
        sent++;
      }
      if (p.done) return this.laneDone();
      const next = pace(pacer, nowNs() - this.startNs, sent);
      if (next.done) return this.laneDone();
      // libuv timers have millisecond resolution: sleep until about 1 ms before the due time,
      // then spin (setImmediate) so requests leave within microseconds of it, or at high rates
      // wake on the next 1 ms timer and send whatever is due then.
      if (next.waitNs >= SPIN_BELOW_NS) setTimeout(loop, Math.floor(next.waitNs / 1e6) - 1);
      else if (spin) setImmediate(loop);
      else setTimeout(loop, 1);
    };
    loop();
  }

  /** This worker's spacing and offset in the run's one schedule (see WorkerPlan). */
  private place(): { stride: number; offset: number } {
    return { stride: this.plan.stride ?? this.plan.workers, offset: this.plan.offset ?? this.plan.worker };
  }

  private runClosedLoop(lane: Lane): void {
    const { stride, offset } = this.place();
    const endNs = this.startNs + this.plan.durationMs * 1e6;
    let counter = 0;
    let chains = Math.max(1, this.plan.connections);
    const next = (): void => {
      if (this.stopping || nowNs() >= endNs) {
        if (--chains === 0) this.laneDone();
        return;
      }
      const index = counter++ * stride + offset;
      lane.submit(index, nowNs(), next);
    };
    for (let i = 0, n = chains; i < n; i++) next();
  }

  private laneDone(): void {
    if (--this.sendingLanes > 0) return;
    const deadline = nowNs() + this.plan.requestTimeoutMs * 1e6 + 100e6;
    const drain = (): void => {
      const pending = this.lanes.reduce((sum, l) => sum + l.pending(), 0);
      if (pending > 0 && nowNs() < deadline) {
        setTimeout(drain, 5);
        return;
      }
      this.finish();
    };
    drain();
  }

  private scheduleTick(): void {
    const boundary = this.startNs + (this.tick + 1) * TICK_NS;
    this.tickTimer = setTimeout(
      () => {
        this.emitTick(false);
        this.scheduleTick();
      },
      Math.max(0, (boundary - nowNs()) / 1e6),
    );
  }

  private emitTick(final: boolean): void {
    const startMs = this.tick * 1000;
    // A run that was not stopped covers its whole duration even when its last request went out
    // (and came back) a little before the end.
    const coveredMs = this.stopping ? 0 : this.plan.durationMs;
    const endMs = final ? Math.max(startMs, coveredMs, (nowNs() - this.startNs) / 1e6) : (this.tick + 1) * 1000;
    const intervals = this.lanes.flatMap((l) => l.recorders.map((r) => r.cut(this.tick)));
    this.emit({ type: 'interval', worker: this.plan.worker, tick: this.tick, startMs, endMs, final, intervals });
    this.tick++;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.tickTimer);
    clearInterval(this.sweepTimer);
    for (const lane of this.lanes) lane.close();
    this.emitTick(true);
    this.onDone();
  }
}
