// Hostile input for the TChannel and ringpop decoders: 50,000 random and mutated frames and
// ringpop JSON bodies. Only the decoders' own typed errors may come out; heap growth stays
// bounded; and a hostile TCP peer (valid handshake, then garbage) fails the client cleanly.
// Every input is seeded, so the counts of each outcome are exact.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallAssembler } from '../../../src/protocols/tchannel/assembler.js';
import { TChannelConnection, TChannelError } from '../../../src/protocols/tchannel/client.js';
import { FrameSplitter, FrameType, TChannelDecodeError } from '../../../src/protocols/tchannel/frame.js';
import { decodeCallFragment, decodeError, decodeInit, encodeCallResponse, encodeError, encodeInit } from '../../../src/protocols/tchannel/messages.js';
import { parseBody, parseJoinResponse, parseStats, RingpopDecodeError } from '../../../src/protocols/ringpop/messages.js';
import { RingpopTable } from '../../../src/protocols/ringpop/membership.js';
import { prng } from '../../support/random.js';

/** A seeded integer source: `int(n)` is in [0, n). Each test has its own, so each is reproducible alone. */
function ints(seed: number): (n: number) => number {
  const rand = prng(seed);
  return (n) => Math.floor(rand() * n);
}
let int = ints(4242);

const SEEDS: Buffer[] = [
  encodeInit(FrameType.initRes, 1, { host_port: '127.0.0.1:3000', process_name: 'node[1]' }),
  encodeError(7, 6, 'no such endpoint'),
  ...encodeCallResponse({ id: 2, code: 0, headers: { as: 'raw' }, checksumType: 3, args: [Buffer.alloc(0), Buffer.alloc(0), Buffer.from('{"dest":"127.0.0.1:30000"}')] }),
  ...encodeCallResponse({ id: 3, code: 0, headers: { as: 'raw' }, checksumType: 1, args: [Buffer.alloc(0), Buffer.from('x'), Buffer.alloc(70_000, 0x41)] }),
];

function mutate(base: Buffer): Buffer {
  const b = Buffer.from(base);
  switch (int(5)) {
    case 0:
      for (let i = 0; i < 1 + int(4); i++) b[int(b.length)] = int(256);
      return b;
    case 1:
      return b.subarray(0, int(b.length));
    case 2:
      return Buffer.concat([b, Buffer.from(Array.from({ length: int(64) }, () => int(256)))]);
    case 3:
      b.writeUInt16BE(int(0x10000), 0); // lying size
      return b;
    default:
      return Buffer.from(Array.from({ length: int(300) }, () => int(256)));
  }
}

const STATS = { membership: { checksum: 1, members: [{ address: '127.0.0.1:1', status: 'alive', incarnationNumber: 1, dampScore: 0 }] }, ring: { checksum: 2, servers: ['127.0.0.1:1'] }, version: '10.21.0', process: { pid: 1 } };
const JOIN = { app: 'a', coordinator: 'x:1', membershipChecksum: 3, membership: [{ address: 'x:1', status: 'faulty', tombstone: true, incarnationNumber: 1 }] };

function hostileJson(): string {
  const text = JSON.stringify(int(2) ? STATS : JOIN);
  const chars = [...text];
  const kind = int(4);
  if (kind === 0) for (let i = 0; i < 1 + int(3); i++) chars[int(chars.length)] = String.fromCharCode(int(128));
  if (kind === 1) return text.slice(0, int(text.length));
  if (kind === 2) return text.replace(/"(alive|faulty|127\.0\.0\.1:1|1)"/g, () => JSON.stringify([null, -1, 1e309, 'zombie', {}, [], 'x'.repeat(int(400))][int(7)]));
  if (kind === 3) return text.replace(/\d+/g, () => String([-1, 1.5, 2 ** 53 + 2, 0][int(4)]));
  return chars.join('');
}

