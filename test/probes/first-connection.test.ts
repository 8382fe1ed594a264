// first-connection: every request on a brand-new TCP connection (the server counts them), a
// never-used key each time, and its phases from undici's diagnostics channels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench } from '../../src/probes/run.js';
import type { BenchResult } from '../../src/probes/types.js';
import { startServer, type TestServer } from './servers.js';

describe('first-connection probe', () => {
  let server: TestServer;
  let result: BenchResult;
  beforeAll(async () => {
    // The server waits 2 ms before the head, so time to first byte has a floor.
    server = await startServer((_req, res) => setTimeout(() => res.end('state'), 2));
    result = await startBench({ target: server.target, rate: 100, durationMs: 2000, probes: ['first-connection'], connections: 2, keys: [], workers: 2 }).done;
  });
  afterAll(() => server.close());

  it('uses exactly one TCP connection per request', () => {
    const probe = result.probes['first-connection']!;
    expect(probe.errors).toBe(0);
    expect(probe.count).toBe(200);
    expect(server.requests).toBe(200);
    expect(server.connections).toBe(200);
    expect(server.requestsPerConnection.every((n) => n === 1)).toBe(true);
  });

  it('sends a key never used before on every request', () => {
    expect(new Set(server.keys).size).toBe(200);
  });

  it('records connect, time to first byte and total for every request', () => {
    const phases = result.probes['first-connection']!.phases!;
    expect(Object.keys(phases).sort()).toEqual(['connect', 'total', 'ttfb']);
    for (const phase of ['connect', 'ttfb', 'total']) expect(phases[phase]!.count).toBe(200);
    expect(phases.ttfb!.p50).toBeGreaterThanOrEqual(2);
    expect(phases.connect!.p50).toBeLessThan(phases.total!.p50);
    expect(phases.total!.p50).toBeGreaterThanOrEqual(phases.ttfb!.p50);
    // total runs from the start of connecting to the last byte: it is the uncorrected latency
    expect(phases.total!.p50).toBeCloseTo(result.probes['first-connection']!.uncorrected.p50, 0);
  });
});
