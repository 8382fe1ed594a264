// Every hash against an independent implementation of it, on random bytes of every length up to
// past each function's longest special case.
import { createRequire } from 'node:module';
import xxhashWasm from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { fingerprint32, fingerprint32Bytes } from '../../src/ring/hash/farmhash32.js';
import { fingerprint64, fingerprint64Bytes } from '../../src/ring/hash/farmhash64.js';
import { cassandraToken, cassandraTokenBytes, MIN_TOKEN } from '../../src/ring/hash/murmur3.js';
import { U64 } from '../../src/ring/hash/u64.js';
import { xxh64Bytes } from '../../src/ring/hash/xxhash64.js';
import { randomBuffers, randomKeys } from '../support/random.js';

const require = createRequire(import.meta.url);
const farmhash = require('farmhash') as {
  fingerprint32(input: Buffer | string): number;
  hash32(input: Buffer | string): number;
  fingerprint64(input: Buffer | string): bigint | string;
};
const { Murmur3Tokenizer } = require('cassandra-driver/lib/tokenizer.js') as {
  Murmur3Tokenizer: new () => { hash(value: Buffer): { getValue(): { toString(): string } } };
};

describe('farmhash fingerprint32 (ringpop, ringpop-go)', () => {
  const buffers = randomBuffers(3000, 300);

  it('equals npm farmhash fingerprint32 on bytes of every length 0..300', () => {
    const mismatches = buffers.filter((b) => fingerprint32Bytes(b) !== farmhash.fingerprint32(b));
    expect(mismatches.map((b) => b.length)).toEqual([]);
  });

  it('equals npm farmhash hash32 (the prebuilt binaries compile the portable path)', () => {
    const mismatches = buffers.filter((b) => fingerprint32Bytes(b) !== farmhash.hash32(b));
    expect(mismatches.map((b) => b.length)).toEqual([]);
  });

  it('hashes strings as their UTF-8 bytes', () => {
    for (const key of randomKeys(2000)) expect(fingerprint32(key)).toBe(farmhash.fingerprint32(key));
  });

  it('reads ASCII keys of 5 to 24 characters in place: equal to farmhash for every length 0..40 and every code unit 0..127', () => {
    const keys = Array.from({ length: 41 * 8 }, (_, i) => {
      const length = i % 41;
      return Array.from({ length }, (_, c) => String.fromCharCode((i * 31 + c * 17) % 128)).join('');
    });
    expect(new Set(keys.join(''))).toHaveProperty('size', 128);
    const mismatches = keys.filter((key) => fingerprint32(key) !== farmhash.fingerprint32(key));
    expect(mismatches).toEqual([]);
    // One character past ASCII in an otherwise in-place length takes the encoded path, still equal.
    for (const key of ['key-1234\u00e9', 'user:\u4e16\u754c-0001', 'abcdefghijk\u007f', 'abcdefghijk\u0080']) expect(fingerprint32(key)).toBe(farmhash.fingerprint32(key));
  });

  it('gives the ring checksum ringpop reports for a three-node cluster', () => {
    // ringpop.md: ring.checksum of 127.0.0.1:30000-30002, read from a live cluster.
    expect(fingerprint32('127.0.0.1:30000;127.0.0.1:30001;127.0.0.1:30002')).toBe(1662844479);
  });
});

describe('farmhash fingerprint64 (jump key input)', () => {
  it('equals npm farmhash fingerprint64 on bytes of every length 0..400', () => {
    const mismatches = randomBuffers(4000, 400, 7).filter((b) => fingerprint64Bytes(b).toBigInt() !== BigInt(farmhash.fingerprint64(b)));
    expect(mismatches.map((b) => b.length)).toEqual([]);
  });

  it('hashes strings as their UTF-8 bytes', () => {
    for (const key of randomKeys(1000, 9)) expect(fingerprint64(key)).toBe(BigInt(farmhash.fingerprint64(key)));
  });
});

describe("Cassandra's Murmur3Partitioner token", () => {
  const tokenizer = new Murmur3Tokenizer();
  const driverToken = (b: Buffer): bigint => BigInt(tokenizer.hash(b).getValue().toString());

  it("equals the DataStax driver's Murmur3Tokenizer on bytes of every length 1..100", () => {
    // Tails with bytes >= 0x80 exercise Cassandra's sign-extension quirk.
    const buffers = randomBuffers(5000, 100, 11).filter((b) => b.length > 0);
    const mismatches = buffers.filter((b) => cassandraTokenBytes(b) !== driverToken(b));
    expect(mismatches.map((b) => b.length)).toEqual([]);
  });

  it('tokenizes text keys as UTF-8', () => {
    for (const key of randomKeys(1000, 13).filter((k) => k !== '')) expect(cassandraToken(key)).toBe(driverToken(Buffer.from(key, 'utf8')));
  });

  it('gives the empty key the minimum token, as Murmur3Partitioner.getToken does', () => {
    expect(cassandraToken('')).toBe(MIN_TOKEN);
  });
});

describe('xxHash64 (maglev, rendezvous)', async () => {
  const { h64Raw } = await xxhashWasm();

  it('equals xxhash-wasm for seeds 0, 1 and large seeds on bytes of every length 0..150', () => {
    const seeds = [0n, 1n, 0x9e3779b97f4a7c15n, 2n ** 64n - 1n];
    for (const seed of seeds) {
      const mismatches = randomBuffers(1500, 150, 17).filter((b) => xxh64Bytes(b, b.length, U64.fromBigInt(seed)).toBigInt() !== h64Raw(new Uint8Array(b), seed));
      expect(mismatches.map((b) => b.length), `seed ${seed}`).toEqual([]);
    }
  });
});

describe('U64 arithmetic', () => {
  it('matches BigInt for add, sub, mul, rotations and shifts', () => {
    const mask = 2n ** 64n - 1n;
    const values = randomBuffers(400, 8, 23)
      .filter((b) => b.length === 8)
      .map((b) => b.readBigUInt64LE());
    values.push(0n, 1n, mask, 2n ** 63n, 2n ** 32n - 1n, 2n ** 32n);
    for (let i = 0; i < values.length; i++) {
      const a = values[i] as bigint;
      const b = values[(i * 7 + 3) % values.length] as bigint;
      const bits = i % 64;
      expect(U64.fromBigInt(a).add(U64.fromBigInt(b)).toBigInt()).toBe((a + b) & mask);
      expect(U64.fromBigInt(a).sub(U64.fromBigInt(b)).toBigInt()).toBe((a - b) & mask);
      expect(U64.fromBigInt(a).mul(U64.fromBigInt(b)).toBigInt()).toBe((a * b) & mask);
      expect(U64.fromBigInt(a).rotr(bits).toBigInt()).toBe(((a >> BigInt(bits)) | (a << BigInt(64 - bits))) & mask);
      expect(U64.fromBigInt(a).shr(bits).toBigInt()).toBe(a >> BigInt(bits));
      expect(U64.fromBigInt(a).shl(bits).toBigInt()).toBe((a << BigInt(bits)) & mask);
    }
  });
});
