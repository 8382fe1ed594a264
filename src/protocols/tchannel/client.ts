/**
 * A minimal TChannel client over node:net (ringpop.md 1.11): opens a connection as an ephemeral
 * peer (`host_port=0.0.0.0:0`, so nobody can route calls to us), sends calls with a deadline
 * each, reassembles replies, answers pings, and declines every call the peer makes back with an
 * error frame, so a read-only observer can never be handed work or membership. Buffers are
 * bounded by the frame splitter (one frame) and the call assembler.
 */
import { connect, type Socket } from 'node:net';
import { CallAssembler, type AssembledCall } from './assembler.js';
import { CHECKSUM_CRC32C, type ChecksumType } from './checksum.js';
import { encodeFrame, FrameSplitter, FrameType, NO_MESSAGE_ID, type Frame, TChannelDecodeError } from './frame.js';
import { decodeCallFragment, decodeError, decodeInit, encodeCallRequest, encodeError, encodeInit, ErrorCode, type Headers } from './messages.js';

export type TChannelErrorKind = 'refused' | 'timeout' | 'unreachable' | 'reset' | 'closed' | 'not-tchannel' | 'protocol' | 'remote' | 'dns' | 'other';

export class TChannelError extends Error {
  override readonly name = 'TChannelError';
  constructor(
    readonly kind: TChannelErrorKind,
    message: string,
    /** For `remote`: the error frame's code. */
    readonly code?: number,
  ) {
    super(message);
  }
}

export interface ConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  processName?: string;
}

export interface CallOptions {
  service: string;
  endpoint: string;
  arg2?: Uint8Array | string;
  arg3?: Uint8Array | string;
  timeoutMs: number;
  headers?: Headers;
  checksumType?: ChecksumType;
}

export interface CallResult {
  code: number;
  headers: Headers;
  arg2: Buffer;
  arg3: Buffer;
}

interface Waiting {
  resolve: (result: CallResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function socketError(error: NodeJS.ErrnoException): TChannelError {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new TChannelError('refused', 'connection refused');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new TChannelError('unreachable', 'host unreachable');
    case 'ECONNRESET':
    case 'EPIPE':
      return new TChannelError('reset', 'connection reset by the peer');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TChannelError('dns', 'host name does not resolve');
    default:
      return new TChannelError('other', error.code ?? error.message);
  }
}

export class TChannelConnection {
  /** The peer's init headers (host_port, process_name, tchannel_version, ...). */
  peer: Headers = {};
  /** Calls the peer made to us, all declined. */
  declinedCalls = 0;
  private readonly splitter = new FrameSplitter();
  private readonly assembler = new CallAssembler();
  private readonly waiting = new Map<number, Waiting>();
  private readonly abandoned = new Set<number>();
  private readonly declinedIds = new Set<number>();
  private nextId = 1;
  private failure: TChannelError | undefined;

  private constructor(private readonly socket: Socket) {}

