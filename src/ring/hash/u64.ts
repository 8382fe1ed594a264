/**
 * Unsigned 64-bit arithmetic on two uint32 halves.
 *
 * The 64-bit hashes (farmhash fingerprint64, MurmurHash3 x64, xxHash64) run on hot paths
 * (ring builds, jump lookups, rendezvous scoring), where BigInt costs about 25 ns per
 * operation. A U64 is a small mutable register: every operation changes `this` and returns it,
 * so `a.mul(K1).rotr(37)` reads like the C it mirrors. Use `clone()` before mutating a value
 * that is still needed.
 */
export class U64 {
  constructor(
    public hi = 0,
    public lo = 0,
  ) {}

  static fromBigInt(value: bigint): U64 {
    const v = BigInt.asUintN(64, value);
    return new U64(Number(v >> 32n), Number(v & 0xffffffffn));
  }

  /** Parses a 16-digit hexadecimal constant such as `c3a5c85c97cb3127`. */
  static fromHex(hex: string): U64 {
    return new U64(parseInt(hex.slice(0, -8), 16) >>> 0, parseInt(hex.slice(-8), 16) >>> 0);
  }

  clone(): U64 {
    return new U64(this.hi, this.lo);
  }

  set(other: U64): this {
    this.hi = other.hi;
    this.lo = other.lo;
    return this;
  }

  setParts(hi: number, lo: number): this {
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  toBigInt(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The value as a signed 64-bit integer. */
  toSignedBigInt(): bigint {
    return BigInt.asIntN(64, this.toBigInt());
  }

  equals(other: U64): boolean {
    return this.hi === other.hi && this.lo === other.lo;
  }

  add(other: U64): this {
    const lo = this.lo + other.lo;
    this.hi = (this.hi + other.hi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** Adds a non-negative integer below 2^32. */
  addSmall(n: number): this {
    const lo = this.lo + n;
    this.hi = (this.hi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  sub(other: U64): this {
    const lo = this.lo - other.lo;
    this.hi = (this.hi - other.hi - (lo < 0 ? 1 : 0)) >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** Low 64 bits of the product. */
  mul(other: U64): this {
    const hi = mulHigh32(this.lo, other.lo) + Math.imul(this.hi, other.lo) + Math.imul(this.lo, other.hi);
    this.lo = Math.imul(this.lo, other.lo) >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** Multiplies by a non-negative integer below 2^32. */
  mulSmall(n: number): this {
    const hi = mulHigh32(this.lo, n) + Math.imul(this.hi, n);
    this.lo = Math.imul(this.lo, n) >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  xor(other: U64): this {
    this.hi = (this.hi ^ other.hi) >>> 0;
    this.lo = (this.lo ^ other.lo) >>> 0;
    return this;
  }

  and(other: U64): this {
    this.hi = (this.hi & other.hi) >>> 0;
    this.lo = (this.lo & other.lo) >>> 0;
    return this;
  }

  /** Logical shift right by 0..63 bits. */
  shr(bits: number): this {
    if (bits === 0) return this;
    if (bits >= 32) {
      this.lo = this.hi >>> (bits - 32);
      this.hi = 0;
    } else {
      this.lo = ((this.lo >>> bits) | (this.hi << (32 - bits))) >>> 0;
      this.hi = this.hi >>> bits;
    }
    return this;
  }

  /** Shift left by 0..63 bits. */
  shl(bits: number): this {
    if (bits === 0) return this;
    if (bits >= 32) {
      this.hi = (this.lo << (bits - 32)) >>> 0;
      this.lo = 0;
    } else {
      this.hi = ((this.hi << bits) | (this.lo >>> (32 - bits))) >>> 0;
      this.lo = (this.lo << bits) >>> 0;
    }
    return this;
  }

  /** Rotate right by 0..63 bits. */
  rotr(bits: number): this {
    let hi = this.hi;
    let lo = this.lo;
    if (bits >= 32) {
      const t = hi;
      hi = lo;
      lo = t;
      bits -= 32;
    }
    if (bits !== 0) {
      const nhi = (hi >>> bits) | (lo << (32 - bits));
      const nlo = (lo >>> bits) | (hi << (32 - bits));
      hi = nhi;
      lo = nlo;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** Rotate left by 0..63 bits. */
  rotl(bits: number): this {
    return this.rotr((64 - bits) & 63);
  }

  /** `this ^= this << bits`. */
  xorShl(bits: number): this {
    const hi = this.hi;
    const lo = this.lo;
    this.shl(bits);
    this.hi = (this.hi ^ hi) >>> 0;
    this.lo = (this.lo ^ lo) >>> 0;
    return this;
  }

  /** `this ^= this >>> bits`, the shift-xor step every 64-bit mixer uses. */
  xorShr(bits: number): this {
    const hi = this.hi;
    const lo = this.lo;
    this.shr(bits);
    this.hi = (this.hi ^ hi) >>> 0;
    this.lo = (this.lo ^ lo) >>> 0;
    return this;
  }
}

/** High 32 bits of the unsigned 64-bit product of two uint32 values. */
export function mulHigh32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** Reads a little-endian 64-bit word into `out`. */
export function fetch64(bytes: Uint8Array, offset: number, out: U64 = new U64()): U64 {
  out.lo = fetch32(bytes, offset);
  out.hi = fetch32(bytes, offset + 4);
  return out;
}

/** Reads a little-endian unsigned 32-bit word. */
export function fetch32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}
