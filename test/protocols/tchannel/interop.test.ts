// ringside's TChannel client against the real tchannel 3.10.1 (test/peers/ringpop/bare-tchannel.cjs):
// handshake, every checksum type, fragmentation both ways at the boundaries, error frames, and
// what a port that is not TChannel looks like.
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TChannelConnection, TChannelError } from '../../../src/protocols/tchannel/client.js';
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
