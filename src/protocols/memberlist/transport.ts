/**
 * Sockets, and nothing else: a TCP exchange (write one message, read until the peer closes), a
 * TCP listener that hands complete inbound messages to a handler, and a UDP socket. Every read
 * is bounded in bytes and time.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, Socket } from 'node:net';

export type DialErrorCode = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'too-large' | 'dns' | 'other';

export class DialError extends Error {
  override readonly name = 'DialError';
  constructor(
    readonly code: DialErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function dialErrorOf(error: NodeJS.ErrnoException): DialError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new DialError('refused', 'connection refused');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new DialError('unreachable', 'host unreachable');
    case 'ECONNRESET':
    case 'EPIPE':
      return new DialError('reset', 'connection reset by the peer');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DialError('dns', 'host name does not resolve');
    default:
      return new DialError('other', error.code ?? error.message);
  }
}

/** Connects, writes `request`, reads until the peer closes; bounded by `timeoutMs` and `maxBytes`. */
export function exchangeStream(host: string, port: number, request: Uint8Array, options: { timeoutMs: number; maxBytes: number }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: DialError | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(new Uint8Array(Buffer.concat(chunks, size)));
    };
    const timer = setTimeout(() => finish(new DialError('timeout', `no complete reply within ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(size > 0 && error.code === 'ECONNRESET' ? null : dialErrorOf(error)));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) finish(new DialError('too-large', `the peer sent more than ${options.maxBytes} bytes`));
      else chunks.push(chunk);
    });
    socket.on('end', () => finish(null));
    socket.connect({ host, port }, () => socket.write(request));
  });
}

export interface InboundStream {
  /** Called with everything received so far: return the reply once the message is complete, `undefined` to wait for more, `null` to close without replying. */
  (data: Uint8Array, remote: { address: string; port: number }): Uint8Array | null | undefined;
}

/** A TCP listener for memberlist streams: one message in, at most one reply out, then close. */
export class StreamListener {
  private constructor(private readonly server: Server) {}

  static listen(host: string, port: number, handler: InboundStream, options: { timeoutMs: number; maxBytes: number }): Promise<StreamListener> {
    const server = createServer((socket) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let replied = false;
      socket.setTimeout(options.timeoutMs, () => socket.destroy());
      socket.on('error', () => socket.destroy());
      // The peer finished sending: a message still incomplete never will be.
      socket.on('end', () => {
        if (!replied) socket.destroy();
      });
      socket.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          socket.destroy();
          return;
        }
        chunks.push(chunk);
        const reply = handler(new Uint8Array(Buffer.concat(chunks, size)), { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 });
        if (reply === undefined) return;
        replied = true;
        socket.removeAllListeners('data');
        if (reply === null) socket.end();
        else socket.end(reply);
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(new StreamListener(server));
      });
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A UDP socket bound to the memberlist port (probes must come from and go to it). */
export class PacketSocket {
  private constructor(private readonly socket: UdpSocket) {}

  static bind(host: string, port: number, onPacket: (data: Uint8Array, from: RemoteInfo) => void): Promise<PacketSocket> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    socket.on('message', (data, from) => onPacket(new Uint8Array(data.buffer, data.byteOffset, data.length), from));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        // After binding, socket errors (ICMP unreachable on send) must not crash the process.
        socket.on('error', () => undefined);
        resolve(new PacketSocket(socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  /**
   * Sends a datagram; returns false (and sends nothing) for a destination that cannot be valid.
   * Destinations come from what peers said, so a hostile one (port 0, garbage host) must never
   * throw: dgram throws synchronously on those.
   */
  send(data: Uint8Array, host: string, port: number): boolean {
    if (!Number.isInteger(port) || port < 1 || port > 65535 || host === '') return false;
    try {
      this.socket.send(data, port, host, () => undefined);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
