// The streaming API the dashboard and the chaos scenario runner use: one record per probe and
// second, whose histograms add up exactly to the result, and stop() ending a run early.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHistogram, mergeHistograms } from '../../src/probes/histogram.js';
import { startBench } from '../../src/probes/run.js';
import type { IntervalRecord } from '../../src/probes/types.js';
import { waitFor } from '../support/wait.js';
import { startServer, type TestServer } from './servers.js';

describe('startBench streaming', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
  });
  afterAll(() => server.close());

  it('emits about one record per second per probe; their histograms add up to the result', async () => {
    const run = startBench({ target: server.target, rate: 100, durationMs: 3000, probes: ['warm', 'first-connection'], connections: 2, keys: ['a', 'b'], workers: 2 });
    const records: IntervalRecord[] = [];
    run.on('interval', (r) => records.push(r));
    const result = await run.done;
    for (const probe of ['warm', 'first-connection'] as const) {
      const mine = records.filter((r) => r.probe === probe);
      expect(mine.length).toBeGreaterThanOrEqual(3);
      expect(mine.length).toBeLessThanOrEqual(5);
      for (const r of mine.slice(0, 2)) expect(r.endMs - r.startMs).toBe(1000);
      // The run ends once its last request (global #299, due at 2.99 s) is answered, which may be before 3 s.
      expect(mine.at(-1)!.endMs).toBeGreaterThanOrEqual(Date.parse(result.startedAt) + 2990);
      expect(mine.reduce((s, r) => s + r.count, 0)).toBe(result.probes[probe]!.count);
      expect(encodeHistogram(mergeHistograms(mine.map((r) => r.histogram)))).toBe(result.probes[probe]!.histogram);
      // 3 s at 100/s is exactly 300 requests over both workers, every second getting its share
      expect(result.probes[probe]!.count + result.probes[probe]!.errors).toBe(300);
      for (const r of mine.slice(0, 2)) expect(r.count).toBeGreaterThan(0);
    }
    expect(records[0]!.startMs).toBe(Date.parse(result.startedAt));
  });

  it('stop() ends the run early and still resolves with a result', async () => {
    const run = startBench({ target: server.target, rate: 50, durationMs: 60_000, probes: ['warm'], connections: 1, keys: ['a'], workers: 1 });
    run.on('interval', () => run.stop());
    const result = await run.done;
    expect(result.durationMs).toBeLessThan(5000);
    expect(result.probes.warm!.count).toBeGreaterThanOrEqual(45);
    expect(result.probes.warm!.rate).toBeGreaterThan(40);
  });

  it('abort() ends at once: nothing more is sent, connections close, done resolves with what was merged', async () => {
    // A server that never answers: stop() would wait for the request timeout (60 s here) to drain.
    const silent = await startServer(() => undefined);
    let open = 0;
    silent.server.on('connection', (socket) => {
      open++;
      socket.on('close', () => open--);
    });
    try {
      const run = startBench({ target: silent.target, rate: 50, durationMs: 60_000, probes: ['warm'], connections: 4, keys: ['a'], workers: 1, requestTimeoutMs: 60_000 });
      const records: IntervalRecord[] = [];
      run.on('interval', (r) => records.push(r));
      await waitFor(() => records.length >= 1 && silent.requests >= 4, { what: 'the first interval and four requests held by the server' });
      run.abort();
      const result = await run.done;
      expect(result.probes.warm?.count ?? 0).toBe(0);
      // Within the 60 s request timeout, so only abort() can have closed them.
      await waitFor(() => open === 0, { what: 'every probe connection closed', timeoutMs: 20_000 });
      const seen = silent.requests;
      expect(seen).toBe(4);
      const after = records.length;
      run.abort();
      expect(records.length).toBe(after);
    } finally {
      await silent.close();
    }
  });
});
