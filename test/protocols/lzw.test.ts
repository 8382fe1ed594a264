// Go compress/lzw (LSB, literal width 8) as memberlist uses it: byte-exact against streams Go 1.19
// wrote, against a live bookworm serf agent's compressed push-pull reply, round trips up to
// 100,000 bytes, hand-built edge cases and hostile streams.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LzwError, lzwCompress, lzwDecompress } from '../../src/protocols/memberlist/lzw.js';
import { decodeAll, decodeValue, type MsgMap } from '../../src/protocols/msgpack/decode.js';
import { array, bool, bytes, int, map, str, uint } from '../../src/protocols/msgpack/fields.js';
import { prng } from '../support/random.js';
import { waitFor } from '../support/wait.js';

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

/** The generator the Go program below used: a 31-bit LCG, one byte per step, modulo `symbols`. */
function lcg(length: number, seed: number, symbols: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    out[i] = (s >>> 16) % symbols;
  }
  return out;
}

/**
 * Outputs of Go 1.19.8 (Debian golang-1.19, the toolchain bookworm's serf was built with):
 * `w := lzw.NewWriter(&b, lzw.LSB, 8); w.Write(data); w.Close()`, with `data` made by the same LCG
 * (`s = (s*1103515245 + 12345) & 0x7fffffff; byte((s >> 16) % symbols)`).
 */
const GO_VECTORS: { name: string; data: () => Uint8Array; length: number; sha256: string; hex?: string }[] = [
  { name: 'empty', data: () => new Uint8Array(0), length: 3, sha256: 'ca175b7b97e4180ff4b1dc13271f897a7d711d6da53ddd112d60bf4ac100e23e', hex: '000302' },
  { name: 'one byte', data: () => Uint8Array.of(0x61), length: 4, sha256: '569cf6d3bc94f1dc8ac8efcb969118c82589ec9ab3abfb7de7dedf62647887ab', hex: '00c30404' },
  {
    name: 'TOBEORNOT',
    data: () => new TextEncoder().encode('TOBEORNOTTOBEORTOBEORNOT#'),
    length: 22,
    sha256: '9da8d4e38d6a4d1d42c03d4553fd06a5d828bb285b6f7ad840b29b86d2bc974d',
    hex: '00a93c1152e48914274fa80824687061c18309470404',
  },
  { name: '100,000 zeros (KwKwK all the way)', data: () => new Uint8Array(100_000), length: 530, sha256: '7a2b74e419500a3be5ff7cda6b8829a1eb730ccfee1d9e062be7a8ef00a0f6bf' },
  { name: '5,000 random bytes', data: () => lcg(5000, 1, 256), length: 6729, sha256: '93c817d80e0189959b440d35d30d8834a9e58fcbd25a0edbb4fdfd204969e00a' },
  { name: '70,000 random bytes (many clears)', data: () => lcg(70_000, 2, 256), length: 95_819, sha256: 'af7cf6eef6f38b2923ddbe1c7ef5df3a1ea64c052734f9229d93b3d27b28b67e' },
  { name: '200,000 bytes of 4 symbols', data: () => lcg(200_000, 3, 4), length: 59_486, sha256: '14a39cbecef77cb5a231b3be9ef1e7a122c8cfe946606b019d2b7391e9b89fe7' },
  { name: '50,000 bytes of 16 symbols', data: () => lcg(50_000, 4, 16), length: 31_390, sha256: '80c0680f78485b06ab270cc211f84aa52db1ae5153cd50783ab48757332bc291' },
];

/** Go's stream for "memberlist serf gossip " × 40, decoded without trusting our compressor. */
const GO_PATTERN =
  '00db946923a68c1c3669e6d00131c7a0191067decc9993060e0881040d2254c8d0214489142d622c7830e1c286721e469c58f1e240921b4f7a5c19d265c6921c51aa04d972a446931d537e6429f2e5cf9c337916bd1933e84ea2366102d539b4a64f9c3285d2ec6914abd3aa5c994e4d0af56a53aa5b974a45aa5569d4a3599f5aed7a96ec5cb16ce5865d1b17ac5ab85fd3bef58ad6add9b16dcbd245acf72f61bb7b0117568cb7afe0c379fd0eae9bf82edfc0861767be2cda72e8caa0297f9eec593264c79c1b6f66ac19b369d5ae3b477eac1b366dd2a859b70c08';

/** Packs [code, width] pairs LSB first, for hand-built streams. */
function pack(codes: readonly (readonly [number, number])[]): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let nBits = 0;
  for (const [code, width] of codes) {
    bits |= code << nBits;
    nBits += width;
    for (; nBits >= 8; nBits -= 8, bits >>>= 8) out.push(bits & 0xff);
  }
  if (nBits > 0) out.push(bits & 0xff);
  return Uint8Array.from(out);
}

