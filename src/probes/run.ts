/**
 * startBench: the coordinator. It checks the configuration, splits rate and connections over
 * worker threads, starts them together on one timeline, merges their interval histograms
 * exactly (encoded -> decoded -> added) and streams one IntervalRecord per probe and second to
 * whoever listens (the bench command, the dashboard, the chaos scenario runner). `done` resolves
 * with the result document.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import type { Histogram } from 'hdr-histogram-js';
import { RingsideError, usageError } from '../errors.js';
import type { TickMessage } from './engine.js';
import { createHistogram } from './histogram.js';
import type { WorkerPlan } from './lanes.js';
import { addInterval, benchResult, emptyTotals, type ProbeTotals } from './result.js';
import { planRoutes } from './routing-plan.js';
import { PROBES, type BenchConfig, type BenchResult, type IntervalRecord } from './types.js';
import { parseTarget } from './url-template.js';
import { packageRoot } from '../package-root.js';

export interface BenchRun {
  on(event: 'interval', listener: (record: IntervalRecord) => void): this;
  on(event: 'start', listener: (info: { startedAt: Date; workers: number }) => void): this;
  /** Ends the run early: no new requests, in-flight ones drain, `done` resolves as usual. */
  stop(): void;
  /**
   * Ends the run now (the dashboard's quit): worker threads are terminated, requests in flight
   * are abandoned and nothing queued is sent; `done` resolves with the intervals merged so far.
   */
  abort(): void;
  readonly done: Promise<BenchResult>;
}

/** The worker thread's script: always the build in dist/src (from the sources, dist/src and the bundle alike). */
function workerUrl(): URL {
  return pathToFileURL(join(packageRoot(import.meta.url), 'dist', 'src', 'probes', 'worker.js'));
}

export function checkConfig(config: BenchConfig): void {
  if (!Number.isFinite(config.rate) || config.rate < 0) throw usageError(`--rate ${config.rate} is not a rate`, 'give requests per second, or 0 for as fast as possible');
  if (!Number.isFinite(config.durationMs) || config.durationMs <= 0) throw usageError('--duration must be above zero');
  if (!Number.isInteger(config.connections) || config.connections < 1) throw usageError(`--connections ${config.connections} must be a whole number of at least 1`);
  if (config.probes.length === 0) throw usageError('no probe given', `use --probe ${PROBES.join('|')}`);
  for (const probe of config.probes) if (!PROBES.includes(probe)) throw usageError(`unknown probe "${probe}"`, `use ${PROBES.join(', ')}`);
  if (config.workers !== undefined && (!Number.isInteger(config.workers) || config.workers < 1)) throw usageError(`--workers ${config.workers} must be at least 1`);
  const needsKeys = config.probes.some((p) => p !== 'first-connection') || config.freshKeys === false;
  if (needsKeys && config.keys.length === 0) throw usageError('the key set is empty', 'give --keys N or a non-empty --keys-file');
  if (config.probes.some((p) => p !== 'routing')) parseTarget(config.target);
  if (config.probes.includes('routing')) {
    if (!config.routing) throw usageError('the routing probe needs a cluster', 'give --join, --members or --snapshot, and --port-tag');
    for (const m of config.routing.members) parseTarget(config.target, m.host, m.port);
  }
}

function publicConfig(config: BenchConfig, workers: number, requestTimeoutMs: number): Record<string, unknown> {
  return {
    target: config.target,
    rate: config.rate,
    durationMs: config.durationMs,
    probes: config.probes,
    connections: config.connections,
    keys: config.keys.length,
    freshKeys: config.freshKeys ?? true,
    workers,
    requestTimeoutMs,
    ...(config.routing ? { members: config.routing.members.length } : {}),
    ...(config.shard ? { shard: config.shard } : {}),
    ...(config.startAtMs !== undefined ? { startAt: new Date(config.startAtMs).toISOString() } : {}),
  };
}

class Coordinator extends EventEmitter implements BenchRun {
  readonly done: Promise<BenchResult>;
  private readonly workers: Worker[] = [];
  private readonly totals = new Map<string, ProbeTotals>();
  private readonly ticks = new Map<number, TickMessage[]>();
  private readonly finished = new Set<number>();
  private readonly finalTick = new Map<number, number>();
  private nextTick = 0;
  private startedAt = new Date();
  private startNs = 0n;
  private stoppedNs: bigint | undefined;
  private resolve!: (result: BenchResult) => void;
  private reject!: (error: Error) => void;
  private failed = false;
  private aborted = false;
  private readonly publicConfig: Record<string, unknown>;

