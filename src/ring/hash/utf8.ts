/**
 * UTF-8 encoding of keys for hashing, without a fresh allocation per key.
 *
 * Every placement algorithm hashes the UTF-8 bytes of a key (ringpop's farmhash binding,
 * libketama, Cassandra's text partition keys and Envoy all do). Lookups run millions of times
 * per second, so keys are encoded into one reusable scratch buffer: ASCII is copied code unit
 * by code unit, anything else goes through TextEncoder.encodeInto. The returned view is only
 * valid until the next call.
 */
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

export interface EncodedKey {
  bytes: Uint8Array;
  length: number;
}

const result: EncodedKey = { bytes: scratch, length: 0 };

/** Encodes `text` into the shared scratch buffer; valid until the next call. */
export function encodeScratch(text: string): EncodedKey {
  const n = text.length;
  if (n * 3 > scratch.length) {
    scratch = new Uint8Array(Math.max(n * 3, scratch.length * 2));
  }
  const bytes = scratch;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) break;
    bytes[i] = c;
  }
  if (i === n) {
    result.bytes = bytes;
    result.length = n;
    return result;
  }
  const { written } = encoder.encodeInto(text.slice(i), bytes.subarray(i));
  result.bytes = bytes;
  result.length = i + written;
  return result;
}

/** A fresh UTF-8 copy of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
