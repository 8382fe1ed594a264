/**
 * A msgpack encoder that writes the bytes Go's go-msgpack 0.5.5 zero handle writes for the same
 * data (memberlist.md §4.2), so that what we send matches Go byte for byte:
 * - strings (as UTF-8) and Uint8Arrays both use the old-spec raw family only: fixstr `a0–bf`,
 *   `da` str16, `db` str32. Never `d9` str8 and never bin `c4–c6`, which Go's zero handle does
 *   not write (and rejects for `string` fields);
 * - integers (numbers or bigints) take the smallest form: fixint, `cc–cf` when ≥ 0, `e0–ff`,
 *   `d0–d3` when < 0. A bigint outside int64 ∪ uint64 throws a RangeError. Other numbers (NaN,
 *   ±Infinity, fractions, and integral doubles beyond 64 bits) are `cb` float64. memberlist never
 *   needs one; note that an integral float64 such as 1.0 is written as an integer, since JS
 *   cannot tell them apart;
 * - null and undefined are nil `c0`;
 * - a plain object is a Go struct: a map whose keys are sorted by their UTF-8 bytes, as Go sorts
 *   field names, leaving out fields whose value is `undefined` (how callers say `omitempty`);
 * - a Map is written in insertion order with every entry (an undefined value is nil), for the
 *   rare message whose captured bytes are not in Go's order;
 * - arrays use `90–9f`, `dc`, `dd`.
 */
import { compareUtf8 } from '../../utf8-order.js';

export type EncodeValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly EncodeValue[]
  | { readonly [field: string]: EncodeValue }
  | ReadonlyMap<string, EncodeValue>;

/** Deeper nesting than this is taken for a cycle (no memberlist or Serf message nests past 6). */
const MAX_DEPTH = 512;
const encoder = new TextEncoder();

/** Encodes one value into a fresh Uint8Array. */
export function encodeValue(value: EncodeValue): Uint8Array {
  return new MsgpackWriter().write(value).bytes();
}

/** A growable buffer that values are appended to, one msgpack object after another. */
export class MsgpackWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Appends one msgpack object. */
  write(value: EncodeValue): this {
    this.value(value, 0);
    return this;
  }

  /** Appends bytes as they are (a type byte, pre-encoded msgpack, raw user state). */
  writeRaw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  /** The bytes written so far: a view that later writes never change (they append or reallocate). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  get length(): number {
    return this.pos;
  }

  private value(value: EncodeValue, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError(`msgpack value nests deeper than ${MAX_DEPTH} levels (a cycle?)`);
    if (value === null || value === undefined) this.byte(0xc0);
    else if (typeof value === 'boolean') this.byte(value ? 0xc3 : 0xc2);
    else if (typeof value === 'number') this.number(value);
    else if (typeof value === 'bigint') this.bigint(value);
    else if (typeof value === 'string') this.string(value);
    else if (value instanceof Uint8Array) this.raw(value);
    else if (Array.isArray(value)) {
      const items = value as readonly EncodeValue[];
      this.header(items.length, 0x90, 0xdc, 0xdd);
      for (const item of items) this.value(item, depth + 1);
    } else if (value instanceof Map) {
      const map = value as ReadonlyMap<string, EncodeValue>;
      this.header(map.size, 0x80, 0xde, 0xdf);
      for (const [key, item] of map) {
        if (typeof key !== 'string') throw new TypeError(`msgpack map keys must be strings, got ${typeof key}`);
        this.string(key);
        this.value(item, depth + 1);
      }
    } else if (typeof value === 'object' && isPlainObject(value)) {
      const struct = value as { readonly [field: string]: EncodeValue };
      const keys = Object.keys(struct)
        .filter((key) => struct[key] !== undefined)
        .sort(compareUtf8);
      this.header(keys.length, 0x80, 0xde, 0xdf);
      for (const key of keys) {
        this.string(key);
        this.value(struct[key], depth + 1);
      }
    } else {
      throw new TypeError(`cannot encode ${describe(value)} as msgpack`);
    }
  }

  private number(value: number): void {
    if (!Number.isInteger(value)) {
      this.float64(value);
    } else if (Number.isSafeInteger(value)) {
      if (value >= 0) this.uint(value);
      else this.negative(value);
    } else if (value <= 0xffff_ffff_ffff_ffff && value >= -0x8000_0000_0000_0000) {
      this.bigint(BigInt(value));
    } else {
      this.float64(value);
    }
  }

  private float64(value: number): void {
    this.ensure(9);
    this.buf[this.pos] = 0xcb;
    this.view.setFloat64(this.pos + 1, value);
    this.pos += 9;
  }

  private bigint(value: bigint): void {
    if (value >= -0x8000_0000n && value <= 0xffff_ffffn) return this.number(Number(value));
    if (value > 0xffff_ffff_ffff_ffffn || value < -0x8000_0000_0000_0000n) throw new RangeError(`${value} does not fit a 64-bit msgpack integer`);
    this.ensure(9);
    this.buf[this.pos] = value >= 0n ? 0xcf : 0xd3;
    this.view.setBigUint64(this.pos + 1, BigInt.asUintN(64, value));
    this.pos += 9;
  }

  private uint(value: number): void {
    if (value < 0x80) this.byte(value);
    else if (value < 0x100) this.typed(0xcc, value, 1);
    else if (value < 0x1_0000) this.typed(0xcd, value, 2);
    else if (value < 0x1_0000_0000) this.typed(0xce, value, 4);
    else this.bigint(BigInt(value));
  }

  private negative(value: number): void {
    if (value >= -32) this.byte(value & 0xff);
    else if (value >= -0x80) this.typed(0xd0, value & 0xff, 1);
    else if (value >= -0x8000) this.typed(0xd1, value & 0xffff, 2);
    else if (value >= -0x8000_0000) this.typed(0xd2, value >>> 0, 4);
    else this.bigint(BigInt(value));
  }

  private string(value: string): void {
    // Field names are short ASCII: write them without a TextEncoder round trip.
    if (value.length < 32) {
      let ascii = true;
      for (let i = 0; i < value.length && ascii; i++) ascii = value.charCodeAt(i) < 0x80;
      if (ascii) {
        this.ensure(1 + value.length);
        this.buf[this.pos++] = 0xa0 | value.length;
        for (let i = 0; i < value.length; i++) this.buf[this.pos++] = value.charCodeAt(i);
        return;
      }
    }
    this.raw(encoder.encode(value));
  }

  /** Go's raw string family, for both `string` and `[]byte`. */
  private raw(bytes: Uint8Array): void {
    const n = bytes.length;
    if (n < 32) this.byte(0xa0 | n);
    else if (n < 0x1_0000) this.typed(0xda, n, 2);
    else this.typed(0xdb, n, 4);
    this.writeRaw(bytes);
  }

  private header(count: number, fix: number, code16: number, code32: number): void {
    if (count < 16) this.byte(fix | count);
    else if (count < 0x1_0000) this.typed(code16, count, 2);
    else this.typed(code32, count, 4);
  }

  /** A type byte followed by `value` as a big-endian unsigned integer of `size` bytes. */
  private typed(code: number, value: number, size: 1 | 2 | 4): void {
    this.ensure(1 + size);
    this.buf[this.pos] = code;
    if (size === 1) this.buf[this.pos + 1] = value;
    else if (size === 2) this.view.setUint16(this.pos + 1, value);
    else this.view.setUint32(this.pos + 1, value);
    this.pos += 1 + size;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return `a ${value.constructor?.name ?? 'null-prototype'} object`;
}
