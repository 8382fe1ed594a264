/**
 * A keep-alive pool of Http1Connections to one origin, with a FIFO of requests waiting for a
 * free connection. In an open-loop run the queue is where a stalled server's backlog waits, and
 * the wait counts in the corrected latency (it started at the intended send time). Requests
 * without a complete answer after `timeoutMs` (waiting or in flight) count as timeouts.
 */
import { nowNs } from './clock.js';
import { errorKindOf, statusKindOf, timeoutError } from './error-kind.js';
import { Http1Connection, type Http1Origin } from './http1-connection.js';
import type { ProbeRecorder } from './recorder.js';

export interface PoolJob {
  head: Buffer;
  intendedNs: number;
  recorder: ProbeRecorder;
  done: () => void;
}

export class WarmPool {
  private readonly idle: Http1Connection[] = [];
  private readonly all: Http1Connection[] = [];
  private readonly jobs = new Map<Http1Connection, PoolJob>();
  private queue: PoolJob[] = [];
  private queueHead = 0;
  private readonly timeoutNs: number;

  constructor(origin: Http1Origin, connections: number, timeoutMs: number) {
    this.timeoutNs = timeoutMs * 1e6;
    for (let i = 0; i < connections; i++) {
      const connection = new Http1Connection(origin);
      this.all.push(connection);
      this.idle.push(connection);
    }
  }

  /** Opens every connection; failures are not fatal here (requests will report them). */
  open(): Promise<void> {
    return Promise.all(this.all.map((c) => new Promise<void>((resolve) => c.open(() => resolve())))).then(() => undefined);
  }

  get pending(): number {
    return this.jobs.size + this.queue.length - this.queueHead;
  }

  submit(job: PoolJob): void {
    const connection = this.idle.pop();
    if (connection) this.start(connection, job);
    else this.queue.push(job);
  }

  private start(connection: Http1Connection, job: PoolJob): void {
    this.jobs.set(connection, job);
    const sentNs = nowNs();
    connection.sentAtNs = sentNs;
    connection.request(job.head, (error, status) => {
      const endNs = nowNs();
      this.jobs.delete(connection);
      if (error) job.recorder.failure(errorKindOf(error));
      else {
        const kind = statusKindOf(status);
        if (kind) job.recorder.failure(kind);
        else job.recorder.success(job.intendedNs, sentNs, endNs);
      }
      const next = this.next();
      if (next) this.start(connection, next);
      else this.idle.push(connection);
      job.done();
    });
  }

  private next(): PoolJob | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const job = this.queue[this.queueHead++];
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return job;
  }

  /** Times out requests waiting or in flight for longer than the timeout. */
  sweep(now: number = nowNs()): void {
    // Measured from the due time: a request that waited in the queue has less time on the wire.
    for (const [connection, job] of this.jobs) {
      if (now - job.intendedNs > this.timeoutNs) connection.fail(timeoutError(this.timeoutNs / 1e6));
    }
    while (this.queueHead < this.queue.length) {
      const job = this.queue[this.queueHead] as PoolJob;
      if (now - job.intendedNs <= this.timeoutNs) break;
      this.queueHead++;
      job.recorder.failure('timeout');
      job.done();
    }
  }

  /** Drops what is still queued (not counted: never sent) and closes the connections. */
  close(): void {
    this.queue = [];
    this.queueHead = 0;
    for (const connection of this.all) connection.close();
  }
}