/** Widths as §2.5 gives them: bitlen(257 + codes since the last clear), at most 12. */
function withWidths(codes: readonly number[]): [number, number][] {
  let hi = 257;
  return codes.map((code) => {
    const width = Math.min(12, 32 - Math.clz32(hi));
    if (code === 256) hi = 257;
    else if (hi < 4095) hi++;
    return [code, width];
  });
}

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('lzw = Go compress/lzw (LSB, literal width 8)', () => {
  it.each(GO_VECTORS)('compresses $name to the bytes Go writes', ({ data, length, sha256: digest, hex: goHex }) => {
    const input = data();
    const compressed = lzwCompress(input);
    if (goHex !== undefined) expect(hex(compressed)).toBe(goHex);
    expect(compressed.length).toBe(length);
    expect(sha256(compressed)).toBe(digest);
    expect(same(lzwDecompress(compressed, input.length), input)).toBe(true);
  });

  it('matches Go for every length from 3,700 to 4,400 random bytes (the first clear, including a clear just before the end code)', () => {
    const data = lcg(4400, 5, 256);
    const hash = createHash('sha256');
    for (let length = 3700; length <= 4400; length++) {
      const compressed = lzwCompress(data.subarray(0, length));
      hash.update(compressed);
      expect(same(lzwDecompress(compressed, length), data.subarray(0, length))).toBe(true);
    }
    expect(hash.digest('hex')).toBe('d235aa4e65df2fc0140d20061053173753c0c4d20ec401e8b05551f2c818f5b6');
  });

  it('decodes a stream Go wrote', () => {
    const compressed = new Uint8Array(Buffer.from(GO_PATTERN, 'hex'));
    expect(text(lzwDecompress(compressed, 10_000))).toBe('memberlist serf gossip '.repeat(40));
  });

  it('starts every stream with a clear code, as the captures show (00 then an odd byte)', () => {
    for (const input of [Uint8Array.of(6), lcg(1000, 9, 3)]) {
      const compressed = lzwCompress(input);
      expect(compressed[0]).toBe(0);
      expect((compressed[1] as number) & 1).toBe(1);
    }
  });

  it('round-trips 300 inputs of 0..100,000 bytes, random and highly repetitive', () => {
    const rand = prng(41);
    const lengths = [0, 1, 2, 3, 255, 256, 4095, 4096, 100_000, ...Array.from({ length: 291 }, () => Math.floor(rand() ** 2 * 100_001))];
    lengths.forEach((length, i) => {
      const kind = i % 5;
      let input: Uint8Array;
      if (kind === 0) input = lcg(length, i, 256);
      else if (kind === 1) input = lcg(length, i, 2);
      else if (kind === 2) input = new Uint8Array(length).fill(i & 0xff);
      else if (kind === 3) input = Uint8Array.from({ length }, (_, j) => (j % 97) ^ (j >> 12));
      else input = new TextEncoder().encode('Node alive suspect dead left '.repeat(Math.ceil(length / 29))).subarray(0, length);
      const compressed = lzwCompress(input);
      expect(same(lzwDecompress(compressed, length), input), `input ${i}, ${length} bytes`).toBe(true);
      if (length > 0) expect(() => lzwDecompress(compressed, length - 1)).toThrow(LzwError);
    });
  });

  it('refills the 4096-code table many times on repetitive data', () => {
    // Two symbols: short strings, so the table fills about every 30 KB and is cleared each time.
    const input = lcg(400_000, 77, 2);
    const compressed = lzwCompress(input);
    expect(compressed.length).toBeLessThan(input.length / 4);
    expect(same(lzwDecompress(compressed, input.length), input)).toBe(true);
  });
});

