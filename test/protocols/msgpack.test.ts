// The msgpack codecs against @msgpack/msgpack (an independent implementation) in both directions,
// against bytes captured from bookworm Serf agents (memberlist.md §2.3, §3.2, §12), and against
// hostile input: truncation, lying counts, depth bombs and random bytes.
import { decode as theirDecode, encode as theirEncode, ExtData } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { decodeAll, decodeValue, MsgpackError, type MsgMap, type MsgValue } from '../../src/protocols/msgpack/decode.js';
import { type EncodeValue, encodeValue, MsgpackWriter } from '../../src/protocols/msgpack/encode.js';
import { compareUtf8 as compareCodePoints } from '../../src/utf8-order.js';
import { array, asStr, asUint, bool, bytes, float, int, map, str, uint } from '../../src/protocols/msgpack/fields.js';
import { prng } from '../support/random.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
/** Hex of a raw string as Go writes it: the header, then the UTF-8 bytes. */
const raw = (text: string) => {
  const data = utf8(text);
  const header = data.length < 32 ? (0xa0 | data.length).toString(16) : `da${data.length.toString(16).padStart(4, '0')}`;
  return header + hex(data);
};

// ---------------------------------------------------------------------------------------------
// A model of random values, normalised so both decoders' output can be compared with toEqual.

type Model =
  | { t: 'nil' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bin'; v: Uint8Array }
  | { t: 'ext'; type: number; v: Uint8Array }
  | { t: 'array'; v: Model[] }
  | { t: 'map'; v: [string, Model][] };

const INT_BOUNDARIES: bigint[] = [
  0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0xffffn, 0x1_0000n, 0xffff_ffffn, 0x1_0000_0000n,
  2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n,
  -1n, -32n, -33n, -0x80n, -0x81n, -0x8000n, -0x8001n, -(2n ** 31n), -(2n ** 31n) - 1n,
  -(2n ** 53n) + 1n, -(2n ** 53n), -(2n ** 63n),
];
const KEY_CHARS = ['a', 'Z', '0', '_', ' ', 'é', 'ß', '中', '😀', '\u0000', '\uffff', '__proto__'];

function randomModel(rand: () => number, depth: number, opts: { ext: boolean }): Model {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const r = rand();
  const container = depth < 4 && r < 0.25;
  if (container && r < 0.12) {
    const n = rand() < 0.1 ? 16 + Math.floor(rand() * 8) : Math.floor(rand() * 6);
    return { t: 'array', v: Array.from({ length: n }, () => randomModel(rand, depth + 1, opts)) };
  }
  if (container) {
    const n = rand() < 0.1 ? 16 + Math.floor(rand() * 8) : Math.floor(rand() * 6);
    const keys = new Set<string>();
    // Random lengths from 0; never exactly "__proto__", which @msgpack/msgpack refuses to decode.
    while (keys.size < n) keys.add(randomText(rand, Math.floor(rand() * 13)).replace(/^__proto__$/, '__proto__x'));
    return { t: 'map', v: [...keys].map((k) => [k, randomModel(rand, depth + 1, opts)]) };
  }
  const kind = rand();
  if (kind < 0.05) return { t: 'nil' };
  if (kind < 0.1) return { t: 'bool', v: rand() < 0.5 };
  if (kind < 0.45) {
    const base = pick(INT_BOUNDARIES);
    const jitter = BigInt(Math.floor(rand() * 3) - 1);
    let v = base + jitter;
    if (v > 2n ** 64n - 1n || v < -(2n ** 63n)) v = base;
    return { t: 'int', v: rand() < 0.1 ? BigInt(Math.floor((rand() - 0.5) * 2 ** 40)) : v };
  }
  if (kind < 0.6) {
    const v = pick([0.5, -1.5e300, 5e-324, Infinity, -Infinity, Math.PI, (rand() - 0.5) * 1e6 + 0.25]);
    return { t: 'float', v };
  }
  if (kind < 0.78) {
    const length = rand() < 0.02 ? 70_000 : rand() < 0.1 ? 300 : Math.floor(rand() * 40);
    return { t: 'str', v: randomText(rand, length) };
  }
  if (opts.ext && kind < 0.82) {
    const length = pick([0, 1, 2, 3, 4, 8, 16, 17, 300, 70_000]);
    return { t: 'ext', type: Math.floor(rand() * 128), v: randomBytes(rand, length) };
  }
  const length = rand() < 0.02 ? 70_000 : rand() < 0.1 ? 300 : Math.floor(rand() * 40);
  return { t: 'bin', v: randomBytes(rand, length) };
}

function randomText(rand: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    text += rand() < 0.8 ? String.fromCharCode(32 + Math.floor(rand() * 95)) : (KEY_CHARS[Math.floor(rand() * KEY_CHARS.length)] as string);
  }
  return text;
}

