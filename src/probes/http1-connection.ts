/**
 * One keep-alive HTTP/1.1 connection for the warm and routing probes: a prebuilt request head
 * is written, the response is parsed just enough to find its end (status line, Content-Length,
 * chunked encoding, Connection: close, read-until-close). One request at a time, no pipelining.
 * Kept this small because it sits on the hot path: the probe's own overhead is what `npm run
 * bench` holds against wrk and autocannon.
 */
import net from 'node:net';
import tls from 'node:tls';
import { closedError } from './error-kind.js';

export interface Http1Origin {
  host: string;
  port: number;
  tls: boolean;
  insecure?: boolean;
}

export type ResponseCallback = (error: Error | null, statusCode: number) => void;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
/** A response head (or chunk-size line) longer than this is hostile or broken. */
const MAX_HEAD_BYTES = 64 * 1024;

function badResponse(what: string): Error {
  return Object.assign(new Error(what), { code: 'RS_BAD_RESPONSE' });
}

type BodyMode = 'none' | 'length' | 'chunked' | 'eof';

export class Http1Connection {
  private socket: net.Socket | undefined;
  private connected = false;
  private callback: ResponseCallback | undefined;
  private waiting: Buffer | undefined;
  private buffer: Buffer = EMPTY;
  private inBody = false;
  private status = 0;
  private mode: BodyMode = 'none';
  private remaining = 0;
  private chunkState: 'size' | 'data' | 'crlf' | 'trailers' = 'size';
  private closeAfter = false;
  /** When the current request was written (hrtime ns, caller's clock), for timeouts. */
  sentAtNs = 0;

  constructor(private readonly origin: Http1Origin) {}

  get busy(): boolean {
    return this.callback !== undefined;
  }

  /** Opens the socket ahead of the first request (warm probes start with open connections). */
  open(onDone: (error: Error | null) => void): void {
    this.ensureSocket(onDone);
  }

  request(head: Buffer, callback: ResponseCallback): void {
    this.callback = callback;
    this.inBody = false;
    this.closeAfter = false;
    if (this.connected && this.socket) {
      this.socket.write(head);
      return;
    }
    this.waiting = head;
    this.ensureSocket();
  }

  /** Fails the request in flight (timeout) and drops the socket. */
  fail(error: Error): void {
    this.drop();
    this.finish(error, 0);
  }

  close(): void {
    this.drop();
    const callback = this.callback;
    this.callback = undefined;
    callback?.(closedError(), 0);
  }

