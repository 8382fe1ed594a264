/**
 * Loopback ports for the sandbox agents. A serf agent needs a gossip port (TCP and UDP on the same
 * number) and an RPC port (TCP). Free ports come from the kernel (bind port 0) and are held until
 * every one is picked, so no two agents get the same port; there is still a short window between
 * releasing them and serf binding them, which `up` reports as an agent that failed to start.
 */
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { usageError } from '../errors.js';

export const HOST = '127.0.0.1';

export interface AgentPorts {
  gossip: number;
  rpc: number;
  /** The demo service's HTTP port, when asked for (`up --service`). */
  http?: number;
}

function listenTcp(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ host: HOST, port, exclusive: true }, () => resolve(server));
  });
}

/** True if UDP `port` on loopback can be bound right now. */
function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: HOST, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

function closeAll(servers: readonly Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => undefined);
}

/** A TCP server on a kernel-chosen port whose UDP twin is free too (for gossip). */
async function holdFreePort(udp: boolean): Promise<Server> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const server = await listenTcp(0);
    if (server === null) continue;
    const port = (server.address() as { port: number }).port;
    if (!udp || (await udpFree(port))) return server;
    await closeAll([server]);
  }
  throw usageError('found no free loopback port', 'pass --base-port PORT');
}

/**
 * Ports for `count` agents. With `basePort`, agent i (0-based) gets gossip `basePort + 2i` and RPC
 * `basePort + 2i + 1` (and, with `http`, the service port `basePort + 2*count + i`), and every
 * one must be free; without it the kernel picks.
 */
export async function pickPorts(count: number, basePort?: number, http = false): Promise<AgentPorts[]> {
  const held: Server[] = [];
  try {
    const ports: AgentPorts[] = [];
    for (let i = 0; i < count; i++) {
      if (basePort === undefined) {
        const gossip = await holdFreePort(true);
        held.push(gossip);
        const rpc = await holdFreePort(false);
        held.push(rpc);
        const service = http ? await holdFreePort(false) : undefined;
        if (service !== undefined) held.push(service);
        ports.push({ gossip: (gossip.address() as { port: number }).port, rpc: (rpc.address() as { port: number }).port, ...(service ? { http: (service.address() as { port: number }).port } : {}) });
        continue;
      }
      const gossip = basePort + 2 * i;
      const rpc = gossip + 1;
      const service = http ? basePort + 2 * count + i : undefined;
      const wanted: [number, boolean][] = [[gossip, true], [rpc, false], ...(service !== undefined ? [[service, false] as [number, boolean]] : [])];
      for (const [port, udp] of wanted) {
        const server = await listenTcp(port);
        if (server !== null) held.push(server);
        if (server === null || (udp && !(await udpFree(port)))) {
          throw usageError(`port ${port} on ${HOST} is in use`, `the sandbox needs ports ${basePort}-${basePort + (http ? 3 : 2) * count - 1}; pick another --base-port or omit it`);
        }
      }
      ports.push({ gossip, rpc, ...(service !== undefined ? { http: service } : {}) });
    }
    return ports;
  } finally {
    await closeAll(held);
  }
}