describe('fuzz: decoders', () => {
  it('50,000 hostile frames and JSON bodies: only typed errors, bounded heap', () => {
    int = ints(4242);
    const before = process.memoryUsage().heapUsed;
    const outcomes = { frames: 0, calls: 0, frameErrors: 0, json: 0, jsonErrors: 0 };
    const assembler = new CallAssembler({ maxMessageBytes: 1 << 20, maxPending: 16 });
    for (let i = 0; i < 25_000; i++) {
      const input = mutate(SEEDS[int(SEEDS.length)] as Buffer);
      try {
        for (const frame of new FrameSplitter().push(input)) {
          outcomes.frames++;
          if (frame.type === FrameType.initRes || frame.type === FrameType.initReq) decodeInit(frame.payload);
          else if (frame.type === FrameType.error) decodeError(frame.payload);
          else if ([0x03, 0x04, 0x13, 0x14].includes(frame.type) && assembler.add(decodeCallFragment(frame))) outcomes.calls++;
        }
      } catch (error) {
        if (!(error instanceof TChannelDecodeError)) throw error;
        outcomes.frameErrors++;
      }
    }
    for (let i = 0; i < 25_000; i++) {
      try {
        const body = parseBody(Buffer.from(hostileJson()), 'fuzz');
        const table = new RingpopTable();
        table.apply(i % 2 ? parseStats(body).members : parseJoinResponse(body).members);
        table.members();
        outcomes.json++;
      } catch (error) {
        if (!(error instanceof RingpopDecodeError)) throw error;
        outcomes.jsonErrors++;
      }
    }
    const grownMb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // Seeded (4242), so exact: both paths were exercised, some inputs decoded, many refused.
    expect(outcomes).toEqual({ frames: 10_866, calls: 1313, frameErrors: 5535, json: 696, jsonErrors: 24_304 });
    expect(assembler.inProgress).toBeLessThanOrEqual(16);
    expect(grownMb).toBeLessThan(128);
    console.log(`fuzz outcomes ${JSON.stringify(outcomes)}, heap +${grownMb.toFixed(1)} MB`);
  });
});

describe('fuzz: a hostile TChannel peer', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    int = ints(4243);
    // The 100 garbage replies, drawn in advance: the same ones whatever order the connections come in.
    const garbage = Array.from({ length: 100 }, (_, n) => mutate(SEEDS[n % SEEDS.length] as Buffer));
    let n = 0;
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined); // the client hangs up on garbage
      const reply = garbage[n++ % garbage.length] as Buffer;
      socket.once('data', () => {
        socket.write(encodeInit(FrameType.initRes, 1, { host_port: '0.0.0.0:0', process_name: 'hostile' }));
        socket.on('data', () => socket.write(reply));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    server?.close();
  });

  // Of the 100 seeded garbage replies (seed 4243), 50 are incomplete frames, 12 init responses and
  // 8 error frames for other message ids: the client ignores those and the call times out. The
  // other 30 are call responses to message ids never sent: a protocol error that drops the
  // connection. No garbage answers the call (message id 1). The deadline is long so that a loaded
  // machine cannot turn a protocol error into a timeout.
  it('100 calls to a peer that answers with seeded garbage: 70 time out, 30 end in a protocol error, none is answered', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const connection = await TChannelConnection.connect({ host: '127.0.0.1', port, timeoutMs: 10_000 });
        try {
          return await connection.call({ service: 'ringpop', endpoint: '/admin/stats', timeoutMs: 5000 }).then(
            () => 'answered',
            (error: unknown) => (error instanceof TChannelError ? `${error.kind}: ${error.message.replace(/\d+/g, 'N')}` : `untyped ${String(error)}`),
          );
        } finally {
          connection.close();
        }
      }),
    );
    const kinds: Record<string, number> = {};
    for (const o of outcomes) kinds[o] = (kinds[o] ?? 0) + 1;
    console.log(`hostile peer outcomes ${JSON.stringify(kinds)}`);
    expect(kinds).toEqual({
      'timeout: no answer to /admin/stats within N ms': 70,
      'protocol: undecodable TChannel data (response to message N, which was never sent)': 30,
    });
  });
});
