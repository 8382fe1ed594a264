/**
 * TChannel v2 frames (ringpop.md 1.2-1.3): a 16-byte header (size:2 type:1 reserved:1 id:4
 * reserved:8) and a payload, at most 0xFFFF bytes in all. `FrameSplitter` cuts a byte stream
 * into frames with a buffer that never holds more than one frame plus one read. Pure.
 */
export const FRAME_HEADER_SIZE = 16;
export const MAX_FRAME_SIZE = 0xffff;
export const NO_MESSAGE_ID = 0xffffffff;

export const FrameType = {
  initReq: 0x01,
  initRes: 0x02,
  callReq: 0x03,
  callRes: 0x04,
  callReqContinue: 0x13,
  callResContinue: 0x14,
  cancel: 0xc0,
  claim: 0xc1,
  pingReq: 0xd0,
  pingRes: 0xd1,
  error: 0xff,
} as const;

export interface Frame {
  type: number;
  id: number;
  payload: Uint8Array;
}

/** A frame (or a field in one) that cannot be read. */
export class TChannelDecodeError extends Error {
  override readonly name = 'TChannelDecodeError';
}

export function encodeFrame(type: number, id: number, payload: Uint8Array): Buffer {
  const size = FRAME_HEADER_SIZE + payload.length;
  if (size > MAX_FRAME_SIZE) throw new RangeError(`frame of ${size} bytes exceeds ${MAX_FRAME_SIZE}`);
  const frame = Buffer.alloc(size);
  frame.writeUInt16BE(size, 0);
  frame[2] = type;
  frame.writeUInt32BE(id >>> 0, 4);
  frame.set(payload, FRAME_HEADER_SIZE);
  return frame;
}

/** Decodes one complete frame (exactly `size` bytes). */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.length < FRAME_HEADER_SIZE) throw new TChannelDecodeError(`frame of ${bytes.length} bytes is shorter than its header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint16(0);
  if (size !== bytes.length) throw new TChannelDecodeError(`frame says ${size} bytes, has ${bytes.length}`);
  return { type: bytes[2] as number, id: view.getUint32(4), payload: bytes.subarray(FRAME_HEADER_SIZE) };
}

/** Splits a TCP byte stream into frames. `push` returns the frames completed by `chunk`. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): Frame[] {
    this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= 2) {
      const size = this.pending.readUInt16BE(0);
      if (size < FRAME_HEADER_SIZE) throw new TChannelDecodeError(`frame size ${size} is smaller than the 16-byte header`);
      if (this.pending.length < size) break;
      frames.push(decodeFrame(this.pending.subarray(0, size)));
      this.pending = this.pending.subarray(size);
    }
    if (this.pending.length > 0 && frames.length > 0) this.pending = Buffer.from(this.pending);
    return frames;
  }

  /** Bytes of an incomplete frame still waiting (at most 0xFFFF plus one read). */
  get buffered(): number {
    return this.pending.length;
  }

  /** The first bytes received, for telling a non-TChannel peer apart. */
  peek(): Buffer {
    return this.pending;
  }
}

/** Bounds-checked big-endian reading of a frame payload. */
export class PayloadReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (this.offset + n > this.bytes.length) throw new TChannelDecodeError(`${what} runs past the end of the frame`);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++] as number;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.offset);
    this.offset += 2;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.offset);
    this.offset += 4;
    return v;
  }

  bytesOf(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A string with a 1- or 2-byte length prefix. */
  string(lengthBytes: 1 | 2, what: string): string {
    const n = lengthBytes === 1 ? this.u8(what) : this.u16(what);
    return Buffer.from(this.bytesOf(n, what)).toString('utf8');
  }
}

/** Appends big-endian fields to a growing payload. */
export class PayloadWriter {
  private readonly parts: Buffer[] = [];
  length = 0;

  u8(v: number): this {
    return this.push(Buffer.from([v & 0xff]));
  }

  u16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v);
    return this.push(b);
  }

  u32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return this.push(b);
  }

  raw(bytes: Uint8Array): this {
    return this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  string(lengthBytes: 1 | 2, text: string, what: string): this {
    const b = Buffer.from(text, 'utf8');
    if (b.length > (lengthBytes === 1 ? 0xff : 0xffff)) throw new RangeError(`${what} is too long (${b.length} bytes)`);
    return lengthBytes === 1 ? this.u8(b.length).push(b) : this.u16(b.length).push(b);
  }

  private push(b: Buffer): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}