  private ensureSocket(onConnect?: (error: Error | null) => void): void {
    if (this.socket) return;
    const { host, port } = this.origin;
    const socket = this.origin.tls ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: !this.origin.insecure }) : net.connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.once(this.origin.tls ? 'secureConnect' : 'connect', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      onConnect?.(null);
      const head = this.waiting;
      this.waiting = undefined;
      if (head) socket.write(head);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket === socket) this.onData(chunk);
    });
    socket.on('error', (error) => {
      if (this.socket !== socket) return;
      this.drop();
      onConnect?.(error);
      this.finish(error, 0);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const endsBody = this.inBody && this.mode === 'eof';
      this.drop();
      if (endsBody) this.finish(null, this.status);
      else this.finish(closedError(), 0);
    });
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.connected = false;
    this.waiting = undefined;
    this.buffer = EMPTY;
    socket?.destroy();
  }

  private finish(error: Error | null, status: number): void {
    const callback = this.callback;
    if (!callback) return;
    this.callback = undefined;
    if (this.closeAfter || error) this.drop();
    callback(error, status);
  }

  private onData(chunk: Buffer): void {
    let data = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.buffer = EMPTY;
    while (data.length > 0 && this.callback) {
      if (!this.inBody) {
        const end = data.indexOf(CRLFCRLF);
        if (end < 0) {
          if (data.length > MAX_HEAD_BYTES) this.fail(badResponse('response head over 64 KiB'));
          else this.buffer = data;
          return;
        }
        if (end > MAX_HEAD_BYTES || !this.parseHead(data.toString('latin1', 0, end))) {
          this.fail(badResponse('malformed HTTP response'));
          return;
        }
        data = data.subarray(end + 4);
        if (this.status >= 100 && this.status < 200) continue;
        this.inBody = true;
        if (this.mode === 'none' || (this.mode === 'length' && this.remaining === 0)) {
          this.complete(data);
          return;
        }
      }
      const rest = this.consumeBody(data);
      if (rest === null) return;
      data = rest;
    }
  }

  private complete(rest: Buffer): void {
    this.buffer = rest.length > 0 ? Buffer.from(rest) : EMPTY;
    this.inBody = false;
    this.finish(null, this.status);
  }

  /** Consumes body bytes; returns the rest, or null once the response completed or must wait. */
  private consumeBody(data: Buffer): Buffer | null {
    if (this.mode === 'eof') return null;
    if (this.mode === 'length') {
      const take = Math.min(this.remaining, data.length);
      this.remaining -= take;
      if (this.remaining > 0) return null;
      this.complete(data.subarray(take));
      return null;
    }
    // chunked
    if (this.chunkState === 'data') {
      const take = Math.min(this.remaining, data.length);
      this.remaining -= take;
      if (this.remaining === 0) this.chunkState = 'crlf';
      return data.subarray(take);
    }
    const eol = data.indexOf('\r\n');
    if (eol < 0) {
      if (data.length > MAX_HEAD_BYTES) this.fail(badResponse('chunk line over 64 KiB'));
      else this.buffer = Buffer.from(data);
      return null;
    }
    const line = data.toString('latin1', 0, eol);
    const rest = data.subarray(eol + 2);
    if (this.chunkState === 'crlf') {
      this.chunkState = 'size';
    } else if (this.chunkState === 'size') {
      const size = /^[0-9a-fA-F]{1,12}(;|$)/.test(line) ? Number.parseInt(line, 16) : Number.NaN;
      if (!Number.isFinite(size)) {
        this.fail(badResponse('malformed chunk size'));
        return null;
      }
      if (size === 0) this.chunkState = 'trailers';
      else {
        this.remaining = size;
        this.chunkState = 'data';
      }
    } else if (line === '') {
      this.complete(rest);
      return null;
    }
    return rest;
  }

  private parseHead(head: string): boolean {
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (!match) return false;
    this.status = Number(match[1]);
    this.mode = 'eof';
    this.remaining = 0;
    this.chunkState = 'size';
    this.closeAfter = head.startsWith('HTTP/1.0');
    if (this.status < 200 || this.status === 204 || this.status === 304) this.mode = 'none';
    let lineStart = head.indexOf('\r\n') + 2;
    while (lineStart > 1 && lineStart < head.length) {
      let lineEnd = head.indexOf('\r\n', lineStart);
      if (lineEnd < 0) lineEnd = head.length;
      const colon = head.indexOf(':', lineStart);
      if (colon > lineStart && colon < lineEnd) {
        const name = head.slice(lineStart, colon).trim().toLowerCase();
        const value = head.slice(colon + 1, lineEnd).trim().toLowerCase();
        if (name === 'content-length' && this.mode !== 'none' && this.mode !== 'chunked') {
          this.mode = 'length';
          this.remaining = Number(value);
          if (!Number.isSafeInteger(this.remaining) || this.remaining < 0) return false;
        } else if (name === 'transfer-encoding' && value.endsWith('chunked') && this.mode !== 'none') {
          this.mode = 'chunked';
        } else if (name === 'connection') {
          if (value.includes('close')) this.closeAfter = true;
          else if (value.includes('keep-alive')) this.closeAfter = false;
        }
      }
      lineStart = lineEnd + 2;
    }
    if (this.mode === 'eof') this.closeAfter = true;
    return true;
  }
}

/** The request head for GET `path` (prebuilt once per key). */
export function requestHead(host: string, port: number, path: string): Buffer {
  const hostHeader = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: ringside\r\n\r\n`, 'latin1');
}
