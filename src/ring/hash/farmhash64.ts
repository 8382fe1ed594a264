/**
 * FarmHash Fingerprint64 (= farmhashna::Hash64 of FarmHash 1.1), the platform-independent 64-bit
 * fingerprint; npm farmhash's `fingerprint64`. ringside feeds it to jump consistent hash as the
 * key's 64-bit input.
 */
import { fetch32, fetch64, U64 } from './u64.js';
import { encodeScratch } from './utf8.js';

const K0 = U64.fromHex('c3a5c85c97cb3127');
const K1 = U64.fromHex('b492b66fbe98f273');
const K2 = U64.fromHex('9ae16a3b2f90404f');

function shiftMix(v: U64): U64 {
  return v.xorShr(47);
}

/** Murmur-inspired mix of two words; consumes neither argument. */
function hashLen16(u: U64, v: U64, mul: U64): U64 {
  const a = u.clone().xor(v).mul(mul);
  a.xorShr(47);
  const b = v.clone().xor(a).mul(mul);
  b.xorShr(47);
  return b.mul(mul);
}

function mulFor(len: number): U64 {
  return K2.clone().addSmall(len * 2);
}

function hashLen0to16(s: Uint8Array, len: number): U64 {
  if (len >= 8) {
    const mul = mulFor(len);
    const a = fetch64(s, 0).add(K2);
    const b = fetch64(s, len - 8);
    const c = b.clone().rotr(37).mul(mul).add(a);
    const d = a.clone().rotr(25).add(b).mul(mul);
    return hashLen16(c, d, mul);
  }
  if (len >= 4) {
    const mul = mulFor(len);
    const a = new U64(0, fetch32(s, 0)).shl(3).addSmall(len);
    return hashLen16(a, new U64(0, fetch32(s, len - 4)), mul);
  }
  if (len > 0) {
    const a = s[0] as number;
    const b = s[len >>> 1] as number;
    const c = s[len - 1] as number;
    const y = a + (b << 8);
    const z = len + (c << 2);
    const yk2 = K2.clone().mulSmall(y);
    const zk0 = K0.clone().mulSmall(z);
    return shiftMix(yk2.xor(zk0)).mul(K2);
  }
  return K2.clone();
}

function hashLen17to32(s: Uint8Array, len: number): U64 {
  const mul = mulFor(len);
  const a = fetch64(s, 0).mul(K1);
  const b = fetch64(s, 8);
  const c = fetch64(s, len - 8).mul(mul);
  const d = fetch64(s, len - 16).mul(K2);
  const u = a.clone().add(b).rotr(43).add(c.clone().rotr(30)).add(d);
  const v = b.clone().add(K2).rotr(18).add(a).add(c);
  return hashLen16(u, v, mul);
}

function hashLen33to64(s: Uint8Array, len: number): U64 {
  const mul = mulFor(len);
  const a = fetch64(s, 0).mul(K2);
  const b = fetch64(s, 8);
  const c = fetch64(s, len - 8).mul(mul);
  const d = fetch64(s, len - 16).mul(K2);
  const y = a.clone().add(b).rotr(43).add(c.clone().rotr(30)).add(d);
  const z = hashLen16(y, b.clone().add(K2).rotr(18).add(a).add(c), mul);
  const e = fetch64(s, 16).mul(mul);
  const f = fetch64(s, 24);
  const g = fetch64(s, len - 32).add(y).mul(mul);
  const h = fetch64(s, len - 24).add(z).mul(mul);
  const u = e.clone().add(f).rotr(43).add(g.clone().rotr(30)).add(h);
  const v = f.clone().add(a).rotr(18).add(e).add(g);
  return hashLen16(u, v, mul);
}

/** Two-word result of farmhash's WeakHashLen32WithSeeds over s[p..p+32), written into `out`. */
function weakHashLen32WithSeeds(s: Uint8Array, p: number, a: U64, b: U64, out: [U64, U64]): void {
  const w = fetch64(s, p);
  const x = fetch64(s, p + 8);
  const y = fetch64(s, p + 16);
  const z = fetch64(s, p + 24);
  a.add(w);
  b.add(a).add(z).rotr(21);
  const c = a.clone();
  a.add(x).add(y);
  b.add(a.clone().rotr(44));
  out[0].set(a).add(z);
  out[1].set(b).add(c);
}

function hashLong(s: Uint8Array, len: number): U64 {
  const seed = 81;
  let x = new U64(0, seed);
  let y = new U64(0, seed).mul(K1).addSmall(113);
  let z = shiftMix(y.clone().mul(K2).addSmall(113)).mul(K2);
  const v: [U64, U64] = [new U64(), new U64()];
  const w: [U64, U64] = [new U64(), new U64()];
  x.mul(K2).add(fetch64(s, 0));

  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let p = 0;
  do {
    x = x.add(y).add(v[0]).add(fetch64(s, p + 8)).rotr(37).mul(K1);
    y = y.add(v[1]).add(fetch64(s, p + 48)).rotr(42).mul(K1);
    x.xor(w[1]);
    y.add(v[0]).add(fetch64(s, p + 40));
    z = z.add(w[0]).rotr(33).mul(K1);
    weakHashLen32WithSeeds(s, p, v[1].clone().mul(K1), x.clone().add(w[0]), v);
    weakHashLen32WithSeeds(s, p + 32, z.clone().add(w[1]), y.clone().add(fetch64(s, p + 16)), w);
    const t = z;
    z = x;
    x = t;
    p += 64;
  } while (p !== end);

  const mul = K1.clone().addSmall((z.lo & 0xff) << 1);
  p = last64;
  w[0].addSmall((len - 1) & 63);
  v[0].add(w[0]);
  w[0].add(v[0]);
  x = x.add(y).add(v[0]).add(fetch64(s, p + 8)).rotr(37).mul(mul);
  y = y.add(v[1]).add(fetch64(s, p + 48)).rotr(42).mul(mul);
  x.xor(w[1].clone().mulSmall(9));
  y.add(v[0].clone().mulSmall(9)).add(fetch64(s, p + 40));
  z = z.add(w[0]).rotr(33).mul(mul);
  weakHashLen32WithSeeds(s, p, v[1].clone().mul(mul), x.clone().add(w[0]), v);
  weakHashLen32WithSeeds(s, p + 32, z.clone().add(w[1]), y.clone().add(fetch64(s, p + 16)), w);
  const t = z;
  z = x;
  x = t;
  const u = hashLen16(v[0], w[0], mul).add(shiftMix(y.clone()).mul(K0)).add(z);
  const vv = hashLen16(v[1], w[1], mul).add(x);
  return hashLen16(u, vv, mul);
}

/** Fingerprint64 of `len` bytes of `s`, as a U64. */
export function fingerprint64Bytes(s: Uint8Array, len: number = s.length): U64 {
  if (len <= 16) return hashLen0to16(s, len);
  if (len <= 32) return hashLen17to32(s, len);
  if (len <= 64) return hashLen33to64(s, len);
  return hashLong(s, len);
}

/** Fingerprint64 of the UTF-8 bytes of `text`, as an unsigned bigint. */
export function fingerprint64(text: string): bigint {
  const key = encodeScratch(text);
  return fingerprint64Bytes(key.bytes, key.length).toBigInt();
}
