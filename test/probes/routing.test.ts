// The routing probe through the CLI: three per-node HTTP servers that own keys by the same
// ringpop ring and forward other keys to their owner (5 ms added), standing in for the demo
// service. Direct requests must never be forwarded, routed ones always, and routed > direct.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRing } from '../../src/ring/create-ring.js';
import type { BenchResult } from '../../src/probes/types.js';
import { runJson, tempFiles } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

const FORWARD_DELAY_MS = 5;
const nodes = [0, 1, 2].map((i) => ({ name: `n${i}`, addr: `127.0.0.1:${17001 + i}` }));
// ringpop places nodes by address and names them by member name (src/cluster/ring-members.ts)
const ring = createRing({ algorithm: 'ringpop', nodes: nodes.map((n) => ({ id: n.name, key: n.addr })) });

describe('routing probe', () => {
  const servers: TestServer[] = [];
  const counters = nodes.map(() => ({ forwarded: 0, local: 0 }));
  const files = tempFiles({});
  let result: BenchResult;

  beforeAll(async () => {
    const agent = new http.Agent({ keepAlive: true });
    for (const [i, node] of nodes.entries()) {
      const counter = counters[i]!;
      const server = await startServer((_req, res, key) => {
        const owner = ring.owner(key);
        if (owner === node.name) {
          counter.local++;
          res.end(`${key}@${node.name}`);
          return;
        }
        counter.forwarded++;
        const ownerPort = servers[nodes.findIndex((n) => n.name === owner)]!.port;
        setTimeout(() => {
          http.get({ host: '127.0.0.1', port: ownerPort, path: `/kv/${encodeURIComponent(key)}`, agent }, (up) => up.pipe(res));
        }, FORWARD_DELAY_MS);
      });
      servers.push(server);
    }
    const members = files.path('members.txt');
    writeFileSync(members, nodes.map((n, i) => `${n.addr} ${n.name} http=${servers[i]!.port}`).join('\n'));
    result = await runJson<BenchResult>(['bench', '--target', 'http://{host}:{port}/kv/{key}', '--probe', 'routing', '--port-tag', 'http', '--members', members, '--rate', '100', '--duration', '2s', '--keys', '40', '--connections', '1', '--workers', '1']);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    files.cleanup();
  });

  it('sends every key once to its owner and once to a non-owner', () => {
    const direct = result.probes['routing-direct']!;
    const routed = result.probes['routing-routed']!;
    expect(direct.errors + routed.errors).toBe(0);
    expect(direct.count).toBe(100);
    expect(routed.count).toBe(100);
    const forwarded = counters.reduce((sum, c) => sum + c.forwarded, 0);
    const local = counters.reduce((sum, c) => sum + c.local, 0);
    // every routed request was forwarded exactly once, and every request ended at the owner
    expect(forwarded).toBe(100);
    expect(local).toBe(200);
  });

  it('reports routed latency above direct, by at least the forwarding delay', () => {
    const direct = result.probes['routing-direct']!;
    const routed = result.probes['routing-routed']!;
    expect(routed.p50).toBeGreaterThan(direct.p50 + FORWARD_DELAY_MS);
    expect(result.routing!.overhead.p50).toBeGreaterThanOrEqual(FORWARD_DELAY_MS);
    expect(result.routing!.overhead.p50).toBeCloseTo(routed.p50 - direct.p50, 3);
  });
});