function randomBytes(rand: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(rand() * 256));
}

/** The model as @msgpack/msgpack input: with `bigints`, 64-bit values are bigints (cf/d3). */
function toTheirs(m: Model, bigints: boolean): unknown {
  switch (m.t) {
    case 'nil':
      return null;
    case 'bool':
    case 'float':
    case 'str':
    case 'bin':
      return m.v;
    case 'int':
      return bigints ? m.v : Number(m.v);
    case 'ext':
      return new ExtData(m.type, m.v);
    case 'array':
      return m.v.map((item) => toTheirs(item, bigints));
    case 'map':
      // @msgpack/msgpack writes plain objects (a Map would come out as an empty map).
      return Object.fromEntries(m.v.map(([k, item]) => [k, toTheirs(item, bigints)]));
  }
}

/** The model as our encoder's input; maps become plain objects or Maps at random. */
function toOurs(m: Model, rand: () => number): EncodeValue {
  switch (m.t) {
    case 'nil':
      return rand() < 0.5 ? null : undefined;
    case 'bool':
    case 'float':
    case 'str':
    case 'bin':
      return m.v;
    case 'int':
      return Number.isSafeInteger(Number(m.v)) && rand() < 0.7 ? Number(m.v) : m.v;
    case 'ext':
      return m.v;
    case 'array':
      return m.v.map((item) => toOurs(item, rand));
    case 'map':
      if (rand() < 0.5) return new Map(m.v.map(([k, item]) => [k, toOurs(item, rand)]));
      // A null-prototype object, so that a "__proto__" key is an ordinary field.
      return Object.assign(Object.create(null) as Record<string, EncodeValue>, Object.fromEntries(m.v.map(([k, item]) => [k, toOurs(item, rand) ?? null])));
  }
}

/** Comparable form: bytes as hex, maps as key-sorted entries, safe integers as numbers. */
type Norm = null | boolean | number | string | Norm[] | { map: [string, Norm][] };

function normModel(m: Model, ints: 'exact' | 'float'): Norm {
  switch (m.t) {
    case 'nil':
      return null;
    case 'bool':
    case 'float':
      return m.v;
    case 'int':
      if (ints === 'float' && !Number.isSafeInteger(Number(m.v))) return Number(m.v);
      return Number.isSafeInteger(Number(m.v)) ? Number(m.v) : `n:${m.v}`;
    case 'str':
      return `b:${hex(utf8(m.v))}`;
    case 'bin':
    case 'ext':
      return `b:${hex(m.v)}`;
    case 'array':
      return m.v.map((item) => normModel(item, ints));
    case 'map':
      return { map: m.v.map(([k, item]): [string, Norm] => [k, normModel(item, ints)]).sort((a, b) => compareCodePoints(a[0], b[0])) };
  }
}

/** Comparable form of decoded output; a bigint stays `n:` even when small (ours must not do that). */
function normDecoded(value: unknown, smallBigintsAsNumbers = false): Norm {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return smallBigintsAsNumbers && Number.isSafeInteger(Number(value)) ? Number(value) : `n:${value}`;
  if (value instanceof Uint8Array) return `b:${hex(value)}`;
  if (Array.isArray(value)) return value.map((item) => normDecoded(item, smallBigintsAsNumbers));
  const entries = value instanceof Map ? [...(value as Map<string, unknown>)] : Object.entries(value as object);
  return { map: entries.map(([k, item]): [string, Norm] => [k, normDecoded(item, smallBigintsAsNumbers)]).sort((a, b) => compareCodePoints(a[0], b[0])) };
}

