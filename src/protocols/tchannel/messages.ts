/**
 * TChannel v2 message payloads (ringpop.md 1.4-1.10): init req/res, call req/res and their
 * continuations, error and ping frames. Encoding a call splits its three args over as many
 * frames as needed (first frame carries the fixed fields; an arg that ends exactly at a frame
 * boundary gets a zero-length chunk in the next frame). Pure.
 */
import { argsChecksum, type ChecksumType, checksumSize, isChecksumType } from './checksum.js';
import { encodeFrame, FRAME_HEADER_SIZE, type Frame, FrameType, MAX_FRAME_SIZE, PayloadReader, PayloadWriter, TChannelDecodeError } from './frame.js';

export const TCHANNEL_VERSION = 2;
export const MORE_FRAGMENTS = 0x01;
export const TRACING_SIZE = 25;

export const ErrorCode = {
  invalid: 0x00,
  timeout: 0x01,
  cancelled: 0x02,
  busy: 0x03,
  declined: 0x04,
  unexpected: 0x05,
  badRequest: 0x06,
  network: 0x07,
  unhealthy: 0x08,
  fatal: 0xff,
} as const;

export type Headers = Record<string, string>;

export function encodeInit(type: typeof FrameType.initReq | typeof FrameType.initRes, id: number, headers: Headers): Buffer {
  const w = new PayloadWriter().u16(TCHANNEL_VERSION).u16(Object.keys(headers).length);
  for (const [k, v] of Object.entries(headers)) w.string(2, k, 'init header key').string(2, v, 'init header value');
  return encodeFrame(type, id, w.finish());
}

export function decodeInit(payload: Uint8Array): { version: number; headers: Headers } {
  const r = new PayloadReader(payload);
  const version = r.u16('init version');
  const count = r.u16('init header count');
  const headers: Headers = {};
  for (let i = 0; i < count; i++) {
    const key = r.string(2, 'init header key');
    headers[key] = r.string(2, 'init header value');
  }
  return { version, headers };
}

export function encodeError(id: number, code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8').subarray(0, 1024).toString('utf8');
  return encodeFrame(FrameType.error, id, new PayloadWriter().u8(code).raw(new Uint8Array(TRACING_SIZE)).string(2, text, 'error message').finish());
}

export function decodeError(payload: Uint8Array): { code: number; message: string } {
  const r = new PayloadReader(payload);
  const code = r.u8('error code');
  r.bytesOf(TRACING_SIZE, 'error tracing');
  return { code, message: r.string(2, 'error message') };
}

export interface CallRequest {
  id: number;
  service: string;
  ttlMs: number;
  headers: Headers;
  checksumType: ChecksumType;
  args: [Uint8Array, Uint8Array, Uint8Array];
}

export interface CallResponse {
  id: number;
  /** 0 ok; anything else is an application error whose details are in the args. */
  code: number;
  headers: Headers;
  checksumType: ChecksumType;
  args: [Uint8Array, Uint8Array, Uint8Array];
}

function writeHeaders(w: PayloadWriter, headers: Headers): void {
  const entries = Object.entries(headers);
  w.u8(entries.length);
  for (const [k, v] of entries) w.string(1, k, 'transport header key').string(1, v, 'transport header value');
}

