// ringside's TChannel client against the real tchannel 3.10.1 (test/peers/ringpop/bare-tchannel.cjs):
// handshake, every checksum type, fragmentation both ways at the boundaries, error frames, and
// what a port that is not TChannel looks like.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TChannelConnection, TChannelError } from '../../../src/protocols/tchannel/client.js';
import { encodeFrame, FrameSplitter, FrameType } from '../../../src/protocols/tchannel/frame.js';
import { decodeError, encodeCallRequest, encodeCallResponse, encodeInit } from '../../../src/protocols/tchannel/messages.js';
import { waitFor } from '../../support/wait.js';
import { startBareTChannel } from '../../peers/ringpop-cluster.js';

let peer: Awaited<ReturnType<typeof startBareTChannel>>;
let connection: TChannelConnection;

beforeAll(async () => {
  peer = await startBareTChannel();
  connection = await TChannelConnection.connect({ host: '127.0.0.1', port: peer.port, timeoutMs: 5000 });
});
afterAll(async () => {
  connection?.close();
  await peer?.stop();
});

const bytes = (n: number, salt: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + salt) & 0xff));

describe('TChannel client vs tchannel 3.10.1', () => {
  it('completes the init handshake and reads the peer identity', () => {
    expect(connection.peer).toMatchObject({ host_port: peer.address, tchannel_language: 'node', tchannel_version: '3.10.1' });
  });

  it.each([
    [0, 0, 0],
    [0, 10, 100],
    [1, 65442 - 4 + 5, 10], // arg2 ends at the first frame's boundary with cn=ringside, re=n
    [3, 2, 65438 - 4 + 5],
    [3, 70_000, 150_022],
    [2, 7, 80_000],
    [1, 0, 200_000],
  ] as const)('echo with checksum type %i, arg2 %i bytes, arg3 %i bytes', async (checksumType, n2, n3) => {
    const arg2 = bytes(n2, 1);
    const arg3 = bytes(n3, 2);
    const result = await connection.call({ service: 'ringpop', endpoint: '/echo', arg2, arg3, timeoutMs: 10_000, checksumType });
    expect(result.code).toBe(0);
    expect(result.arg2.equals(arg2)).toBe(true);
    expect(result.arg3.equals(arg3)).toBe(true);
  });

  it('a missing endpoint is a bad-request error frame, and the connection stays usable', async () => {
    const error = await connection.call({ service: 'ringpop', endpoint: '/admin/stats', timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TChannelError);
    expect(error).toMatchObject({ kind: 'remote', code: 6 });
    expect((error as Error).message).toMatch(/no such endpoint/);
    expect((await connection.call({ service: 'ringpop', endpoint: '/health', timeoutMs: 5000 })).arg3.toString()).toBe('ok');
  });

  it('concurrent calls are matched to their replies by id', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => bytes(1000 * i + 1, i));
    const replies = await Promise.all(bodies.map((b) => connection.call({ service: 'ringpop', endpoint: '/echo', arg3: b, timeoutMs: 10_000 })));
    expect(replies.map((r, i) => r.arg3.equals(bodies[i] as Buffer))).toEqual(bodies.map(() => true));
  });
});

describe('ports that are not TChannel', () => {
  let http: Server;
  let silent: TcpServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    http = createServer((_req, res) => res.end('hello'));
    silent = createTcpServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    http?.close();
    for (const socket of sockets) socket.destroy();
    silent?.close();
  });

  it('an HTTP server is named as not TChannel', async () => {
    const port = (http.address() as { port: number }).port;
    await expect(TChannelConnection.connect({ host: '127.0.0.1', port, timeoutMs: 5000 })).rejects.toMatchObject({ kind: 'not-tchannel' });
  });

  it('a port that never answers times out', async () => {
    const port = (silent.address() as { port: number }).port;
    await expect(TChannelConnection.connect({ host: '127.0.0.1', port, timeoutMs: 300 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('calls a peer makes back to the observer', () => {
  // A raw peer that, like a ringpop node doing a reverse full sync, sends its own /protocol/join
  // over our connection with the same message id as our pending call (ids are per direction).
  let server: TcpServer;
  const seen: { type: number; id: number; code?: number }[] = [];
  const peerSockets: Socket[] = [];
  beforeAll(async () => {
    server = createTcpServer((socket) => {
      peerSockets.push(socket);
      socket.on('error', () => undefined);
      const splitter = new FrameSplitter();
      socket.on('data', (chunk: Buffer) => {
        for (const frame of splitter.push(chunk)) {
          if (frame.type === FrameType.initReq) {
            socket.write(encodeInit(FrameType.initRes, frame.id, { host_port: '127.0.0.1:1', process_name: 'raw-peer' }));
            for (const f of encodeCallRequest({ id: 1, service: 'ringpop', ttlMs: 30_000, headers: { as: 'raw', cn: 'ringpop' }, checksumType: 3, args: [Buffer.from('/protocol/join'), Buffer.from('null'), Buffer.from('{"app":"demo","source":"127.0.0.1:1","incarnationNumber":1}')] })) socket.write(f);
            socket.write(encodeFrame(FrameType.pingReq, 77, new Uint8Array(0)));
          } else if (frame.type === FrameType.error) {
            seen.push({ type: frame.type, id: frame.id, code: decodeError(frame.payload).code });
          } else if (frame.type === FrameType.pingRes) {
            seen.push({ type: frame.type, id: frame.id });
          } else if (frame.type === FrameType.callReq) {
            for (const f of encodeCallResponse({ id: frame.id, code: 0, headers: { as: 'raw' }, checksumType: 3, args: [Buffer.alloc(0), Buffer.alloc(0), Buffer.from('mine')] })) socket.write(f);
          }
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => {
    for (const s of peerSockets) s.destroy();
    server?.close();
  });

  it('are declined with an error frame, pings answered, and our own call with the same id still gets its reply', async () => {
    const port = (server.address() as { port: number }).port;
    const connection = await TChannelConnection.connect({ host: '127.0.0.1', port, timeoutMs: 5000 });
    try {
      const reply = await connection.call({ service: 'ringpop', endpoint: '/admin/stats', timeoutMs: 5000 });
      expect(reply.arg3.toString()).toBe('mine');
      const got = await waitFor(() => (seen.length >= 2 ? seen : undefined), { what: 'the decline and the ping response' });
      expect(got).toContainEqual({ type: FrameType.error, id: 1, code: 0x04 });
      expect(got).toContainEqual({ type: FrameType.pingRes, id: 77 });
      expect(connection.declinedCalls).toBe(1);
    } finally {
      connection.close();
    }
  });
});