  constructor(private readonly config: BenchConfig) {
    super();
    this.done = new Promise<BenchResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {});
    const requestTimeoutMs = config.requestTimeoutMs ?? 5000;
    const count = Math.max(1, Math.min(config.workers ?? availableParallelism(), config.connections));
    const routes = config.probes.includes('routing') && config.routing ? planRoutes(config.routing.ring, config.routing.members, config.keys) : undefined;
    const runId = `rs${randomBytes(6).toString('hex')}`;
    const ready = new Set<number>();
    this.publicConfig = publicConfig(config, count, requestTimeoutMs);
    const shard = config.shard ?? { index: 0, count: 1 };
    for (let w = 0; w < count; w++) {
      const plan: WorkerPlan = {
        worker: w,
        workers: count,
        stride: count * shard.count,
        offset: w * shard.count + shard.index,
        rate: config.rate / (count * shard.count),
        totalRate: config.rate,
        durationMs: config.durationMs,
        connections: Math.floor(config.connections / count) + (w < config.connections % count ? 1 : 0),
        probes: config.probes,
        target: config.target,
        keys: config.keys,
        freshKeys: config.freshKeys ?? true,
        runId,
        requestTimeoutMs,
        insecure: config.insecure ?? false,
        ...(routes && config.routing ? { routes, members: config.routing.members } : {}),
      };
      const worker = new Worker(workerUrl(), { workerData: plan });
      this.workers.push(worker);
      worker.on('message', (message: { type: string; worker: number; message?: string }) => {
        if (this.aborted) return;
        if (message.type === 'ready') {
          ready.add(w);
          if (ready.size === count) this.start();
        } else if (message.type === 'interval') this.onTick(message as unknown as TickMessage);
        else if (message.type === 'done') {
          this.finished.add(w);
          this.flush();
        } else if (message.type === 'error') this.fail(new RingsideError('RS_USAGE', `a probe worker could not start: ${message.message ?? 'unknown error'}`, 'check --target and the cluster addresses'));
      });
      worker.on('error', (error) => {
        if (!this.aborted) this.fail(error);
      });
      worker.on('exit', (code) => {
        if (!this.finished.has(w) && !this.failed && !this.aborted) this.fail(new Error(`probe worker ${w} exited with code ${code} before finishing`));
      });
    }
  }

  stop(): void {
    if (this.stoppedNs === undefined) this.stoppedNs = process.hrtime.bigint();
    for (const worker of this.workers) worker.postMessage({ type: 'stop' });
  }

  abort(): void {
    if (this.aborted || this.failed) return;
    if (this.stoppedNs === undefined) this.stoppedNs = process.hrtime.bigint();
    this.aborted = true;
    for (const worker of this.workers) void worker.terminate();
    this.complete();
  }

  private start(): void {
    // Every shard starts its schedule at the same wall-clock time; alone, 20 ms from now.
    const nowMs = Date.now();
    const delayMs = this.config.startAtMs !== undefined ? Math.max(0, this.config.startAtMs - nowMs) : 20;
    this.startNs = process.hrtime.bigint() + BigInt(Math.round(delayMs * 1e6));
    this.startedAt = new Date(nowMs + delayMs);
    for (const worker of this.workers) worker.postMessage({ type: 'start', startHrtime: this.startNs.toString() });
    this.emit('start', { startedAt: this.startedAt, workers: this.workers.length });
    if (this.stoppedNs !== undefined) this.stop();
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    for (const worker of this.workers) void worker.terminate();
    this.reject(error);
  }

  private onTick(message: TickMessage): void {
    let list = this.ticks.get(message.tick);
    if (!list) this.ticks.set(message.tick, (list = []));
    list.push(message);
    if (message.final) this.finalTick.set(message.worker, message.tick);
    this.flush();
  }

  /** Emits every tick all workers have reported (a finished worker counts as reported). */
  private flush(): void {
    for (;;) {
      const list = this.ticks.get(this.nextTick) ?? [];
      const reported = new Set(list.map((m) => m.worker));
      const complete = this.workers.every((_, w) => reported.has(w) || (this.finished.has(w) && (this.finalTick.get(w) ?? -1) < this.nextTick));
      if (!complete || list.length === 0) break;
      this.ticks.delete(this.nextTick);
      this.emitTick(list);
      this.nextTick++;
    }
    if (this.finished.size === this.workers.length && !this.failed) {
      for (const [tick, list] of [...this.ticks].sort((a, b) => a[0] - b[0])) {
        this.ticks.delete(tick);
        this.emitTick(list);
      }
      this.complete();
    }
  }

  private emitTick(list: TickMessage[]): void {
    const startMs = this.startedAt.getTime() + Math.min(...list.map((m) => m.startMs));
    const endMs = this.startedAt.getTime() + Math.max(...list.map((m) => m.endMs));
    const byProbe = new Map<string, { sent: number; count: number; errors: number; histogram: Histogram }>();
    for (const message of list) {
      for (const interval of message.intervals) {
        let totals = this.totals.get(interval.probe);
        if (!totals) this.totals.set(interval.probe, (totals = emptyTotals()));
        const corrected = addInterval(totals, interval);
        let record = byProbe.get(interval.probe);
        if (!record) byProbe.set(interval.probe, (record = { sent: 0, count: 0, errors: 0, histogram: createHistogram() }));
        record.sent += interval.sent;
        record.count += interval.count;
        record.errors += Object.values(interval.errorsByKind).reduce((a, b) => a + b, 0);
        record.histogram.add(corrected);
      }
    }
    for (const [probe, record] of byProbe) this.emit('interval', { probe, startMs, endMs, ...record } satisfies IntervalRecord);
  }

  private complete(): void {
    // Stopped before the start (startNs still 0): nothing ran.
    const elapsedMs = this.stoppedNs === undefined ? this.config.durationMs : this.startNs === 0n ? 0 : Number(this.stoppedNs - this.startNs) / 1e6;
    const durationMs = Math.max(0, Math.min(this.config.durationMs, elapsedMs));
    this.resolve(benchResult(this.startedAt, durationMs, this.publicConfig, this.totals));
  }
}

/** Starts a run; listen for 'interval' records, call stop() to end early, await done. */
export function startBench(config: BenchConfig): BenchRun {
  checkConfig(config);
  return new Coordinator(config);
}
