/**
 * Real node:http servers for the probe tests, each counting what it saw: TCP connections,
 * requests per connection, keys. Misbehaving ones (never reply, reset, 500) are built from the
 * same helper with a different handler.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface TestServer {
  port: number;
  /** `http://HOST:PORT/kv/{key}` */
  target: string;
  connections: number;
  requests: number;
  /** Requests seen on each connection, in connection order. */
  requestsPerConnection: number[];
  keys: string[];
  server: http.Server;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, key: string) => void;

export function keyOf(url: string | undefined): string {
  return decodeURIComponent((url ?? '').split('/').pop() ?? '');
}

export async function startServer(handler: Handler, host = '127.0.0.1'): Promise<TestServer> {
  const server = http.createServer({ keepAliveTimeout: 30_000 });
  const sockets = new Map<Socket, number>();
  const state: TestServer = {
    port: 0,
    target: '',
    connections: 0,
    requests: 0,
    requestsPerConnection: [],
    keys: [],
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, state.connections);
    state.requestsPerConnection.push(0);
    state.connections++;
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    state.requests++;
    const index = sockets.get(req.socket);
    if (index !== undefined) state.requestsPerConnection[index] = (state.requestsPerConnection[index] ?? 0) + 1;
    const key = keyOf(req.url);
    state.keys.push(key);
    handler(req, res, key);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.port = (server.address() as AddressInfo).port;
  state.target = `http://${host}:${state.port}/kv/{key}`;
  return state;
}

/** Answers after `delayMs(key)` milliseconds; records how long it really held each request (µs). */
export async function startDelayServer(delayMs: (key: string) => number): Promise<TestServer & { heldUs: number[] }> {
  const heldUs: number[] = [];
  const server = await startServer((_req, res, key) => {
    const start = process.hrtime.bigint();
    setTimeout(() => {
      heldUs.push(Number(process.hrtime.bigint() - start) / 1000);
      res.end('ok');
    }, delayMs(key));
  });
  return Object.assign(server, { heldUs });
}
