// The routing probe through the CLI: per-node HTTP servers that own keys by the same ringpop ring
// ringside computes and forward other keys to their owner (5 ms added), standing in for the demo
// service. Direct requests must never be forwarded, routed ones always, and routed > direct.
// Membership comes from a static member file, and from real Serf agents carrying the HTTP port
// in a tag (`--join`, `--port-tag`).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRing } from '../../src/ring/create-ring.js';
import type { Ring } from '../../src/ring/types.js';
import type { BenchResult } from '../../src/probes/types.js';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { runJson, tempFiles } from '../support/cli.js';
import { startServer, type TestServer } from './servers.js';

const FORWARD_DELAY_MS = 5;
// One worker sends in plan order; 16 connections per member, so that a request never waits behind
// another to the same member and the servers see each key's two requests in the order sent.
const BENCH = ['bench', '--target', 'http://{host}:{port}/kv/{key}', '--probe', 'routing', '--port-tag', 'http', '--rate', '100', '--duration', '2s', '--keys', '40', '--connections', '16', '--workers', '1'];

/** N forwarding nodes; the ring (node ids = names) is set once the membership is known. */
async function startNodes(count: number) {
  const agent = new http.Agent({ keepAlive: true });
  const state = { ring: undefined as Ring | undefined, names: [] as string[] };
  const counters = Array.from({ length: count }, () => ({ forwarded: 0, local: 0 }));
  /** Every request as it reaches the first server, in arrival order (forwards by a server excluded). */
  const arrivals: { key: string; direct: boolean }[] = [];
  const servers: TestServer[] = [];
  for (let i = 0; i < count; i++) {
    const counter = counters[i]!;
    servers.push(
      await startServer((req, res, key) => {
        const owner = state.names.indexOf(state.ring!.owner(key));
        if (req.headers['x-forwarded-by'] === undefined) arrivals.push({ key, direct: owner === i });
        if (owner === i) {
          counter.local++;
          res.end(`${key}@${i}`);
          return;
        }
        counter.forwarded++;
        setTimeout(() => http.get({ host: '127.0.0.1', port: servers[owner]!.port, path: `/kv/${encodeURIComponent(key)}`, agent, headers: { 'x-forwarded-by': String(i) } }, (up) => up.pipe(res)), FORWARD_DELAY_MS);
      }),
    );
  }
  return {
    servers,
    counters,
    arrivals,
    /** ringpop places nodes by address and names them by member name (src/cluster/ring-members.ts). */
    setMembers(members: { name: string; addr: string }[]) {
      state.names = members.map((m) => m.name);
      state.ring = createRing({ algorithm: 'ringpop', nodes: members.map((m) => ({ id: m.name, key: m.addr })) });
    },
    close: () => Promise.all(servers.map((s) => s.close())),
  };
}

function checkRouting(result: BenchResult, counters: { forwarded: number; local: number }[]): void {
  const direct = result.probes['routing-direct']!;
  const routed = result.probes['routing-routed']!;
  expect(direct.errors + routed.errors).toBe(0);
  expect(direct.count).toBe(100);
  expect(routed.count).toBe(100);
  // every routed request was forwarded exactly once, and every request ended at the owner
  expect(counters.reduce((sum, c) => sum + c.forwarded, 0)).toBe(100);
  expect(counters.reduce((sum, c) => sum + c.local, 0)).toBe(200);
  expect(routed.p50).toBeGreaterThan(direct.p50 + FORWARD_DELAY_MS);
  expect(result.routing!.overhead.p50).toBeGreaterThanOrEqual(FORWARD_DELAY_MS);
  expect(result.routing!.overhead.p50).toBeCloseTo(routed.p50 - direct.p50, 3);
}

describe('routing probe, members from a file', () => {
  const files = tempFiles({});
  let nodes: Awaited<ReturnType<typeof startNodes>>;
  let result: BenchResult;

  beforeAll(async () => {
    nodes = await startNodes(3);
    const members = [0, 1, 2].map((i) => ({ name: `n${i}`, addr: `127.0.0.1:${17001 + i}` }));
    nodes.setMembers(members);
    writeFileSync(files.path('members.txt'), members.map((m, i) => `${m.addr} ${m.name} http=${nodes.servers[i]!.port}`).join('\n'));
    result = await runJson<BenchResult>([...BENCH, '--members', files.path('members.txt')]);
  });
  afterAll(async () => {
    await nodes.close();
    files.cleanup();
  });

  it('sends every key once to its owner and once to a non-owner; routed latency is above direct', () => {
    checkRouting(result, nodes.counters);
  });

  // Regression: the owner always got a key first, so a service that loads state on first access
  // paid every cold load on the direct side and routing looked cheaper than direct.
  // The probe alternates by key: key-0, key-2, ... go to their owner first, key-1, key-3, ... to the other member.
  it('sends half the keys (key-0, key-2, ..., key-38) to their owner first and the other 20 to the other member first', () => {
    const first = new Map<string, boolean>();
    for (const a of nodes.arrivals) if (!first.has(a.key)) first.set(a.key, a.direct);
    expect(first.size).toBe(40);
    const directFirst = [...first].filter(([, direct]) => direct).map(([key]) => key);
    expect(directFirst.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `key-${2 * i}`).sort());
  });
});

describe('routing probe, members from real Serf agents', () => {
  let nodes: Awaited<ReturnType<typeof startNodes>>;
  let cluster: SerfCluster;
  let result: BenchResult;

  beforeAll(async () => {
    nodes = await startNodes(3);
    cluster = await startSerfCluster({ nodes: 3, tags: (_name, i) => ({ http: String(nodes.servers[i]!.port) }) });
    nodes.setMembers(cluster.agents.map((a) => ({ name: a.name, addr: a.bind })));
    result = await runJson<BenchResult>([...BENCH, '--join', cluster.agents[0]!.bind]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await nodes?.close();
  });

  it('takes hosts from member addresses and ports from the http tag', () => {
    expect(result.config.members).toBe(3);
    checkRouting(result, nodes.counters);
  });
});