describe('lzw decoder edge cases (hand-built streams)', () => {
  const a = 0x61;
  const b = 0x62;

  it('accepts a stream that does not start with a clear (older Go writers)', () => {
    expect(text(lzwDecompress(pack(withWidths([a, b, 257])), 10))).toBe('ab');
  });

  it('decodes the KwKwK case: a code equal to the next free code', () => {
    // a, then 258 (= "a" + "a", defined by this very code), then 259 (= "aa" + "a").
    expect(text(lzwDecompress(pack(withWidths([256, a, 258, 259, 257])), 10))).toBe('aaaaaa');
  });

  it('stops at the end code and ignores what follows', () => {
    expect(text(lzwDecompress(pack(withWidths([256, a, 257, b, b])), 10))).toBe('a');
    expect(lzwDecompress(pack(withWidths([257])), 10)).toEqual(new Uint8Array(0));
  });

  it('stops leniently at the end of data when the end code is missing (Go reports unexpected EOF)', () => {
    expect(text(lzwDecompress(pack(withWidths([256, a, b, 258])), 10))).toBe('abab');
    expect(lzwDecompress(new Uint8Array(0), 10)).toEqual(new Uint8Array(0));
  });

  it('rejects a defined code before any literal, also right after a clear', () => {
    expect(() => lzwDecompress(pack(withWidths([256, 258, 257])), 10)).toThrow(LzwError);
    expect(() => lzwDecompress(pack(withWidths([258])), 10)).toThrow(LzwError);
    expect(() => lzwDecompress(pack(withWidths([256, a, b, 256, 258, 257])), 10)).toThrow(/invalid LZW code 258/);
  });

  it('rejects a code beyond the next free code', () => {
    expect(() => lzwDecompress(pack(withWidths([256, a, 259, 257])), 10)).toThrow(/invalid LZW code 259.*next free code 258/);
    expect(() => lzwDecompress(pack(withWidths([256, a, b, 511])), 10)).toThrow(LzwError);
  });

  it('widens codes exactly when the next free code reaches 512, 1024 and 2048', () => {
    // 254 more literals after the first make the next free code 512; the next code is 10 bits.
    for (const literals of [255, 767, 1791]) {
      const codes = [256, ...Array.from({ length: literals }, (_, i) => i & 0xff), 258, 257];
      const widths = withWidths(codes);
      expect(widths.at(-2)?.[1]).toBe(literals === 255 ? 10 : literals === 767 ? 11 : 12);
      const out = lzwDecompress(pack(widths), 10_000);
      expect(out.length).toBe(literals + 2);
      // A stream that keeps 9 bits one code too long decodes to something else or fails.
      const early = codes.map((code, i): [number, number] => [code, i === codes.length - 2 ? (widths[i]?.[1] ?? 9) - 1 : (widths[i]?.[1] ?? 9)]);
      let differs = true;
      try {
        differs = !same(lzwDecompress(pack(early), 10_000), out);
      } catch (error) {
        expect(error).toBeInstanceOf(LzwError);
      }
      expect(differs).toBe(true);
    }
  });

  it('stops adding codes when the table is full and no clear comes (non-Go writers)', () => {
    // 3838 codes fill entries 258..4094; further codes add nothing, 4094 is still valid, 4095 never is.
    const filling = Array.from({ length: 3838 }, (_, i) => i % 3 === 0 ? a : b);
    const valid = lzwDecompress(pack(withWidths([256, ...filling, a, 4094, a, 257])), 1_000_000);
    expect(valid.length).toBeGreaterThan(3840);
    expect(() => lzwDecompress(pack(withWidths([256, ...filling, a, 4095, 257])), 1_000_000)).toThrow(/invalid LZW code 4095/);
    // With the clear Go's writer sends there, decoding restarts at 9 bits.
    expect(text(lzwDecompress(pack(withWidths([256, ...filling, 256, b, 257])), 1_000_000)).endsWith('b')).toBe(true);
  });

  it('rejects a negative or fractional maxOutput as a programming error', () => {
    expect(() => lzwDecompress(new Uint8Array(0), -1)).toThrow(RangeError);
    expect(() => lzwDecompress(new Uint8Array(0), 1.5)).toThrow(RangeError);
  });
});

