/**
 * MurmurHash3 x64 128-bit as Apache Cassandra's Murmur3Partitioner computes it, and the token it
 * derives from a partition key.
 *
 * Cassandra's quirks, kept on purpose because they decide which node owns a key:
 * - the tail bytes (after the last 16-byte block) are read as signed Java bytes and sign-extended
 *   before shifting, so keys whose tail has bytes >= 0x80 hash differently from reference
 *   MurmurHash3 (block bytes are masked, so those agree);
 * - the token is the first 64-bit half, signed; Long.MIN_VALUE is mapped to Long.MAX_VALUE;
 * - an empty key gets the minimum token (Long.MIN_VALUE), which no data key can have.
 */
import { fetch64, U64 } from './u64.js';
import { encodeScratch } from './utf8.js';

const C1 = U64.fromHex('87c37b91114253d5');
const C2 = U64.fromHex('4cf5ad432745937f');
const FMIX1 = U64.fromHex('ff51afd7ed558ccd');
const FMIX2 = U64.fromHex('c4ceb9fe1a85ec53');
const H1_ADD = 0x52dce729;
const H2_ADD = 0x38495ab5;

export const MIN_TOKEN = -(2n ** 63n);
export const MAX_TOKEN = 2n ** 63n - 1n;

function fmix64(k: U64): U64 {
  return k.xorShr(33).mul(FMIX1).xorShr(33).mul(FMIX2).xorShr(33);
}

/** A Java `(long) byte << shift`: the byte sign-extended to 64 bits, then shifted. */
function signedByteShifted(byte: number, shift: number): U64 {
  const value = byte >= 0x80 ? new U64(0xffffffff, (0xffffff00 | byte) >>> 0) : new U64(0, byte);
  return value.shl(shift);
}

/** Both 64-bit halves of Cassandra's MurmurHash3 x64_128 (seed 0) of `len` bytes of `s`. */
export function murmur3Cassandra(s: Uint8Array, len: number = s.length): [U64, U64] {
  const h1 = new U64();
  const h2 = new U64();
  const nblocks = len >>> 4;
  const k1 = new U64();
  const k2 = new U64();
  for (let i = 0; i < nblocks; i++) {
    fetch64(s, i * 16, k1);
    fetch64(s, i * 16 + 8, k2);
    h1.xor(k1.mul(C1).rotl(31).mul(C2)).rotl(27).add(h2).mulSmall(5).addSmall(H1_ADD);
    h2.xor(k2.mul(C2).rotl(33).mul(C1)).rotl(31).add(h1).mulSmall(5).addSmall(H2_ADD);
  }

  const tail = nblocks * 16;
  const rest = len & 15;
  k1.setParts(0, 0);
  k2.setParts(0, 0);
  for (let j = rest - 1; j >= 8; j--) k2.xor(signedByteShifted(s[tail + j] as number, (j - 8) * 8));
  if (rest > 8) h2.xor(k2.mul(C2).rotl(33).mul(C1));
  for (let j = Math.min(rest, 8) - 1; j >= 0; j--) k1.xor(signedByteShifted(s[tail + j] as number, j * 8));
  if (rest > 0) h1.xor(k1.mul(C1).rotl(31).mul(C2));

  const length = new U64(0, len);
  h1.xor(length);
  h2.xor(length);
  h1.add(h2);
  h2.add(h1);
  fmix64(h1);
  fmix64(h2);
  h1.add(h2);
  h2.add(h1);
  return [h1, h2];
}

/** Cassandra's Murmur3Partitioner token for raw partition-key bytes. */
export function cassandraTokenBytes(s: Uint8Array, len: number = s.length): bigint {
  if (len === 0) return MIN_TOKEN;
  const token = murmur3Cassandra(s, len)[0].toSignedBigInt();
  return token === MIN_TOKEN ? MAX_TOKEN : token;
}

/** Cassandra's token for a text partition key (its UTF-8 bytes). */
export function cassandraToken(text: string): bigint {
  const key = encodeScratch(text);
  return cassandraTokenBytes(key.bytes, key.length);
}