describe('msgpack decoder = @msgpack/msgpack encoder', () => {
  it('decodes 3,000 random values encoded by @msgpack/msgpack (numbers; 64-bit ints as cf/d3 or float)', () => {
    const rand = prng(11);
    for (let i = 0; i < 3000; i++) {
      const model = randomModel(rand, 0, { ext: true });
      // Without useBigInt64, @msgpack writes integers beyond ±2^53 as doubles.
      const bytesIn = theirEncode(toTheirs(model, false));
      expect(normDecoded(decodeAll(bytesIn))).toEqual(normModel(model, 'float'));
    }
  });

  it('decodes 3,000 random values with 64-bit integers as bigints (useBigInt64: every int64 as cf/d3)', () => {
    const rand = prng(12);
    for (let i = 0; i < 3000; i++) {
      const model = randomModel(rand, 0, { ext: true });
      const bytesIn = theirEncode(toTheirs(model, true), { useBigInt64: true });
      expect(normDecoded(decodeAll(bytesIn))).toEqual(normModel(model, 'exact'));
    }
  });

  it('decodes float32 (ca)', () => {
    for (const v of [0.5, -1.25, Math.fround(Math.PI), Infinity]) {
      const bytesIn = theirEncode(v, { forceFloat32: true });
      expect(bytesIn[0]).toBe(0xca);
      expect(decodeAll(bytesIn)).toBe(v);
    }
    expect(Number.isNaN(decodeAll(theirEncode(NaN, { forceFloat32: true })))).toBe(true);
  });

  it('decodes objects one after another and reports where each ends', () => {
    const parts = [{ Nodes: 2 }, 'x', [1, 2], null, 70_000];
    const joined = Buffer.concat(parts.map((p) => theirEncode(p)));
    let offset = 0;
    const seen: Norm[] = [];
    while (offset < joined.length) {
      const { value, end } = decodeValue(joined, offset);
      seen.push(normDecoded(value));
      offset = end;
    }
    expect(seen).toEqual([{ map: [['Nodes', 2]] }, `b:${hex(utf8('x'))}`, [1, 2], null, 70_000]);
  });

  it('reads a buffer that is a view into a larger ArrayBuffer', () => {
    const backing = new Uint8Array(64).fill(0xc1);
    backing.set(unhex('92 cd 1f0a cb 3ff8000000000000'), 7);
    expect(decodeAll(backing.subarray(7, 7 + 13))).toEqual([7946, 1.5]);
  });

  it('returns raw strings and bin as subarrays of the input (callers copy what they keep)', () => {
    const input = unhex('92 a3 616263 c4 02 ff00');
    const value = decodeAll(input) as Uint8Array[];
    expect(value.map(hex)).toEqual(['616263', 'ff00']);
    expect(value[0]?.buffer).toBe(input.buffer);
    input[2] = 0x7a;
    expect(hex(value[0] as Uint8Array)).toBe('7a6263');
  });

  it('decodes str8 (d9), bin and ext to bytes, and accepts bin or str8 map keys', () => {
    expect(hex(decodeAll(unhex('d9 03 616263')) as Uint8Array)).toBe('616263');
    expect(hex(decodeAll(unhex('c5 0002 0102')) as Uint8Array)).toBe('0102');
    expect(hex(decodeAll(unhex('d6 05 01020304')) as Uint8Array)).toBe('01020304');
    expect(hex(decodeAll(unhex('c7 00 05')) as Uint8Array)).toBe('');
    const keyed = decodeAll(unhex('82 c4 01 61 01 d9 01 62 02')) as MsgMap;
    expect([...keyed]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('keeps hostile keys such as __proto__ as Map keys', () => {
    const value = decodeAll(unhex(`81 ${raw('__proto__')} 81 ${raw('polluted')} c3`)) as MsgMap;
    expect(value).toBeInstanceOf(Map);
    expect(value.get('__proto__')).toBeInstanceOf(Map);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('decodes integers at every width boundary to numbers when safe, bigints otherwise', () => {
    const cases: [string, number | bigint][] = [
      ['cf 001fffffffffffff', 2 ** 53 - 1],
      ['cf 0020000000000000', 2n ** 53n],
      ['cf ffffffffffffffff', 2n ** 64n - 1n],
      ['d3 ffe0000000000001', -(2 ** 53) + 1],
      ['d3 ffe0000000000000', -(2n ** 53n)],
      ['d3 8000000000000000', -(2n ** 63n)],
      ['d3 0000000000000005', 5],
      ['d0 80', -128],
      ['d1 8000', -32768],
      ['d2 80000000', -(2 ** 31)],
      ['ce ffffffff', 2 ** 32 - 1],
      ['e0', -32],
      ['7f', 127],
    ];
    for (const [bytesIn, expected] of cases) expect(decodeAll(unhex(bytesIn))).toBe(expected);
  });
});

describe('msgpack encoder = @msgpack/msgpack decoder', () => {
  it('round-trips 3,000 random values through @msgpack/msgpack (rawStrings, useBigInt64)', () => {
    const rand = prng(21);
    for (let i = 0; i < 3000; i++) {
      const model = randomModel(rand, 0, { ext: false });
      const theirs = theirDecode(encodeValue(toOurs(model, rand)), { rawStrings: true, useBigInt64: true });
      expect(normDecoded(theirs, true)).toEqual(normModel(model, 'exact'));
    }
  });

  it('writes the same bytes as @msgpack/msgpack where the dialects agree (no strings ≥ 32 bytes, no bin)', () => {
    const rand = prng(22);
    const strip = (m: Model): Model => {
      if (m.t === 'str') return { t: 'str', v: m.v.slice(0, 5).replace(/[^ -~]/g, 'x') };
      if (m.t === 'bin' || m.t === 'ext') return { t: 'nil' };
      if (m.t === 'int' && !Number.isSafeInteger(Number(m.v))) return { t: 'int', v: 7n };
      if (m.t === 'array') return { t: 'array', v: m.v.map(strip) };
      if (m.t === 'map') return { t: 'map', v: m.v.map(([k, item]): [string, Model] => [k.slice(0, 3).replace(/[^ -~]/g, 'y') + k.length, strip(item)]) };
      return m;
    };
    for (let i = 0; i < 2000; i++) {
      const model = strip(randomModel(rand, 0, { ext: false }));
      const value = toTheirs(model, false);
      expect(hex(encodeValue(value as EncodeValue))).toBe(hex(theirEncode(value, { sortKeys: true })));
    }
  });

  it('decodes back with our decoder to the same values', () => {
    const rand = prng(23);
    for (let i = 0; i < 2000; i++) {
      const model = randomModel(rand, 0, { ext: false });
      expect(normDecoded(decodeAll(encodeValue(toOurs(model, rand))))).toEqual(normModel(model, 'exact'));
    }
  });
});

describe('msgpack encoder writes what go-msgpack 0.5.5 writes', () => {
  const longName = 'n2-with-a-rather-long-node-name-over-32';

  it('writes the captured 29-byte poll request (§3.2) from a Map in the captured key order', () => {
    const header = new Map<string, EncodeValue>([
      ['Nodes', 0],
      ['UserStateLen', 0],
      ['Join', false],
    ]);
    const message = new MsgpackWriter().writeRaw(Uint8Array.of(0x06)).write(header).bytes();
    expect(hex(message)).toBe('0683a54e6f64657300ac5573657253746174654c656e00a44a6f696ec2');
    expect(message.length).toBe(29);
    // As a struct (plain object) the keys come out sorted, the order Go's own replies use.
    expect(hex(encodeValue({ Nodes: 0, UserStateLen: 0, Join: false }))).toBe(`83${raw('Join')}c2${raw('Nodes')}00${raw('UserStateLen')}00`);
  });

  it('writes the captured ping (§2.3): sorted fields, the 39-byte name as da 00 27', () => {
    const ping = { SeqNo: 1, Node: longName, SourceAddr: Uint8Array.of(127, 0, 0, 1), SourcePort: 7946, SourceNode: 'n1' };
    const expected = `85 ${raw('Node')} da0027 ${hex(utf8(longName))} ${raw('SeqNo')} 01 ${raw('SourceAddr')} a4 7f000001 ${raw('SourceNode')} ${raw('n1')} ${raw('SourcePort')} cd 1f0a`;
    expect(hex(encodeValue(ping))).toBe(expected.replace(/ /g, ''));
    expect(raw(longName).slice(0, 6)).toBe('da0027');
  });

  it('writes the captured alive (§12) with Meta and Vsn as raw strings', () => {
    const meta = new MsgpackWriter().writeRaw(Uint8Array.of(0xff)).write({ role: 'db' }).bytes();
    const alive = { Addr: Uint8Array.of(127, 0, 0, 1), Incarnation: 1, Meta: meta, Node: longName, Port: 7947, Vsn: Uint8Array.of(1, 5, 2, 2, 5, 5) };
    const expected = `86 ${raw('Addr')} a4 7f000001 ${raw('Incarnation')} 01 ${raw('Meta')} aa ff81${raw('role')}${raw('db')} ${raw('Node')} da0027${hex(utf8(longName))} ${raw('Port')} cd1f0b ${raw('Vsn')} a6 010502020505`;
    expect(hex(encodeValue(alive))).toBe(expected.replace(/ /g, ''));
  });

  it('writes the captured Serf join intent and the compress wrapper header (§12)', () => {
    expect(hex(encodeValue({ Node: longName, LTime: 1 }))).toBe(`82${raw('LTime')}01${raw('Node')}da0027${hex(utf8(longName))}`);
    const wrapper = encodeValue({ Algo: 0, Buf: new Uint8Array(0x62) });
    expect(hex(wrapper.subarray(0, 14))).toBe(`82${raw('Algo')}00${raw('Buf')}da0062`);
  });

  it('uses only a0–bf, da and db for strings and bytes: never d9 or bin', () => {
    for (const [length, header] of [
      [0, 'a0'],
      [31, 'bf'],
      [32, 'da0020'],
      [255, 'da00ff'],
      [65_535, 'daffff'],
      [65_536, 'db00010000'],
    ] as const) {
      expect(hex(encodeValue('x'.repeat(length)).subarray(0, header.length / 2))).toBe(header);
      expect(hex(encodeValue(new Uint8Array(length)).subarray(0, header.length / 2))).toBe(header);
    }
    expect(hex(encodeValue('é'.repeat(16)).subarray(0, 3))).toBe('da0020');
    expect(hex(encodeValue(new Uint8Array(0)))).toBe('a0');
  });

  it('writes integers in the smallest form, numbers and bigints alike', () => {
    const cases: [number | bigint, string][] = [
      [0, '00'],
      [127, '7f'],
      [128, 'cc80'],
      [255, 'ccff'],
      [256, 'cd0100'],
      [65_535, 'cdffff'],
      [65_536, 'ce00010000'],
      [2 ** 32 - 1, 'ceffffffff'],
      [2 ** 32, 'cf0000000100000000'],
      [2 ** 53 - 1, 'cf001fffffffffffff'],
      [2 ** 60, 'cf1000000000000000'],
      [2n ** 64n - 1n, 'cfffffffffffffffff'],
      [5n, '05'],
      [-1, 'ff'],
      [-32, 'e0'],
      [-33, 'd0df'],
      [-128, 'd080'],
      [-129, 'd1ff7f'],
      [-32_768, 'd18000'],
      [-32_769, 'd2ffff7fff'],
      [-(2 ** 31), 'd280000000'],
      [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
      [-(2n ** 63n), 'd38000000000000000'],
      [-0, '00'],
    ];
    for (const [value, expected] of cases) expect(hex(encodeValue(value))).toBe(expected);
  });

  it('writes non-integers as float64 and rejects bigints beyond 64 bits', () => {
    expect(hex(encodeValue(1.5))).toBe('cb3ff8000000000000');
    expect(hex(encodeValue(NaN)).slice(0, 2)).toBe('cb');
    expect(hex(encodeValue(-Infinity))).toBe('cbfff0000000000000');
    expect(() => encodeValue(2n ** 64n)).toThrow(RangeError);
    expect(() => encodeValue(-(2n ** 63n) - 1n)).toThrow(RangeError);
    // An integral double beyond 64 bits is still a double: float64, as @msgpack/msgpack writes it.
    expect(hex(encodeValue(1e20))).toBe(`cb${Buffer.from(new Float64Array([1e20]).buffer).reverse().toString('hex')}`);
    expect(hex(encodeValue(-1.5e300))).toBe(hex(theirEncode(-1.5e300)));
  });

  it('omits undefined struct fields (omitempty) but writes undefined Map values and array items as nil', () => {
    expect(hex(encodeValue({ B: 1, A: undefined, C: null }))).toBe(`82${raw('B')}01${raw('C')}c0`);
    expect(hex(encodeValue(new Map([['A', undefined]])))).toBe(`81${raw('A')}c0`);
    expect(hex(encodeValue([undefined, null]))).toBe('92c0c0');
  });

  it('sorts struct keys by UTF-8 bytes, not UTF-16 code units', () => {
    const keys = ['z', 'é', 'A', '\uffff', '😀', 'a', 'Z', ''];
    const written = decodeAll(encodeValue(Object.fromEntries(keys.map((k) => [k, 1])))) as MsgMap;
    const byBytes = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect([...written.keys()]).toEqual(byBytes);
    expect(byBytes.indexOf('😀')).toBeGreaterThan(byBytes.indexOf('\uffff'));
  });

  it('writes arrays and maps with 16 or more entries with dc/de headers', () => {
    expect(hex(encodeValue(new Array(16).fill(0)).subarray(0, 3))).toBe('dc0010');
    expect(hex(encodeValue(Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 0]))).subarray(0, 3))).toBe('de0010');
    expect(hex(encodeValue(new Array(70_000).fill(0)).subarray(0, 5))).toBe('dd00011170');
  });

  it('appends values and raw bytes, and earlier views stay valid as the buffer grows', () => {
    const writer = new MsgpackWriter(16);
    writer.writeRaw(Uint8Array.of(0x06)).write({ Nodes: 1 });
    const early = writer.bytes();
    writer.write('x'.repeat(1000)).writeRaw(Uint8Array.of(1, 2, 3));
    expect(hex(early)).toBe(`0681${raw('Nodes')}01`);
    expect(writer.length).toBe(early.length + 3 + 1000 + 3);
    expect(hex(writer.bytes().subarray(0, early.length))).toBe(hex(early));
  });

  it('rejects values it cannot write: cycles, class instances, symbols', () => {
    const cyclic: Record<string, EncodeValue>[] = [];
    const node: Record<string, EncodeValue> = { next: cyclic as unknown as EncodeValue };
    cyclic.push(node);
    expect(() => encodeValue(node)).toThrow(RangeError);
    expect(() => encodeValue(new Date() as unknown as EncodeValue)).toThrow(TypeError);
    expect(() => encodeValue(Symbol('x') as unknown as EncodeValue)).toThrow(TypeError);
    expect(() => encodeValue(new Map([[1, 2]]) as unknown as EncodeValue)).toThrow(TypeError);
  });
});

describe('struct field accessors', () => {
  const longName = 'n2-with-a-rather-long-node-name-over-32';
  const alive = unhex(
    `86 ${raw('Addr')} a4 7f000001 ${raw('Incarnation')} 01 ${raw('Meta')} aa ff81${raw('role')}${raw('db')} ${raw('Node')} da0027${hex(utf8(longName))} ${raw('Port')} cd1f0b ${raw('Vsn')} a6 010502020505`,
  );

  it('reads the captured alive (§12)', () => {
    const m = decodeAll(alive) as MsgMap;
    expect(str(m, 'Node')).toBe(longName);
    expect(hex(bytes(m, 'Addr'))).toBe('7f000001');
    expect(uint(m, 'Incarnation', 32)).toBe(1);
    expect(uint(m, 'Port', 16)).toBe(7947);
    expect(hex(bytes(m, 'Meta'))).toBe(`ff81${raw('role')}${raw('db')}`);
    expect([...bytes(m, 'Vsn')]).toEqual([1, 5, 2, 2, 5, 5]);
  });

  it('gives Go zero values for missing and nil fields', () => {
    const m = decodeAll(unhex(`81 ${raw('Nil')} c0`)) as MsgMap;
    for (const key of ['Nil', 'Missing']) {
      expect(str(m, key)).toBe('');
      expect(bytes(m, key)).toEqual(new Uint8Array(0));
      expect(uint(m, key, 32)).toBe(0);
      expect(uint(m, key, 64)).toBe(0n);
      expect(int(m, key)).toBe(0);
      expect(int(m, key, 64)).toBe(0n);
      expect(bool(m, key)).toBe(false);
      expect(float(m, key)).toBe(0);
      expect(array(m, key)).toEqual([]);
      expect(map(m, key)).toEqual(new Map());
    }
  });

  it('checks integer widths and signs', () => {
    const m = new Map<string, MsgValue>([
      ['Small', 255],
      ['Big', 2n ** 64n - 1n],
      ['Neg', -1],
      ['Float', 1.5],
      ['Huge', 2n ** 60n],
    ]);
    expect(uint(m, 'Small', 8)).toBe(255);
    expect(uint(m, 'Big', 64)).toBe(2n ** 64n - 1n);
    expect(uint(m, 'Small', 64)).toBe(255n);
    expect(() => uint(m, 'Big', 32)).toThrow(/Big.*unsigned 32-bit/);
    expect(() => uint(m, 'Neg', 32)).toThrow(MsgpackError);
    expect(() => uint(m, 'Neg', 64)).toThrow(MsgpackError);
    expect(int(m, 'Neg', 8)).toBe(-1);
    expect(() => int(m, 'Small', 8)).toThrow(/Small/);
    expect(() => int(m, 'Big', 64)).toThrow(/signed 64-bit/);
    expect(() => uint(m, 'Float', 32)).toThrow(/Float.*float 1.5/);
    expect(() => int(m, 'Huge')).toThrow(/Huge/);
    expect(int(m, 'Neg')).toBe(-1);
  });

  it('accepts bool as c2/c3 or 0/1, and []byte as an array of small integers (as Go does)', () => {
    const m = decodeAll(unhex(`84 ${raw('T')} c3 ${raw('One')} 01 ${raw('Two')} 02 ${raw('Vsn')} 96 01 05 02 02 05 05`)) as MsgMap;
    expect(bool(m, 'T')).toBe(true);
    expect(bool(m, 'One')).toBe(true);
    expect(() => bool(m, 'Two')).toThrow(/Two.*bool/);
    expect([...bytes(m, 'Vsn')]).toEqual([1, 5, 2, 2, 5, 5]);
    expect(() => bytes(m, 'Two')).toThrow(/Two/);
    expect(() => bytes(new Map([['V', [256]]]), 'V')).toThrow(/V\[0\]/);
  });

  it('names the field when its type is wrong', () => {
    const m = decodeAll(unhex(`83 ${raw('Name')} 05 ${raw('List')} a1 78 ${raw('Sub')} 90`)) as MsgMap;
    expect(() => str(m, 'Name')).toThrow(new MsgpackError('field Name: expected a string, got integer 5'));
    expect(() => array(m, 'List')).toThrow(/List: expected an array, got a 1-byte string/);
    expect(() => map(m, 'Sub')).toThrow(/Sub: expected a map, got an array of 0/);
    expect(() => float(m, 'List')).toThrow(MsgpackError);
    expect(asStr(decodeAll(unhex('a2 ff61')), 'x')).toBe('\ufffda');
    expect(asUint(7, 16, 'x')).toBe(7);
  });
});

describe('msgpack decoder on hostile input', () => {
  const valid = [
    encodeValue({ Addr: Uint8Array.of(127, 0, 0, 1), Incarnation: 2n ** 40n, Meta: new Uint8Array(40), Node: 'node-with-a-long-name-for-str16', Vsn: Uint8Array.of(1, 5, 2, 2, 5, 5) }),
    encodeValue([1.5, -(2 ** 40), 'x'.repeat(300), [[], {}], null, true, 2n ** 64n - 1n]),
    theirEncode({ a: new Uint8Array(300), b: 'd9 string over 32 bytes .........', c: new ExtData(3, new Uint8Array(20)), d: Math.fround(1.5) }, { forceFloat32: true }),
  ];

  it('throws MsgpackError for every truncation of valid encodings', () => {
    for (const full of valid) {
      expect(() => decodeAll(full)).not.toThrow();
      for (let cut = 0; cut < full.length; cut++) {
        expect(() => decodeValue(full.subarray(0, cut)), `cut at ${cut} of ${full.length}`).toThrow(MsgpackError);
      }
    }
  });

  it('throws MsgpackError for trailing bytes, 0xc1, non-string keys and bad offsets', () => {
    expect(() => decodeAll(unhex('c0 c0'))).toThrow(/1 bytes left/);
    expect(() => decodeAll(unhex('c1'))).toThrow(MsgpackError);
    expect(() => decodeAll(unhex('81 01 02'))).toThrow(/map key at offset 1/);
    expect(() => decodeAll(unhex('81 c0 02'))).toThrow(MsgpackError);
    expect(() => decodeAll(unhex('81 90 02'))).toThrow(MsgpackError);
    expect(() => decodeValue(unhex('c0'), 2)).toThrow(MsgpackError);
    expect(() => decodeValue(unhex('c0'), 1)).toThrow(MsgpackError);
    expect(() => decodeValue(unhex('c0'), -1)).toThrow(MsgpackError);
    expect(() => decodeAll(new Uint8Array(0))).toThrow(MsgpackError);
  });

  it('rejects huge declared counts and lengths before allocating', () => {
    const lies = ['dd ffffffff', 'df ffffffff', 'dc ffff', 'de ffff c0', 'db ffffffff', 'c6 ffffffff', 'c9 ffffffff 01', 'dd 00000003 c0 c0', 'df 00000002 a0 c0 a0'];
    const start = performance.now();
    for (const lie of lies) expect(() => decodeAll(unhex(lie)), lie).toThrow(MsgpackError);
    expect(() => decodeAll(Buffer.concat([unhex('dd ffffffff'), new Uint8Array(1000)]))).toThrow(/declares 4294967295 elements/);
    expect(() => decodeAll(Buffer.concat([unhex('df 00001000'), new Uint8Array(8191)]))).toThrow(/declares 4096 entries/);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('rejects depth bombs (100,000 nested arrays or maps) without overflowing the stack', () => {
    expect(() => decodeAll(new Uint8Array(100_000).fill(0x91))).toThrow(/deeper than 32/);
    const maps = Buffer.concat(Array.from({ length: 50_000 }, () => unhex('81 a0')));
    expect(() => decodeAll(maps)).toThrow(MsgpackError);
  });

  it('allows exactly maxDepth levels of nesting', () => {
    const nested = (n: number) => new Uint8Array([...new Array<number>(n).fill(0x91), 0xc0]);
    expect(() => decodeAll(nested(32))).not.toThrow();
    expect(() => decodeAll(nested(33))).toThrow(MsgpackError);
    expect(() => decodeAll(nested(100), { maxDepth: 100 })).not.toThrow();
    expect(() => decodeAll(nested(3), { maxDepth: 2 })).toThrow(MsgpackError);
    expect(decodeAll(unhex('05'), { maxDepth: 0 })).toBe(5);
  });

  it('gives a value or a MsgpackError, nothing else, for 100,000 random byte strings: 79,321 values', () => {
    const rand = prng(31);
    let decoded = 0;
    for (let i = 0; i < 100_000; i++) {
      const input = randomBytes(rand, 1 + Math.floor(rand() * 48));
      try {
        const { value, end } = decodeValue(input);
        expect(value).not.toBeUndefined();
        expect(end).toBeLessThanOrEqual(input.length);
        decoded++;
      } catch (error) {
        if (!(error instanceof MsgpackError)) throw error;
      }
    }
    expect(decoded).toBe(79_321); // seeded, so exact; the other 20,679 are MsgpackErrors
  });

  it('gives a value or a MsgpackError for 20,000 mutations of valid encodings: 18,378 values, 1,622 errors', () => {
    const rand = prng(32);
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const input = Uint8Array.from(valid[i % valid.length] as Uint8Array);
      for (let flips = 1 + Math.floor(rand() * 3); flips > 0; flips--) input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
      try {
        const { value, end } = decodeValue(input);
        expect(value).not.toBeUndefined();
        expect(end).toBeLessThanOrEqual(input.length);
        decoded++;
      } catch (error) {
        if (!(error instanceof MsgpackError)) throw error;
        refused++;
      }
    }
    // Seeded, so exact: most one-to-three-byte mutations still decode, some are refused.
    expect({ decoded, refused }).toEqual({ decoded: 18_378, refused: 1622 });
  });
});
