/**
 * A msgpack decoder for bytes that arrive from the network: position-returning, allocation-safe
 * and strict about truncation.
 *
 * It decodes the dialect Go's go-msgpack 0.5.5 writes for memberlist and Serf (memberlist.md §4):
 * - every raw string (`a0–bf`, `d9`, `da`, `db`) and every bin (`c4–c6`) becomes a Uint8Array,
 *   because Go writes `[]byte` fields (`Addr`, `Meta`, `Vsn`, `Buf`, ...) with the string codes and
 *   only the receiving struct says whether the bytes are text. `fields.ts` converts per field;
 * - those Uint8Arrays are **subarrays of the input**, not copies: callers that keep one after the
 *   input buffer is reused must copy it (`slice()`);
 * - maps become `Map<string, MsgValue>`, never plain objects, so hostile keys such as `__proto__`
 *   are just keys. Keys must be raw strings or bin and are decoded as UTF-8 (invalid sequences
 *   become U+FFFD); a later duplicate key replaces an earlier one;
 * - integers become numbers within ±(2^53 − 1) and bigints beyond; `ca`/`cb` become numbers;
 * - ext values (`d4–d8`, `c7–c9`) become a subarray of their data; the type byte is dropped.
 *
 * Hostile input can only produce a value or a MsgpackError: truncation anywhere, `c1`, a non-string
 * map key, a container count larger than the bytes left could hold (checked before allocating) and
 * nesting deeper than `maxDepth` all throw MsgpackError.
 */
export type MsgValue = null | boolean | number | bigint | Uint8Array | MsgValue[] | MsgMap;
export type MsgMap = Map<string, MsgValue>;

/** The input is not one well-formed msgpack object of the accepted dialect. */
export class MsgpackError extends Error {
  override readonly name = 'MsgpackError';
}

