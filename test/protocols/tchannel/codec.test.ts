// TChannel v2 codec vectors: the call frames captured live from ringpop-node 10.21.0 /
// tchannel 3.10.1 (docs/ringpop.md 1.5, 1.6), CRC check values, and fragmentation round trips
// at every boundary the spec names.
import { describe, expect, it } from 'vitest';
import { CallAssembler } from '../../../src/protocols/tchannel/assembler.js';
import { argsChecksum, crc32, crc32c } from '../../../src/protocols/tchannel/checksum.js';
import { decodeFrame, FrameSplitter, FrameType, MAX_FRAME_SIZE, TChannelDecodeError } from '../../../src/protocols/tchannel/frame.js';
import { decodeCallFragment, decodeError, decodeInit, encodeCallRequest, encodeCallResponse, encodeError, encodeInit } from '../../../src/protocols/tchannel/messages.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ringpop.md 1.5: a CRC32C call to /admin/lookup with body {"key":"hello"}, as sent to and accepted by a live node.
const LOOKUP_REQUEST = hex(`0074 03 00 00000002 0000000000000000 00 000007d0 ${'00'.repeat(25)}
  07 72696e67706f70 02 02 6173 03 726177 02 636e 0b 72702d6f62736572766572 03 b1c061f8
  000d 2f61646d696e2f6c6f6f6b7570 0000 000f 7b226b6579223a2268656c6c6f227d`);
// ringpop.md 1.6: the node's reply.
const LOOKUP_RESPONSE = hex(`0058 04 00 00000002 0000000000000000 00 00 ${'00'.repeat(25)} 01 02 6173 03 726177 03 70719002 0000 0000 001a`) ;
const LOOKUP_BODY = Buffer.from('{"dest":"127.0.0.1:30000"}');

describe('checksums', () => {
  it('CRC-32C and CRC-32 check values, and chaining equals one pass', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32c(Buffer.from('56789'), crc32c(Buffer.from('1234')))).toBe(0xe3069283);
    expect(argsChecksum(3, [Buffer.from('1234'), Buffer.from('56789')])).toBe(0xe3069283);
    expect(argsChecksum(1, [Buffer.from('12345'), Buffer.from('6789')])).toBe(0xcbf43926);
    // Regression: Node 20's zlib.crc32 answers 0 for an empty Buffer instead of continuing the seed.
    expect(crc32(Buffer.from([]), 12345)).toBe(12345);
    expect(argsChecksum(1, [Buffer.from('12345'), Buffer.from([]), Buffer.from('6789')])).toBe(0xcbf43926);
  });
});

