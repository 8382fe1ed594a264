/**
 * xxHash64 (XXH64) with a 64-bit seed: the hash Envoy's Maglev load balancer uses for host keys
 * and header hash policies, and that go-redis's Ring feeds to rendezvous hashing
 * (cespare/xxhash, seed 0).
 */
import { fetch32, fetch64, U64 } from './u64.js';
import { encodeScratch } from './utf8.js';

const P1 = U64.fromHex('9e3779b185ebca87');
const P2 = U64.fromHex('c2b2ae3d27d4eb4f');
const P3 = U64.fromHex('165667b19e3779f9');
const P4 = U64.fromHex('85ebca77c2b2ae63');
const P5 = U64.fromHex('27d4eb2f165667c5');

const input = new U64();

function round(acc: U64, lane: U64): U64 {
  return acc.add(lane.mul(P2)).rotl(31).mul(P1);
}

function mergeRound(acc: U64, value: U64): U64 {
  const v = round(new U64(), value.clone());
  return acc.xor(v).mul(P1).add(P4);
}

/** XXH64 of `len` bytes of `s` with `seed` (default 0). */
export function xxh64Bytes(s: Uint8Array, len: number = s.length, seed: U64 = new U64()): U64 {
  let p = 0;
  let h: U64;
  if (len >= 32) {
    const v1 = seed.clone().add(P1).add(P2);
    const v2 = seed.clone().add(P2);
    const v3 = seed.clone();
    const v4 = seed.clone().sub(P1);
    const limit = len - 32;
    do {
      round(v1, fetch64(s, p, input));
      round(v2, fetch64(s, p + 8, input));
      round(v3, fetch64(s, p + 16, input));
      round(v4, fetch64(s, p + 24, input));
      p += 32;
    } while (p <= limit);
    h = v1.clone().rotl(1).add(v2.clone().rotl(7)).add(v3.clone().rotl(12)).add(v4.clone().rotl(18));
    mergeRound(h, v1);
    mergeRound(h, v2);
    mergeRound(h, v3);
    mergeRound(h, v4);
  } else {
    h = seed.clone().add(P5);
  }
  h.addSmall(len);

  while (p + 8 <= len) {
    const k1 = round(new U64(), fetch64(s, p, input));
    h.xor(k1).rotl(27).mul(P1).add(P4);
    p += 8;
  }
  if (p + 4 <= len) {
    h.xor(new U64(0, fetch32(s, p)).mul(P1)).rotl(23).mul(P2).add(P3);
    p += 4;
  }
  while (p < len) {
    h.xor(P5.clone().mulSmall(s[p] as number)).rotl(11).mul(P1);
    p++;
  }
  return h.xorShr(33).mul(P2).xorShr(29).mul(P3).xorShr(32);
}

/** XXH64 of the UTF-8 bytes of `text`. */
export function xxh64(text: string, seed: U64 = new U64()): U64 {
  const key = encodeScratch(text);
  return xxh64Bytes(key.bytes, key.length, seed);
}
