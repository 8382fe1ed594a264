/**
 * TChannel argument checksums (ringpop.md 1.8): none, IEEE CRC-32 (type 1), farmhash
 * Fingerprint32 (type 2; tchannel-node ignores the seed, so it is fingerprint32 of the frame's
 * last arg chunk) and CRC-32C (type 3, tchannel-node's default). CRCs chain: each arg chunk, and
 * each continuation frame, is seeded with the running value. Pure; CRC-32C is plain JavaScript
 * so nothing native is needed.
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { fingerprint32Bytes } from '../../ring/hash/farmhash32.js';

export const CHECKSUM_NONE = 0;
export const CHECKSUM_CRC32 = 1;
export const CHECKSUM_FARMHASH = 2;
export const CHECKSUM_CRC32C = 3;
export type ChecksumType = 0 | 1 | 2 | 3;

export function isChecksumType(value: number): value is ChecksumType {
  return value >= 0 && value <= 3;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli) of `data`, continuing from `seed` (a previous result, 0 to start). */
export function crc32c(data: Uint8Array, seed = 0): number {
  let c = ~seed >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC32C_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** IEEE CRC-32 (zlib's), continuing from `seed`. */
export function crc32(data: Uint8Array, seed = 0): number {
  // Node 20's zlib.crc32 returns 0 instead of the seed for an empty Buffer (`Buffer.from([])`).
  if (data.length === 0) return seed >>> 0;
  return zlibCrc32(data, seed) >>> 0;
}

/** The checksum of one frame's arg chunks, seeded with the previous frame's value. */
export function argsChecksum(type: ChecksumType, chunks: readonly Uint8Array[], seed = 0): number {
  switch (type) {
    case CHECKSUM_NONE:
      return 0;
    case CHECKSUM_CRC32:
      return chunks.reduce((c, chunk) => crc32(chunk, c), seed);
    case CHECKSUM_CRC32C:
      return chunks.reduce((c, chunk) => crc32c(chunk, c), seed);
    case CHECKSUM_FARMHASH: {
      const last = chunks[chunks.length - 1];
      return last ? fingerprint32Bytes(last) : 0;
    }
  }
}

export function checksumSize(type: ChecksumType): number {
  return type === CHECKSUM_NONE ? 0 : 4;
}