describe('lzw decoder on hostile input', () => {
  const sample = lzwCompress(new TextEncoder().encode('Name Addr Port Meta Incarnation State Vsn '.repeat(50)));
  const original = lzwDecompress(sample, 1 << 20);

  it('stops at maxOutput on a decompression bomb without growing past it', () => {
    const bomb = lzwCompress(new Uint8Array(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    const start = performance.now();
    expect(() => lzwDecompress(bomb, 1_000_000)).toThrow(/exceeds 1000000 bytes/);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(lzwDecompress(bomb, 10_000_000).length).toBe(10_000_000);
    expect(() => lzwDecompress(sample, 0)).toThrow(LzwError);
  });

  it('decodes every truncation of a valid stream to a prefix of the original', () => {
    for (let cut = 0; cut < sample.length; cut++) {
      const out = lzwDecompress(sample.subarray(0, cut), 1 << 20);
      expect(same(out, original.subarray(0, out.length)), `cut at ${cut}`).toBe(true);
    }
  });

  it('gives output or LzwError, nothing else, for 20,000 random byte strings', () => {
    const rand = prng(51);
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const input = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
      try {
        expect(lzwDecompress(input, 4096).length).toBeLessThanOrEqual(4096);
      } catch (error) {
        if (!(error instanceof LzwError)) throw error;
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(10_000);
  });

  it('gives output or LzwError for 5,000 mutations of a valid stream', () => {
    const rand = prng(52);
    for (let i = 0; i < 5000; i++) {
      const input = Uint8Array.from(sample);
      for (let flips = 1 + Math.floor(rand() * 4); flips > 0; flips--) {
        const at = Math.floor(rand() * input.length);
        input[at] = (input[at] as number) ^ (1 << Math.floor(rand() * 8));
      }
      try {
        expect(lzwDecompress(input, 1 << 16).length).toBeLessThanOrEqual(1 << 16);
      } catch (error) {
        if (!(error instanceof LzwError)) throw error;
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A real serf agent's compressed push-pull reply (memberlist.md §2.5, §3.2, §3.3).

const POLL_REQUEST = Buffer.from('0683a54e6f64657300ac5573657253746174654c656e00a44a6f696ec2', 'hex');
const NODE_NAME = 'lzw-vector';

/** Two distinct free loopback ports: bind to port 0, note the port, close. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(servers.map(async (server) => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Sends the 29-byte zero-node push-pull and reads until the agent closes the connection. */
async function poll(port: number): Promise<Buffer> {
  const socket = connect(port, '127.0.0.1');
  socket.setTimeout(5000, () => socket.destroy(new Error('no reply within 5 s')));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'connect');
  socket.write(POLL_REQUEST);
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks);
}

describe('lzw against a live serf agent (bookworm serf 0.9.4 on memberlist 0.2.2)', () => {
  let agent: ChildProcess | undefined;
  let port = 0;
  let agentLog = '';
  /** Reported by the test itself, so a missing serf is a failed test, not skipped ones. */
  let missingSerf: Error | undefined;

  beforeAll(async () => {
    const probe = spawnSync('serf', ['version'], { encoding: 'utf8' });
    if (probe.error) {
      missingSerf = new Error(`this test needs Debian's serf binary on PATH (${probe.error.message}): install it with "apt-get install -y serf"`);
      return;
    }
    const [bindPort, rpcPort] = (await freePorts(2)) as [number, number];
    port = bindPort;
    agent = spawn('serf', ['agent', `-node=${NODE_NAME}`, `-bind=127.0.0.1:${bindPort}`, `-rpc-addr=127.0.0.1:${rpcPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout?.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent.stderr?.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    agent.on('exit', (code, signal) => (agentLog += `\n[serf agent exited: ${code ?? signal}]`));
  });

  afterAll(async () => {
    if (!agent || agent.exitCode !== null || agent.signalCode !== null) return;
    const exited = once(agent, 'exit');
    agent.kill('SIGTERM');
    const timer = setTimeout(() => agent?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  });

  it('decompresses the agent push-pull reply to 0x06 + {Join, Nodes: 1, UserStateLen} + its own node record', async () => {
    if (missingSerf) throw missingSerf;
    const reply = await waitFor(
      async () => {
        if (agent?.exitCode !== null) throw new Error(`serf agent is not running:\n${agentLog}`);
        const data = await poll(port);
        return data.length > 0 ? data : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: `a push-pull reply from serf on 127.0.0.1:${port}` },
    );

    // 09 + compress{Algo: 0, Buf}, Buf beginning with the clear code.
    expect(reply[0]).toBe(0x09);
    const wrapper = decodeAll(reply.subarray(1)) as MsgMap;
    expect([...wrapper.keys()]).toEqual(['Algo', 'Buf']);
    expect(uint(wrapper, 'Algo', 8)).toBe(0);
    const buf = bytes(wrapper, 'Buf');
    expect(buf[0]).toBe(0x00);
    expect((buf[1] as number) & 1).toBe(1);

    const plain = lzwDecompress(buf, 1 << 24);
    expect(plain[0]).toBe(0x06);
    const header = decodeValue(plain, 1);
    const fields = header.value as MsgMap;
    expect([...fields.keys()]).toEqual(['Join', 'Nodes', 'UserStateLen']);
    expect(int(fields, 'Nodes')).toBe(1);
    expect(bool(fields, 'Join')).toBe(false);

    const node = decodeValue(plain, header.end);
    const record = node.value as MsgMap;
    expect(str(record, 'Name')).toBe(NODE_NAME);
    expect(hex(bytes(record, 'Addr'))).toBe('7f000001');
    expect(uint(record, 'Port', 16)).toBe(port);
    expect(int(record, 'State')).toBe(0);
    expect(bytes(record, 'Vsn').length).toBe(6);

    // Then exactly UserStateLen bytes of Serf state: 0x02 + messagePushPull with the 512-slot event ring.
    const userStateLen = int(fields, 'UserStateLen');
    expect(node.end + userStateLen).toBe(plain.length);
    expect(plain[node.end]).toBe(0x02);
    const serfState = decodeAll(plain.subarray(node.end + 1)) as MsgMap;
    expect([...map(serfState, 'StatusLTimes').keys()]).toEqual([NODE_NAME]);
    expect(array(serfState, 'Events').length).toBe(512);

    // Go's own compressor wrote Buf from these bytes: ours must write the same.
    expect(hex(lzwCompress(plain))).toBe(hex(buf));
  });
});