describe('call frames', () => {
  it('encodes the live-captured /admin/lookup request byte for byte', () => {
    const [frame, ...rest] = encodeCallRequest({ id: 2, service: 'ringpop', ttlMs: 2000, headers: { as: 'raw', cn: 'rp-observer' }, checksumType: 3, args: [Buffer.from('/admin/lookup'), Buffer.alloc(0), Buffer.from('{"key":"hello"}')] });
    expect(rest).toEqual([]);
    expect(frame?.toString('hex')).toBe(LOOKUP_REQUEST.toString('hex'));
  });

  it('decodes the live node reply and verifies its CRC-32C', () => {
    const bytes = Buffer.concat([LOOKUP_RESPONSE, LOOKUP_BODY]);
    const fragment = decodeCallFragment(decodeFrame(bytes));
    expect(fragment).toMatchObject({ kind: 'res', first: true, id: 2, more: false, code: 0, headers: { as: 'raw' }, checksumType: 3, checksum: 0x70719002 });
    const call = new CallAssembler().add(fragment);
    expect(call?.args.map((a) => a.toString())).toEqual(['', '', LOOKUP_BODY.toString()]);
    // A flipped body byte fails the checksum.
    const bad = Buffer.from(bytes);
    bad[bad.length - 3] = (bad[bad.length - 3] as number) ^ 1;
    expect(() => new CallAssembler().add(decodeCallFragment(decodeFrame(bad)))).toThrow(/invalid checksum/);
  });

  it.each([
    ['small', 10, 20, 30],
    ['arg3 fills the first frame exactly', 5, 2, 65438],
    ['arg2 ends exactly at the first frame boundary', 5, 65442, 10],
    ['arg2 one byte short of the boundary', 5, 65441, 10],
    ['150 KB arg3 (three frames)', 13, 0, 150_022],
    ['every arg over one frame', 70_000, 70_000, 70_000],
  ])('fragmentation round trip: %s', (_name, n1, n2, n3) => {
    const args = [n1, n2, n3].map((n, i) => Buffer.from(Array.from({ length: n }, (_, j) => (j * 7 + i) & 0xff))) as [Buffer, Buffer, Buffer];
    for (const checksumType of [0, 1, 3] as const) {
      const frames = encodeCallRequest({ id: 9, service: 'ringpop', ttlMs: 1000, headers: { as: 'raw', cn: 'ringside', re: 'n' }, checksumType, args });
      expect(frames.every((f) => f.length <= MAX_FRAME_SIZE)).toBe(true);
      expect(frames.slice(1).every((f) => f[2] === FrameType.callReqContinue)).toBe(true);
      const assembler = new CallAssembler();
      const splitter = new FrameSplitter();
      const all = Buffer.concat(frames);
      let call;
      // Fed in odd-sized pieces, as TCP delivers them.
      for (let at = 0; at < all.length; at += 4093) for (const f of splitter.push(all.subarray(at, at + 4093))) call = assembler.add(decodeCallFragment(f)) ?? call;
      expect(call?.args.map((a) => a.equals(args[call.args.indexOf(a)] as Buffer))).toEqual([true, true, true]);
      expect(call).toMatchObject({ kind: 'req', id: 9, service: 'ringpop', ttlMs: 1000, headers: { as: 'raw', cn: 'ringside', re: 'n' } });
      expect(assembler.inProgress).toBe(0);
    }
    const res = encodeCallResponse({ id: 4, code: 1, headers: { as: 'raw' }, checksumType: 3, args });
    let call;
    const assembler = new CallAssembler();
    for (const f of res) call = assembler.add(decodeCallFragment(decodeFrame(f))) ?? call;
    expect(call?.code).toBe(1);
    expect(Buffer.concat(call?.args ?? []).equals(Buffer.concat(args))).toBe(true);
  });

  it('an arg ending at a frame boundary is closed by an empty chunk in the next frame', () => {
    const frames = encodeCallRequest({ id: 1, service: 'ringpop', ttlMs: 1000, headers: { as: 'raw', cn: 'ringside', re: 'n' }, checksumType: 0, args: [Buffer.from('/echo'), Buffer.alloc(65442 + 4), Buffer.from('x')] });
    expect(frames).toHaveLength(2);
    const second = decodeCallFragment(decodeFrame(frames[1] as Buffer));
    expect(second.chunks.map((c) => c.length)).toEqual([0, 1]);
  });

  it('refuses continuation frames for unknown messages and more than three args', () => {
    const [first, second] = encodeCallRequest({ id: 3, service: 's', ttlMs: 1, headers: {}, checksumType: 0, args: [Buffer.alloc(70_000), Buffer.alloc(0), Buffer.alloc(0)] });
    expect(() => new CallAssembler().add(decodeCallFragment(decodeFrame(second as Buffer)))).toThrow(TChannelDecodeError);
    const a = new CallAssembler();
    a.add(decodeCallFragment(decodeFrame(first as Buffer)));
    expect(() => a.add(decodeCallFragment(decodeFrame(first as Buffer)))).toThrow(/started twice/);
  });
});

describe('init, error and splitter', () => {
  it('init round trip keeps header order and values', () => {
    const frame = encodeInit(FrameType.initReq, 1, { host_port: '0.0.0.0:0', process_name: 'ringside[1]' });
    expect(frame.readUInt16BE(0)).toBe(frame.length);
    expect(decodeInit(decodeFrame(frame).payload)).toEqual({ version: 2, headers: { host_port: '0.0.0.0:0', process_name: 'ringside[1]' } });
  });

  it('error frames: the live "missing init header" error decodes', () => {
    const frame = encodeError(0xffffffff, 0xff, 'tchannel read failure: missing init frame header process_name');
    const decoded = decodeFrame(frame);
    expect(decoded).toMatchObject({ type: 0xff, id: 0xffffffff });
    expect(decodeError(decoded.payload)).toEqual({ code: 0xff, message: 'tchannel read failure: missing init frame header process_name' });
  });

  it('rejects a frame size below the header, and never buffers more than one frame', () => {
    expect(() => new FrameSplitter().push(hex('000f01'))).toThrow(/smaller than the 16-byte header/);
    const splitter = new FrameSplitter();
    splitter.push(Buffer.from([0xff, 0xff, 0x03]));
    expect(splitter.buffered).toBe(3);
  });
});