/** Frames of a call req (type 0x03 then 0x13...) or call res (0x04 then 0x14...). */
function encodeCall(kind: 'req' | 'res', id: number, fixed: Buffer, checksumType: ChecksumType, args: readonly Uint8Array[]): Buffer[] {
  const frames: Buffer[] = [];
  const csumSize = checksumSize(checksumType);
  let arg = 0;
  let offset = 0;
  let running = 0;
  for (let first = true; ; first = false) {
    const prefix = first ? fixed.length + 1 + csumSize : 1 + 1 + csumSize;
    let space = MAX_FRAME_SIZE - FRAME_HEADER_SIZE - prefix;
    const chunks: Uint8Array[] = [];
    let done = false;
    while (space >= 2) {
      const bytes = args[arg] as Uint8Array;
      const take = Math.min(bytes.length - offset, space - 2);
      chunks.push(bytes.subarray(offset, offset + take));
      space -= 2 + take;
      offset += take;
      if (offset < bytes.length) break;
      if (arg === args.length - 1) {
        done = true;
        break;
      }
      if (space < 2) break; // the next frame opens with an empty chunk that closes this arg
      arg++;
      offset = 0;
    }
    running = argsChecksum(checksumType, chunks, running);
    const w = new PayloadWriter();
    const flags = done ? 0 : MORE_FRAGMENTS;
    if (first) w.u8(flags).raw(fixed.subarray(1));
    else w.u8(flags);
    w.u8(checksumType);
    if (csumSize) w.u32(running);
    for (const chunk of chunks) w.u16(chunk.length).raw(chunk);
    const type = first ? (kind === 'req' ? FrameType.callReq : FrameType.callRes) : kind === 'req' ? FrameType.callReqContinue : FrameType.callResContinue;
    frames.push(encodeFrame(type, id, w.finish()));
    if (done) return frames;
  }
}

export function encodeCallRequest(req: CallRequest): Buffer[] {
  const w = new PayloadWriter().u8(0).u32(req.ttlMs).raw(new Uint8Array(TRACING_SIZE)).string(1, req.service, 'service');
  writeHeaders(w, req.headers);
  return encodeCall('req', req.id, w.finish(), req.checksumType, req.args);
}

export function encodeCallResponse(res: CallResponse): Buffer[] {
  const w = new PayloadWriter().u8(0).u8(res.code).raw(new Uint8Array(TRACING_SIZE));
  writeHeaders(w, res.headers);
  return encodeCall('res', res.id, w.finish(), res.checksumType, res.args);
}

/** What one call frame (first or continuation) carries. */
export interface CallFragment {
  kind: 'req' | 'res';
  first: boolean;
  id: number;
  more: boolean;
  checksumType: ChecksumType;
  checksum: number;
  chunks: Uint8Array[];
  /** First frame only. */
  code?: number;
  service?: string;
  ttlMs?: number;
  headers?: Headers;
}

function readHeaders(r: PayloadReader): Headers {
  const count = r.u8('transport header count');
  const headers: Headers = {};
  for (let i = 0; i < count; i++) {
    const key = r.string(1, 'transport header key');
    headers[key] = r.string(1, 'transport header value');
  }
  return headers;
}

export function decodeCallFragment(frame: Frame): CallFragment {
  const { type, id, payload } = frame;
  const first = type === FrameType.callReq || type === FrameType.callRes;
  const kind = type === FrameType.callReq || type === FrameType.callReqContinue ? 'req' : 'res';
  if (!first && type !== FrameType.callReqContinue && type !== FrameType.callResContinue) throw new TChannelDecodeError(`frame type 0x${type.toString(16)} is not a call frame`);
  const r = new PayloadReader(payload);
  const flags = r.u8('call flags');
  const fragment: Partial<CallFragment> = { kind, first, id, more: (flags & MORE_FRAGMENTS) !== 0 };
  if (first && kind === 'req') {
    fragment.ttlMs = r.u32('call ttl');
    r.bytesOf(TRACING_SIZE, 'call tracing');
    fragment.service = r.string(1, 'call service');
    fragment.headers = readHeaders(r);
  } else if (first) {
    fragment.code = r.u8('call code');
    r.bytesOf(TRACING_SIZE, 'call tracing');
    fragment.headers = readHeaders(r);
  }
  const checksumType = r.u8('checksum type');
  if (!isChecksumType(checksumType)) throw new TChannelDecodeError(`unknown checksum type ${checksumType}`);
  fragment.checksumType = checksumType;
  fragment.checksum = checksumSize(checksumType) ? r.u32('checksum') : 0;
  const chunks: Uint8Array[] = [];
  while (r.remaining > 0) chunks.push(r.bytesOf(r.u16('arg length'), 'arg'));
  fragment.chunks = chunks;
  return fragment as CallFragment;
}
