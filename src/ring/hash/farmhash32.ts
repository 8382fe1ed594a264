/**
 * FarmHash Fingerprint32 (= farmhashmk::Hash32 of FarmHash 1.1): the hash of ringpop-go, of
 * ringpop-node with `isCrossPlatform`, and of npm farmhash's `fingerprint32`. Stable across
 * platforms and versions.
 *
 * npm farmhash's `hash32` is platform-dependent in principle (FarmHash picks farmhashnt, su or sa
 * when compiled with SSE4.1/SSE4.2/AES-NI); the prebuilt binaries that npm farmhash 5.x ships
 * compile the portable path, which is this same function. Tests check both names against the
 * npm package.
 */
import { encodeScratch } from './utf8.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function fetch(s: Uint8Array, i: number): number {
  return (s[i] as number) | ((s[i + 1] as number) << 8) | ((s[i + 2] as number) << 16) | ((s[i + 3] as number) << 24);
}

function rotr(v: number, bits: number): number {
  return (v >>> bits) | (v << (32 - bits));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mur(a: number, h: number): number {
  a = Math.imul(rotr(Math.imul(a, C1), 17), C2);
  h = rotr(h ^ a, 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function len0to4(s: Uint8Array, len: number): number {
  let b = 0;
  let c = 9;
  for (let i = 0; i < len; i++) {
    // FarmHash reads these bytes as `signed char`.
    b = (Math.imul(b, C1) + (((s[i] as number) << 24) >> 24)) | 0;
    c ^= b;
  }
  return fmix(mur(b, mur(len, c)));
}

function len5to12(s: Uint8Array, len: number): number {
  return mix5to12(len, fetch(s, 0), fetch(s, len - 4), fetch(s, (len >>> 1) & 4));
}

/** 5 to 12 bytes, from their first, last and middle little-endian words. */
function mix5to12(len: number, first: number, last: number, middle: number): number {
  let a = len;
  let b = len * 5;
  let c = 9;
  const d = b;
  a = (a + first) | 0;
  b = (b + last) | 0;
  c = (c + middle) | 0;
  return fmix(mur(c, mur(b, mur(a, d))));
}

function len13to24(s: Uint8Array, len: number): number {
  return mix13to24(len, fetch(s, (len >>> 1) - 4), fetch(s, 4), fetch(s, len - 8), fetch(s, len >>> 1), fetch(s, 0), fetch(s, len - 4));
}

/** 13 to 24 bytes, from the six little-endian words FarmHash reads (names as in FarmHash). */
function mix13to24(len: number, a: number, b: number, c: number, d: number, e: number, f: number): number {
  let h = (Math.imul(d, C1) + len) | 0;
  a = (rotr(a, 12) + f) | 0;
  h = (mur(c, h) + a) | 0;
  a = (rotr(a, 3) + c) | 0;
  h = (mur(e, h) + a) | 0;
  a = (rotr((a + f) | 0, 12) + d) | 0;
  h = (mur(b, h) + a) | 0;
  return fmix(h);
}

function step(h: number, x: number): number {
  h = rotr(h ^ x, 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Fingerprint32 of `len` bytes of `s`, as an unsigned 32-bit integer. */
export function fingerprint32Bytes(s: Uint8Array, len: number = s.length): number {
  // Kept small so that V8 inlines the short paths (ring points are 13 to 24 bytes) into its callers.
  if (len <= 24) {
    if (len <= 12) return (len <= 4 ? len0to4(s, len) : len5to12(s, len)) >>> 0;
    return len13to24(s, len) >>> 0;
  }
  return len25up(s, len);
}

function len25up(s: Uint8Array, len: number): number {
  let h = len;
  let g = Math.imul(C1, len);
  let f = g;
  const a0 = Math.imul(rotr(Math.imul(fetch(s, len - 4), C1), 17), C2);
  const a1 = Math.imul(rotr(Math.imul(fetch(s, len - 8), C1), 17), C2);
  const a2 = Math.imul(rotr(Math.imul(fetch(s, len - 16), C1), 17), C2);
  const a3 = Math.imul(rotr(Math.imul(fetch(s, len - 12), C1), 17), C2);
  const a4 = Math.imul(rotr(Math.imul(fetch(s, len - 20), C1), 17), C2);
  h = step(step(h, a0), a2);
  g = step(step(g, a1), a3);
  f = (rotr((f + a4) | 0, 19) + 113) | 0;
  let iters = ((len - 1) / 20) | 0;
  let p = 0;
  do {
    const a = fetch(s, p);
    const b = fetch(s, p + 4);
    const c = fetch(s, p + 8);
    const d = fetch(s, p + 12);
    const e = fetch(s, p + 16);
    h = (h + a) | 0;
    g = (g + b) | 0;
    f = (f + c) | 0;
    h = (mur(d, h) + e) | 0;
    g = (mur(c, g) + a) | 0;
    f = (mur((b + Math.imul(e, C1)) | 0, f) + d) | 0;
    f = (f + g) | 0;
    g = (g + f) | 0;
    p += 20;
  } while (--iters !== 0);
  g = Math.imul(rotr(g, 11), C1);
  g = Math.imul(rotr(g, 17), C1);
  f = Math.imul(rotr(f, 11), C1);
  f = Math.imul(rotr(f, 17), C1);
  h = rotr((h + g) | 0, 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h = Math.imul(rotr(h, 17), C1);
  h = rotr((h + f) | 0, 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h = Math.imul(rotr(h, 17), C1);
  return h >>> 0;
}

/** Four code units of an ASCII string: the little-endian word fetch() reads from its UTF-8 bytes. */
function fetchAscii(s: string, i: number): number {
  return s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Fingerprint32 of the UTF-8 bytes of `text`. Keys of 5 to 24 ASCII characters (most keys) are
 * read in place: their code units are their UTF-8 bytes, so nothing is copied (lookups are about
 * 15% faster); anything else is encoded first.
 */
export function fingerprint32(text: string): number {
  const len = text.length;
  if (len >= 5 && len <= 24 && isAscii(text)) {
    if (len <= 12) return mix5to12(len, fetchAscii(text, 0), fetchAscii(text, len - 4), fetchAscii(text, (len >>> 1) & 4)) >>> 0;
    return mix13to24(len, fetchAscii(text, (len >>> 1) - 4), fetchAscii(text, 4), fetchAscii(text, len - 8), fetchAscii(text, len >>> 1), fetchAscii(text, 0), fetchAscii(text, len - 4)) >>> 0;
  }
  const key = encodeScratch(text);
  return fingerprint32Bytes(key.bytes, key.length);
}
