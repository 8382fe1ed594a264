/**
 * The first-connection probe: every request on a brand-new TCP (and TLS) connection of its own,
 * through a fresh undici Client that is closed afterwards. Its phases come from undici's
 * diagnostics channels: `undici:client:beforeConnect` -> `undici:client:connected` is the
 * connect time (TCP, plus TLS for https, split by the socket's own `connect` event),
 * `undici:client:sendHeaders` -> the response head is the time to first byte, and the whole
 * request from connecting to its last byte is `total`.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { buildConnector, Client } from 'undici';
import { nowNs } from './clock.js';
import { errorKindOf, statusKindOf, timeoutError } from './error-kind.js';
import type { ProbeRecorder } from './recorder.js';
import { originOf, type Target } from './url-template.js';

interface Attempt {
  recorder: ProbeRecorder;
  connectStartNs: number;
  tcpConnectedNs: number;
  connectedNs: number;
  headersSentNs: number;
}

const bySocket = new WeakMap<object, Attempt>();
let subscribed = false;
/** undici publishes beforeConnect and then calls the client's connector synchronously. */
let beforeConnectNs = 0;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('undici:client:beforeConnect', () => {
    beforeConnectNs = nowNs();
  });
  diagnostics.subscribe('undici:client:connected', (message) => {
    const attempt = bySocket.get((message as { socket: object }).socket);
    if (attempt) attempt.connectedNs = nowNs();
  });
  diagnostics.subscribe('undici:client:sendHeaders', (message) => {
    const attempt = bySocket.get((message as { socket: object }).socket);
    if (attempt) attempt.headersSentNs = nowNs();
  });
}

export interface FirstConnectionOptions {
  target: Target;
  timeoutMs: number;
  insecure: boolean;
}

export class FirstConnectionSender {
  private readonly origin: string;
  private readonly connectOptions: buildConnector.BuildOptions;
  /** Requests in flight, with their due time and how to end them. */
  private readonly clients = new Map<Client, { intendedNs: number; finish: (error: Error | null) => void }>();

  constructor(private readonly options: FirstConnectionOptions) {
    subscribe();
    this.origin = originOf(options.target);
    this.connectOptions = { timeout: options.timeoutMs, maxCachedSessions: 0, rejectUnauthorized: !options.insecure };
  }

  get pending(): number {
    return this.clients.size;
  }

  send(path: string, intendedNs: number, recorder: ProbeRecorder, done: () => void): void {
    const base = buildConnector(this.connectOptions);
    const tls = this.options.target.protocol === 'https:';
    const attempt: Attempt = { recorder, connectStartNs: 0, tcpConnectedNs: 0, connectedNs: 0, headersSentNs: 0 };
    // Our connector only ties the socket to this attempt; undici's own connector does the work.
    const connector: buildConnector.connector = (opts, callback) => {
      attempt.connectStartNs = beforeConnectNs;
      const socket = (base as unknown as (o: typeof opts, cb: typeof callback) => Socket | undefined)(opts, callback);
      if (!socket) return;
      bySocket.set(socket, attempt);
      if (tls) socket.once('connect', () => (attempt.tcpConnectedNs = nowNs()));
    };
    const timeoutMs = this.options.timeoutMs;
    const client = new Client(this.origin, { connect: connector, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 1 });
    const sentNs = nowNs();
    let status = 0;
    let headNs = 0;
    let settled = false;
    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      const endNs = nowNs();
      this.clients.delete(client);
      client.destroy().catch(() => {});
      if (error) recorder.failure(errorKindOf(error));
      else {
        const kind = statusKindOf(status);
        if (kind) recorder.failure(kind);
        else {
          recorder.success(intendedNs, sentNs, endNs);
          const start = attempt.connectStartNs || sentNs;
          const tcpEnd = tls && attempt.tcpConnectedNs ? attempt.tcpConnectedNs : attempt.connectedNs;
          if (attempt.connectedNs) recorder.phase('connect', tcpEnd - start);
          if (tls && attempt.tcpConnectedNs && attempt.connectedNs) recorder.phase('tls', attempt.connectedNs - attempt.tcpConnectedNs);
          if (attempt.headersSentNs && headNs) recorder.phase('ttfb', headNs - attempt.headersSentNs);
          recorder.phase('total', endNs - start);
        }
      }
      done();
    };
    this.clients.set(client, { intendedNs, finish });
    try {
      client.dispatch(
        { method: 'GET', path, reset: true },
        {
          onRequestStart() {},
          onResponseStart(_controller, statusCode) {
            status = statusCode;
            headNs = nowNs();
          },
          onResponseData() {},
          onResponseEnd() {
            finish(null);
          },
          onResponseError(_controller, error) {
            finish(error);
          },
        },
      );
    } catch (error) {
      finish(error as Error);
    }
  }

  /** Times out requests with no complete answer `timeoutMs` after their due time. */
  sweep(now: number): void {
    const limitNs = this.options.timeoutMs * 1e6;
    for (const { intendedNs, finish } of [...this.clients.values()]) {
      if (now - intendedNs > limitNs) finish(timeoutError(this.options.timeoutMs));
    }
  }

  close(): void {
    for (const client of this.clients.keys()) client.destroy().catch(() => {});
    this.clients.clear();
  }
}
