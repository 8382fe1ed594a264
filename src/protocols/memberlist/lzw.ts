/**
 * LZW as Go's `compress/lzw` does it with LSB bit order and literal width 8, the only compression
 * memberlist knows (`compress{Algo: 0}`, memberlist.md §2.5).
 *
 * The format: codes are packed least-significant bit first, starting 9 bits wide. 0..255 are
 * literals, 256 clears the table, 257 ends the stream, and new entries are numbered from 258. Let
 * `hi` be 257 plus the number of codes sent since the last clear: each code is sent `bitlen(hi)`
 * bits wide (so it widens to 10 bits once hi reaches 512, up to 12), and each code after the first
 * defines entry `hi` = the previous code's string plus the first byte of its own. A code may be
 * `hi` itself, the entry it is about to define (the KwKwK case). When hi would reach 4095 the Go
 * writer sends a clear (12 bits wide) and starts again at 9 bits; its stream always begins with a
 * clear and ends with the end code and the pending bits padded to a byte.
 */

/** The compressed bytes are not a stream of this format, or they expand beyond the given limit. */
export class LzwError extends Error {
  override readonly name = 'LzwError';
}

const CLEAR = 256;
const EOF = 257;
const FIRST_WIDTH = 9;
const MAX_WIDTH = 12;
/** Go never defines this code: reaching it makes the writer clear, and the reader stop adding. */
const MAX_CODE = (1 << MAX_WIDTH) - 1;

/**
 * Decompresses a Go LZW stream. Stops at the end code or, leniently (Go's reader reports an
 * unexpected EOF there), at the end of the data. Throws LzwError for a code that is neither a
 * literal, clear, end, nor defined, and as soon as the output would pass `maxOutput` bytes.
 */
export function lzwDecompress(data: Uint8Array, maxOutput: number): Uint8Array {
  if (!Number.isInteger(maxOutput) || maxOutput < 0) throw new RangeError(`maxOutput must be a non-negative integer, got ${maxOutput}`);
  // Entry c is `prefix[c]`'s string followed by `suffix[c]`; `length` and `first` avoid walks.
  const prefix = new Uint16Array(MAX_CODE);
  const suffix = new Uint8Array(MAX_CODE);
  const first = new Uint8Array(MAX_CODE);
  const length = new Uint16Array(MAX_CODE);
  for (let c = 0; c < CLEAR; c++) {
    suffix[c] = c;
    first[c] = c;
    length[c] = 1;
  }

  let out = new Uint8Array(Math.min(maxOutput, Math.max(1024, data.length * 4)));
  let outPos = 0;
  let bits = 0;
  let nBits = 0;
  let inPos = 0;
  let width = FIRST_WIDTH;
  let hi = EOF;
  let prev = -1;

  for (;;) {
    while (nBits < width && inPos < data.length) {
      bits |= (data[inPos++] as number) << nBits;
      nBits += 8;
    }
    if (nBits < width) break; // end of data without an end code: what is left is padding
    const code = bits & ((1 << width) - 1);
    bits >>>= width;
    nBits -= width;

    if (code === CLEAR) {
      width = FIRST_WIDTH;
      hi = EOF;
      prev = -1;
      continue;
    }
    if (code === EOF) break;
    const full = hi >= MAX_CODE;
    if (prev < 0 ? code >= CLEAR : code > hi || (code === hi && full)) {
      throw new LzwError(`invalid LZW code ${code} at bit ${inPos * 8 - nBits - width} (next free code ${hi})`);
    }
    if (prev >= 0 && !full) {
      prefix[hi] = prev;
      suffix[hi] = code === hi ? (first[prev] as number) : (first[code] as number);
      first[hi] = first[prev] as number;
      length[hi] = (length[prev] as number) + 1;
    }

    const n = length[code] as number;
    if (outPos + n > out.length) {
      if (outPos + n > maxOutput) throw new LzwError(`LZW output exceeds ${maxOutput} bytes`);
      const grown = new Uint8Array(Math.min(maxOutput, Math.max(out.length * 2, outPos + n)));
      grown.set(out.subarray(0, outPos));
      out = grown;
    }
    for (let c = code, i = outPos + n - 1; i >= outPos; i--) {
      out[i] = suffix[c] as number;
      c = prefix[c] as number;
    }
    outPos += n;

    prev = code;
    if (!full) {
      hi++;
      if (hi === 1 << width && width < MAX_WIDTH) width++;
    }
  }
  return out.slice(0, outPos);
}

/** Compresses `data` into exactly the bytes Go's `lzw.NewWriter(w, lzw.LSB, 8)` writes for it. */
export function lzwCompress(data: Uint8Array): Uint8Array {
  const out = new BitWriter(data.length);
  out.write(CLEAR, FIRST_WIDTH);
  if (data.length === 0) {
    out.write(EOF, FIRST_WIDTH);
    return out.finish();
  }

  const table = new CodeTable();
  let width = FIRST_WIDTH;
  let hi = EOF;
  let code = data[0] as number;

  /** Counts the code just sent; false when that filled the table and a clear went out. */
  const advance = (): boolean => {
    hi++;
    if (hi === 1 << width) width++;
    if (hi < MAX_CODE) return true;
    out.write(CLEAR, width);
    width = FIRST_WIDTH;
    hi = EOF;
    table.clear();
    return false;
  };

  for (let i = 1; i < data.length; i++) {
    const byte = data[i] as number;
    const key = (code << 8) | byte;
    const known = table.get(key);
    if (known >= 0) {
      code = known;
      continue;
    }
    out.write(code, width);
    code = byte;
    if (advance()) table.set(key, hi);
  }
  out.write(code, width);
  advance();
  out.write(EOF, width);
  return out.finish();
}

/** Open-addressing map from (code << 8 | byte) to the code of that string. */
class CodeTable {
  private static readonly SIZE = 1 << 14; // four times the codes, so probes stay short
  private readonly keys = new Int32Array(CodeTable.SIZE).fill(-1);
  private readonly codes = new Uint16Array(CodeTable.SIZE);

  get(key: number): number {
    for (let h = hash(key); ; h = (h + 1) & (CodeTable.SIZE - 1)) {
      const k = this.keys[h] as number;
      if (k === key) return this.codes[h] as number;
      if (k < 0) return -1;
    }
  }

  set(key: number, code: number): void {
    let h = hash(key);
    while ((this.keys[h] as number) >= 0) h = (h + 1) & (CodeTable.SIZE - 1);
    this.keys[h] = key;
    this.codes[h] = code;
  }

  clear(): void {
    this.keys.fill(-1);
  }
}

function hash(key: number): number {
  return (Math.imul(key, 0x9e3779b1) >>> 18) & ((1 << 14) - 1);
}

/** Packs codes least-significant bit first. */
class BitWriter {
  private buf: Uint8Array;
  private pos = 0;
  private bits = 0;
  private nBits = 0;

  constructor(inputLength: number) {
    this.buf = new Uint8Array(Math.max(64, (inputLength >>> 1) + 16));
  }

  write(code: number, width: number): void {
    this.bits |= code << this.nBits;
    this.nBits += width;
    while (this.nBits >= 8) {
      this.byte(this.bits & 0xff);
      this.bits >>>= 8;
      this.nBits -= 8;
    }
  }

  finish(): Uint8Array {
    if (this.nBits > 0) this.byte(this.bits & 0xff);
    this.bits = 0;
    this.nBits = 0;
    return this.buf.slice(0, this.pos);
  }

  private byte(value: number): void {
    if (this.pos === this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    this.buf[this.pos++] = value;
  }
}
