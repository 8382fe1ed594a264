// Errors by kind against deliberately misbehaving real servers, never inside the latencies.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startBench } from '../../src/probes/run.js';
import type { BenchConfig, ErrorKind, ProbeName } from '../../src/probes/types.js';
import { startServer, type TestServer } from './servers.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function run(target: string, probe: ProbeName, extra: Partial<BenchConfig> = {}) {
  const result = await startBench({ target, rate: 20, durationMs: 1000, probes: [probe], connections: 2, keys: ['k'], workers: 1, requestTimeoutMs: 300, ...extra }).done;
  return result.probes[probe]!;
}

/** Closes what refusingPort holds. */
const holders: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(holders.map((close) => close())));

/**
 * A port that refuses connections and that nobody else can take while the test runs: the local
 * port of an open client connection. No socket listens on it (a connection to it is refused) and
 * the client socket, bound without SO_REUSEADDR, keeps any other process from listening there.
 * (A port freed and then reused would race with every other test binding ports on this machine.)
 */
async function refusingPort(): Promise<number> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => void accepted.push(socket.on('error', () => {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
  holders.push(
    () =>
      new Promise<void>((resolve) => {
        client.destroy();
        for (const socket of accepted) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return client.localPort!;
}

describe.each(['warm', 'first-connection'] as const)('%s probe errors', (probe) => {
  const expectOnly = (p: Awaited<ReturnType<typeof run>>, kind: ErrorKind): void => {
    expect(p.count).toBe(0);
    expect(p.errors).toBe(20);
    expect(p.errorsByKind[kind]).toBe(20);
    expect(p.max).toBe(0); // nothing went into the latency histogram
  };

  it('a server that never replies gives timeouts', async () => {
    const server = await startServer(() => {});
    servers.push(server);
    expectOnly(await run(server.target, probe), 'timeout');
  });

  it('a server that resets gives resets', async () => {
    const server = await startServer((req) => req.socket.resetAndDestroy());
    servers.push(server);
    expectOnly(await run(server.target, probe), 'reset');
  });

  it('a closed port gives refused', async () => {
    expectOnly(await run(`http://127.0.0.1:${await refusingPort()}/kv/{key}`, probe), 'refused');
  });

  it('500s and 404s count as http5xx and http4xx, successes as latency', async () => {
    let n = 0;
    const server = await startServer((_req, res) => {
      n++;
      res.statusCode = n % 4 === 0 ? 500 : n % 4 === 1 ? 404 : 200;
      res.end('x');
    });
    servers.push(server);
    const p = await run(server.target, probe);
    expect(p.errorsByKind.http5xx).toBe(5);
    expect(p.errorsByKind.http4xx).toBe(5);
    expect(p.count).toBe(10);
    expect(p.errors).toBe(10);
  });
});

describe('hostile and unusual responses on warm connections', () => {
  async function rawServer(reply: (socket: net.Socket) => void): Promise<{ target: string; close: () => Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', () => reply(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
      target: `http://127.0.0.1:${port}/kv/{key}`,
      close: () => new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
    };
  }

  it('garbage and endless headers are errors of kind other, never latencies', async () => {
    const garbage = await rawServer((s) => s.write('HELLO THERE\r\n\r\n'));
    const endless = await rawServer((s) => s.write(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(100_000)}`));
    try {
      for (const server of [garbage, endless]) {
        const p = await run(server.target, 'warm');
        expect(p.count).toBe(0);
        expect(p.errorsByKind.other).toBe(20);
      }
    } finally {
      await garbage.close();
      await endless.close();
    }
  });

  it('chunked bodies, HTTP/1.0 read-until-close and 204s complete correctly', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n',
      'HTTP/1.0 200 OK\r\n\r\nuntil the connection closes',
      'HTTP/1.1 204 No Content\r\n\r\n',
    ];
    for (const answer of answers) {
      const server = await rawServer((s) => {
        const respond = (): void => {
          s.write(answer);
          if (answer.startsWith('HTTP/1.0')) s.end();
        };
        respond();
        s.on('data', respond);
      });
      try {
        const p = await run(server.target, 'warm');
        expect(p.errors).toBe(0);
        expect(p.count).toBe(20);
      } finally {
        await server.close();
      }
    }
  });
});
