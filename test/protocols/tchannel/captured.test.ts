// Reference bytes from the real tchannel 3.10.1 client (test/peers/ringpop/capture-frames.cjs):
// its init request and a 150 KB call request it fragments into three frames, for each checksum type
// its client sends. ringside's decoder must read them exactly, verify their checksums, and re-encode a
// byte-identical first frame from the decoded fields (same tracing aside, which tchannel
// randomises and ringside zeroes).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CallAssembler } from '../../../src/protocols/tchannel/assembler.js';
import { decodeFrame, FrameType } from '../../../src/protocols/tchannel/frame.js';
import { decodeCallFragment, decodeInit, encodeCallRequest } from '../../../src/protocols/tchannel/messages.js';

const script = fileURLToPath(new URL('../../peers/ringpop/capture-frames.cjs', import.meta.url));

function capture(checksum: string, arg3Bytes: number): { frames: Buffer[]; checksumType: number } {
  const out = JSON.parse(execFileSync(process.execPath, [script, '--checksum', checksum, '--arg3-bytes', String(arg3Bytes)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as { frames: string[]; checksumType: number };
  return { frames: out.frames.map((f) => Buffer.from(f, 'hex')), checksumType: out.checksumType };
}

const body = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 13) & 0xff));

describe('frames captured from tchannel 3.10.1', () => {
  // tchannel's client treats checksumType 0 as "use the default" (CRC32C), so type 0 is covered by
  // the echo tests in interop.test.ts instead.
  it.each(['crc32c', 'crc32', 'farmhash'])('%s: init and a fragmented call request decode and verify', (checksum) => {
    const { frames, checksumType } = capture(checksum, 150_000);
    const [init, ...call] = frames.map(decodeFrame);
    expect(init?.type).toBe(FrameType.initReq);
    expect(decodeInit(init!.payload)).toMatchObject({ version: 2, headers: { host_port: '0.0.0.0:0', tchannel_language: 'node', tchannel_version: '3.10.1' } });
    expect(call.map((f) => f.type)).toEqual([FrameType.callReq, FrameType.callReqContinue, FrameType.callReqContinue]);
    const assembler = new CallAssembler();
    let assembled;
    for (const frame of call) assembled = assembler.add(decodeCallFragment(frame)) ?? assembled;
    expect(assembled).toMatchObject({ kind: 'req', service: 'ringpop', checksumType, headers: { as: 'raw', cn: 'capture', re: 'c' } });
    expect(assembled?.args[0].toString()).toBe('/admin/stats');
    expect(assembled?.args[1].toString()).toBe('null');
    expect(assembled?.args[2].equals(body(150_000))).toBe(true);
  });

  it('a small request re-encodes byte for byte (tracing aside)', () => {
    const { frames } = capture('crc32c', 40);
    const original = frames[1] as Buffer;
    const head = decodeCallFragment(decodeFrame(original));
    const call = new CallAssembler().add(head);
    const [ours] = encodeCallRequest({ id: decodeFrame(original).id, service: head.service as string, ttlMs: head.ttlMs as number, headers: head.headers ?? {}, checksumType: 3, args: call!.args });
    const tracing = { start: 16 + 1 + 4, end: 16 + 1 + 4 + 25 };
    const strip = (b: Buffer): string => Buffer.concat([b.subarray(0, tracing.start), b.subarray(tracing.end)]).toString('hex');
    expect(strip(ours as Buffer)).toBe(strip(original));
  });
});
