/**
 * Checking a compressed HDR histogram (V2: cookie 0x1c849314, int32 length, zlib body holding a
 * 40-byte header and ZigZag-LEB128 counts) from a file someone gave us. hdr-histogram-js trusts
 * the inner payload length: a corrupt length makes it loop for ever. So the envelope and header
 * are checked here first (for results, .hlog lines and worker messages alike), inflating with a size cap (no zlib bombs), and only a sound payload is
 * handed to the library. Throws a plain Error saying what is wrong; callers add the file.
 */
import { inflateSync } from 'node:zlib';
import { type Histogram, decodeFromCompressedBase64 } from 'hdr-histogram-js';

const COMPRESSED_COOKIE = 0x1c849314;
const PAYLOAD_COOKIE = 0x1c849313;
const HEADER_BYTES = 40;
/** Far above any real histogram (3 digits over an hour in µs is well under 1 MB of counts). */
export const MAX_INFLATED_BYTES = 16 << 20;

/** Throws unless `base64` is a sound compressed HDR histogram; safe on any input. */
export function checkEncodedHistogram(base64: string): void {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new Error('not base64');
  const outer = Buffer.from(text, 'base64');
  if (outer.length < 8 || outer.readInt32BE(0) !== COMPRESSED_COOKIE) throw new Error('not a compressed HDR histogram (cookie)');
  const length = outer.readInt32BE(4);
  if (length <= 0 || length > outer.length - 8) throw new Error('its compressed length does not match its size');
  let inner: Buffer;
  try {
    inner = inflateSync(outer.subarray(8, 8 + length), { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    throw new Error('its compressed body does not inflate (corrupt, or larger than 16 MB)');
  }
  if (inner.length < HEADER_BYTES || inner.readInt32BE(0) !== PAYLOAD_COOKIE) throw new Error('not an HDR histogram payload (cookie)');
  const payload = inner.readInt32BE(4);
  if (payload < 0 || payload > inner.length - HEADER_BYTES) throw new Error('its payload length does not match its size');
  const digits = inner.readInt32BE(12);
  if (digits < 0 || digits > 5) throw new Error('its significant digits are out of range');
}

/** Decodes a histogram from a file or a peer, checked first (see above). */
export function decodeUntrustedHistogram(base64: string): Histogram {
  checkEncodedHistogram(base64);
  return decodeFromCompressedBase64(base64.trim(), 64, false);
}