export interface DecodeLimits {
  /**
   * Deepest nesting of arrays and maps; the outermost container is depth 1. Default 32, far above
   * any memberlist or Serf message (about 5). Decoding recurses once per level, so keep it small.
   */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 32;
const keyDecoder = new TextDecoder('utf-8', { fatal: false });

/** Decodes one msgpack object starting at `offset`; returns it and the offset just past it. */
export function decodeValue(buf: Uint8Array, offset = 0, limits: DecodeLimits = {}): { value: MsgValue; end: number } {
  if (!Number.isInteger(offset) || offset < 0 || offset > buf.length) {
    throw new MsgpackError(`offset ${offset} is outside the ${buf.length}-byte buffer`);
  }
  const reader = new Reader(buf, offset, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  const value = reader.value(0);
  return { value, end: reader.pos };
}

/** Decodes exactly one object that must fill `buf`. */
export function decodeAll(buf: Uint8Array, limits?: DecodeLimits): MsgValue {
  const { value, end } = decodeValue(buf, 0, limits);
  if (end !== buf.length) throw new MsgpackError(`${buf.length - end} bytes left after the msgpack object at offset ${end}`);
  return value;
}

class Reader {
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    public pos: number,
    private readonly maxDepth: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  value(depth: number): MsgValue {
    const at = this.pos;
    const b = this.u8();
    if (b <= 0x7f) return b;
    if (b >= 0xe0) return b - 0x100;
    if (b <= 0x8f) return this.map(b & 0x0f, depth, at);
    if (b <= 0x9f) return this.array(b & 0x0f, depth, at);
    if (b <= 0xbf) return this.bytes(b & 0x1f);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
      case 0xd9:
        return this.bytes(this.u8());
      case 0xc5:
      case 0xda:
        return this.bytes(this.u16());
      case 0xc6:
      case 0xdb:
        return this.bytes(this.u32());
      case 0xc7:
        return this.ext(this.u8());
      case 0xc8:
        return this.ext(this.u16());
      case 0xc9:
        return this.ext(this.u32());
      case 0xca:
        this.need(4);
        this.pos += 4;
        return this.view.getFloat32(this.pos - 4);
      case 0xcb:
        this.need(8);
        this.pos += 8;
        return this.view.getFloat64(this.pos - 8);
      case 0xcc:
        return this.u8();
      case 0xcd:
        return this.u16();
      case 0xce:
        return this.u32();
      case 0xcf:
        return this.u64();
      case 0xd0:
        return (this.u8() << 24) >> 24;
      case 0xd1:
        return (this.u16() << 16) >> 16;
      case 0xd2:
        return this.u32() | 0;
      case 0xd3:
        return this.i64();
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xdc:
        return this.array(this.u16(), depth, at);
      case 0xdd:
        return this.array(this.u32(), depth, at);
      case 0xde:
        return this.map(this.u16(), depth, at);
      case 0xdf:
        return this.map(this.u32(), depth, at);
      default:
        throw new MsgpackError(`invalid msgpack type byte 0x${b.toString(16)} at offset ${at}`);
    }
  }

  private array(count: number, depth: number, at: number): MsgValue[] {
    this.enter(depth, at);
    // Every element takes at least one byte, so a larger count can only be a lie.
    if (count > this.buf.length - this.pos) throw new MsgpackError(`array at offset ${at} declares ${count} elements but only ${this.buf.length - this.pos} bytes follow`);
    const items = new Array<MsgValue>(count);
    for (let i = 0; i < count; i++) items[i] = this.value(depth + 1);
    return items;
  }

  private map(count: number, depth: number, at: number): MsgMap {
    this.enter(depth, at);
    // Every entry takes at least two bytes (a key and a value).
    if (count > (this.buf.length - this.pos) / 2) throw new MsgpackError(`map at offset ${at} declares ${count} entries but only ${this.buf.length - this.pos} bytes follow`);
    const map: MsgMap = new Map();
    for (let i = 0; i < count; i++) {
      const key = this.key();
      map.set(key, this.value(depth + 1));
    }
    return map;
  }

  private key(): string {
    const at = this.pos;
    const b = this.u8();
    let length: number;
    if (b >= 0xa0 && b <= 0xbf) length = b & 0x1f;
    else if (b === 0xd9 || b === 0xc4) length = this.u8();
    else if (b === 0xda || b === 0xc5) length = this.u16();
    else if (b === 0xdb || b === 0xc6) length = this.u32();
    else throw new MsgpackError(`map key at offset ${at} is type 0x${b.toString(16)}, not a string`);
    return utf8Text(this.bytes(length));
  }

  private enter(depth: number, at: number): void {
    if (depth >= this.maxDepth) throw new MsgpackError(`container at offset ${at} nests deeper than ${this.maxDepth} levels`);
  }

  private bytes(length: number): Uint8Array {
    this.need(length);
    this.pos += length;
    return this.buf.subarray(this.pos - length, this.pos);
  }

  private ext(length: number): Uint8Array {
    this.need(1);
    this.pos += 1; // the ext type byte
    return this.bytes(length);
  }

  private need(n: number): void {
    if (n > this.buf.length - this.pos) throw new MsgpackError(`truncated msgpack: needs ${n} bytes at offset ${this.pos}, ${this.buf.length - this.pos} left`);
  }

  private u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  private u16(): number {
    this.need(2);
    this.pos += 2;
    return this.view.getUint16(this.pos - 2);
  }

  private u32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getUint32(this.pos - 4);
  }

  private u64(): number | bigint {
    this.need(8);
    const hi = this.view.getUint32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    // hi < 2^21 means the value is below 2^53.
    if (hi < 0x200000) return hi * 0x1_0000_0000 + lo;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  private i64(): number | bigint {
    this.need(8);
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    // Within -2^21 <= hi < 2^21 the value is exact as a double; keep it if its magnitude is safe.
    if (hi >= -0x200000 && hi < 0x200000) {
      const value = hi * 0x1_0000_0000 + lo;
      if (Number.isSafeInteger(value)) return value;
    }
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

/** UTF-8 text of a map key; short ASCII keys (every Go field name) skip TextDecoder. */
function utf8Text(bytes: Uint8Array): string {
  if (bytes.length > 24) return keyDecoder.decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c > 0x7f) return keyDecoder.decode(bytes);
    text += String.fromCharCode(c);
  }
  return text;
}
