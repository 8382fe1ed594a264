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
import { errorKindOf, statusKindOf } from './error-kind.js';
import type { ProbeRecorder } from './recorder.js';
import { originOf, type Target } from './url-template.js';

interface Attempt {
  recorder: ProbeRecorder;
  connectStartNs: number;
  tcpConnectedNs: number;
  connectedNs: number;
  headersSentNs: number;
}

const byConnector = new WeakMap<object, Attempt>();
const bySocket = new WeakMap<object, Attempt>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('undici:client:beforeConnect', (message) => {
    const attempt = byConnector.get((message as { connector: object }).connector);
    if (attempt) attempt.connectStartNs = nowNs();
  });
  diagnostics.subscribe('undici:client:connected', (message) => {
    const { connector, socket } = message as { connector: object; socket: object };
    const attempt = byConnector.get(connector);
    if (!attempt) return;
    attempt.connectedNs = nowNs();
    bySocket.set(socket, attempt);
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
  private readonly clients = new Set<Client>();

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
    const connector: buildConnector.connector = (opts, callback) => {
      const socket = (base as unknown as (o: typeof opts, cb: typeof callback) => Socket | undefined)(opts, callback);
      if (tls && socket) socket.once('connect', () => (attempt.tcpConnectedNs = nowNs()));
    };
    byConnector.set(connector, attempt);
    const timeoutMs = this.options.timeoutMs;
    const client = new Client(this.origin, { connect: connector, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 1 });
    this.clients.add(client);
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

  close(): void {
    for (const client of this.clients) client.destroy().catch(() => {});
    this.clients.clear();
  }
}