  static connect(options: ConnectOptions): Promise<TChannelConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port });
      const connection = new TChannelConnection(socket);
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          socket.destroy();
          reject(error);
        } else resolve(connection);
      };
      const timer = setTimeout(() => settle(new TChannelError('timeout', `no TChannel handshake within ${options.timeoutMs} ms`)), options.timeoutMs);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.write(
          encodeInit(FrameType.initReq, 1, {
            host_port: '0.0.0.0:0',
            process_name: options.processName ?? `ringside[${process.pid}]`,
            tchannel_language: 'node',
            tchannel_language_version: process.versions.node,
            tchannel_version: '2.0.0',
          }),
        );
      });
      const onInitData = (chunk: Buffer): void => {
        try {
          const frames = connection.splitter.push(chunk);
          const head = connection.splitter.peek();
          if (frames.length === 0 && head.length >= 3 && head[2] !== FrameType.initRes && head[2] !== FrameType.error) throw new TChannelError('not-tchannel', 'the port does not speak TChannel');
          const frame = frames[0];
          if (!frame) return;
          if (frame.type === FrameType.error) {
            const { message } = decodeError(frame.payload);
            throw new TChannelError('protocol', `the peer refused the TChannel handshake: ${message}`);
          }
          if (frame.type !== FrameType.initRes) throw new TChannelError('not-tchannel', 'the port does not speak TChannel');
          const init = decodeInit(frame.payload);
          if (init.version !== 2) throw new TChannelError('protocol', `the peer speaks TChannel version ${init.version}, not 2`);
          connection.peer = init.headers;
          socket.off('data', onInitData);
          socket.on('data', (data: Buffer) => connection.onData(data));
          for (const rest of frames.slice(1)) connection.onFrame(rest);
          settle();
        } catch (error) {
          settle(error instanceof TChannelError ? error : new TChannelError('not-tchannel', `the port does not speak TChannel (${(error as Error).message})`));
        }
      };
      socket.on('data', onInitData);
      socket.on('error', (error: NodeJS.ErrnoException) => {
        const failure = socketError(error);
        settle(failure);
        connection.fail(failure);
      });
      socket.on('close', () => {
        settle(new TChannelError('closed', 'the peer closed the connection during the TChannel handshake'));
        connection.fail(new TChannelError('closed', 'the peer closed the connection'));
      });
    });
  }

  call(options: CallOptions): Promise<CallResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId;
    this.nextId = this.nextId >= 0xfffffffe ? 1 : this.nextId + 1;
    const bytes = (v: Uint8Array | string | undefined): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : (v ?? new Uint8Array(0)));
    const frames = encodeCallRequest({
      id,
      service: options.service,
      ttlMs: Math.max(1, Math.min(options.timeoutMs, 0xffffffff)),
      headers: { as: 'raw', cn: 'ringside', re: 'n', ...options.headers },
      checksumType: options.checksumType ?? CHECKSUM_CRC32C,
      args: [bytes(options.endpoint), bytes(options.arg2), bytes(options.arg3)],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.abandoned.add(id);
        this.assembler.drop('res', id);
        reject(new TChannelError('timeout', `no answer to ${options.endpoint} within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      for (const frame of frames) this.socket.write(frame);
    });
  }

  close(): void {
    this.fail(new TChannelError('closed', 'connection closed'));
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      for (const frame of this.splitter.push(chunk)) this.onFrame(frame);
    } catch (error) {
      this.fail(new TChannelError('protocol', `undecodable TChannel data (${(error as Error).message})`));
      this.socket.destroy();
    }
  }

  private onFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.pingReq:
        this.socket.write(encodeFrame(FrameType.pingRes, frame.id, new Uint8Array(0)));
        return;
      case FrameType.callReq:
      case FrameType.callReqContinue:
        // Never serve the peer: a reverse join answered with a membership would make us a member.
        if (frame.type === FrameType.callReq && !this.declinedIds.has(frame.id)) {
          this.declinedCalls++;
          this.declinedIds.add(frame.id);
          if (this.declinedIds.size > 1024) this.declinedIds.delete(this.declinedIds.values().next().value as number);
          this.socket.write(encodeError(frame.id, ErrorCode.declined, 'ringside is a read-only observer and serves no calls'));
        }
        return;
      case FrameType.callRes:
      case FrameType.callResContinue:
        return this.onResponse(frame);
      case FrameType.error:
        return this.onError(frame);
      default:
        return; // cancel, claim, ping res, init: nothing to do
    }
  }

  private onResponse(frame: Frame): void {
    if (this.abandoned.has(frame.id)) {
      const fragment = decodeCallFragment(frame);
      if (!fragment.more) this.abandoned.delete(frame.id);
      return;
    }
    const waiting = this.waiting.get(frame.id);
    if (!waiting) throw new TChannelDecodeError(`response to message ${frame.id}, which was never sent`);
    let call: AssembledCall | undefined;
    try {
      call = this.assembler.add(decodeCallFragment(frame));
    } catch (error) {
      this.settle(frame.id, new TChannelError('protocol', `undecodable reply (${(error as Error).message})`));
      this.abandoned.add(frame.id);
      return;
    }
    if (call) {
      this.waiting.delete(frame.id);
      clearTimeout(waiting.timer);
      waiting.resolve({ code: call.code, headers: call.headers, arg2: call.args[1], arg3: call.args[2] });
    }
  }

  private onError(frame: Frame): void {
    const { code, message } = decodeError(frame.payload);
    const error = new TChannelError('remote', message, code);
    if (frame.id === NO_MESSAGE_ID || code === ErrorCode.fatal) {
      this.fail(error);
      this.socket.destroy();
    } else this.settle(frame.id, error);
  }

  private settle(id: number, error: Error): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    this.waiting.delete(id);
    this.assembler.drop('res', id);
    clearTimeout(waiting.timer);
    waiting.reject(error);
  }

  private fail(error: TChannelError): void {
    this.failure ??= error;
    for (const id of [...this.waiting.keys()]) this.settle(id, error);
  }
}
