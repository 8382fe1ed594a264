/**
 * Typed reads of Go structs decoded as MsgMap, with the leniency go-msgpack 0.5.5 shows when it
 * decodes into memberlist and Serf structs (memberlist.md §4.3):
 * - a missing key or nil gives the Go zero value ('', empty bytes, 0, false, [], empty map);
 * - `string` and `[]byte` fields both come as raw bytes (the decoder never guesses): `str` decodes
 *   UTF-8 (invalid sequences become U+FFFD), `bytes` returns them as they are (a subarray of the
 *   input buffer) and also accepts an array of 0..255 integers, as Go does for `Vsn`;
 * - integer fields accept any integer encoding that fits the field's width (a negative value in an
 *   unsigned field is an error), never a float (except one with an integral value, which cannot
 *   be told from an integer once decoded); bool fields also accept 0 and 1.
 * Anything else is a MsgpackError that names the field. The `as*` forms convert one value (an
 * array element, a map value) and take the name to report.
 */
import { MsgpackError, type MsgMap, type MsgValue } from './decode.js';

export type SmallBits = 8 | 16 | 32;
export type IntBits = SmallBits | 64;

const text = new TextDecoder('utf-8', { fatal: false });

/** A Go `string` field. */
export function str(fields: MsgMap, key: string): string {
  return asStr(fields.get(key) ?? null, key);
}

/** A Go `[]byte` field (`Addr`, `Meta`, `Vsn`, `Payload`, `Buf`). */
export function bytes(fields: MsgMap, key: string): Uint8Array {
  return asBytes(fields.get(key) ?? null, key);
}

/** A Go unsigned integer field of `bits` width: a number up to 32 bits, a bigint for 64. */
export function uint(fields: MsgMap, key: string, bits: SmallBits): number;
export function uint(fields: MsgMap, key: string, bits: 64): bigint;
export function uint(fields: MsgMap, key: string, bits: IntBits): number | bigint {
  return fitInteger(fields.get(key) ?? null, bits, false, key);
}

/**
 * A Go signed integer field. Without `bits` it is a Go `int` (64-bit) that counts something
 * (`Nodes`, `UserStateLen`, `State`), returned as a number: a value beyond ±(2^53 − 1) is a
 * MsgpackError rather than a silently rounded count. With `bits` the value must fit that width and
 * comes back as a number up to 32 bits, a bigint for 64.
 */
export function int(fields: MsgMap, key: string, bits?: SmallBits): number;
export function int(fields: MsgMap, key: string, bits: 64): bigint;
export function int(fields: MsgMap, key: string, bits?: IntBits): number | bigint {
  const value = fields.get(key) ?? null;
  return bits === undefined ? asSafeInt(value, key) : fitInteger(value, bits, true, key);
}

/** A Go `bool` field. */
export function bool(fields: MsgMap, key: string): boolean {
  return asBool(fields.get(key) ?? null, key);
}

/** A Go `float64` field (Serf coordinates). */
export function float(fields: MsgMap, key: string): number {
  return asFloat(fields.get(key) ?? null, key);
}

/** A Go slice field other than `[]byte`; convert the elements with the `as*` forms. */
export function array(fields: MsgMap, key: string): MsgValue[] {
  return asArray(fields.get(key) ?? null, key);
}

/** A Go map or nested struct field. */
export function map(fields: MsgMap, key: string): MsgMap {
  return asMap(fields.get(key) ?? null, key);
}

export function asStr(value: MsgValue, what: string): string {
  if (value === null) return '';
  if (value instanceof Uint8Array) return text.decode(value);
  throw wrongType(what, 'a string', value);
}

export function asBytes(value: MsgValue, what: string): Uint8Array {
  if (value === null) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    const out = new Uint8Array(value.length);
    value.forEach((item, i) => {
      out[i] = asUint(item, 8, `${what}[${i}]`);
    });
    return out;
  }
  throw wrongType(what, 'bytes', value);
}

export function asUint(value: MsgValue, bits: SmallBits, what: string): number;
export function asUint(value: MsgValue, bits: 64, what: string): bigint;
export function asUint(value: MsgValue, bits: IntBits, what: string): number | bigint {
  return fitInteger(value, bits, false, what);
}

export function asInt(value: MsgValue, bits: SmallBits, what: string): number;
export function asInt(value: MsgValue, bits: 64, what: string): bigint;
export function asInt(value: MsgValue, bits: IntBits, what: string): number | bigint {
  return fitInteger(value, bits, true, what);
}

export function asSafeInt(value: MsgValue, what: string): number {
  if (value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint') throw new MsgpackError(`field ${what}: ${value} is too large for a count`);
  throw wrongType(what, 'an integer', value);
}

export function asBool(value: MsgValue, what: string): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw wrongType(what, 'a bool', value);
}

export function asFloat(value: MsgValue, what: string): number {
  if (value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw wrongType(what, 'a float', value);
}

export function asArray(value: MsgValue, what: string): MsgValue[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  throw wrongType(what, 'an array', value);
}

export function asMap(value: MsgValue, what: string): MsgMap {
  if (value === null) return new Map();
  if (value instanceof Map) return value;
  throw wrongType(what, 'a map', value);
}

/**
 * An integer that must fit `bits` (signed or not): a number for up to 32 bits, a bigint for 64.
 * Floats are rejected as Go rejects them, except that a float with an integral value (`cb` 1.0)
 * cannot be told from an integer once decoded and is accepted.
 */
function fitInteger(value: MsgValue, bits: IntBits, signed: boolean, what: string): number | bigint {
  const kind = `${signed ? 'a signed' : 'an unsigned'} ${bits}-bit integer`;
  if (value === null) return bits === 64 ? 0n : 0;
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isInteger(value)) {
    if (bits !== 64) {
      const low = signed ? -(2 ** (bits - 1)) : 0;
      if (value >= low && value < low + 2 ** bits) return value;
      throw new MsgpackError(`field ${what}: ${value} does not fit ${kind}`);
    }
    n = BigInt(value);
  } else throw wrongType(what, kind, value);
  const low = signed ? -(2n ** BigInt(bits - 1)) : 0n;
  if (n < low || n >= low + 2n ** BigInt(bits)) throw new MsgpackError(`field ${what}: ${n} does not fit ${kind}`);
  return bits === 64 ? n : Number(n);
}

function wrongType(what: string, expected: string, value: MsgValue): MsgpackError {
  return new MsgpackError(`field ${what}: expected ${expected}, got ${describe(value)}`);
}

function describe(value: MsgValue): string {
  if (value === null) return 'nil';
  if (value instanceof Uint8Array) return `a ${value.length}-byte string`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Map) return `a map of ${value.size}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `float ${value}`;
  return `${typeof value} ${String(value)}`;
}
