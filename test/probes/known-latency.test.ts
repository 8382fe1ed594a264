// End to end through worker threads and the real network stack: a server with known delays per
// key; the probe's percentiles never fall below what the server really held (HDR precision),
// and sit at the right delay class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench } from '../../src/probes/run.js';
import type { BenchResult } from '../../src/probes/types.js';
import { startDelayServer, type TestServer } from './servers.js';

// key-0..69: 5 ms, key-70..94: 20 ms, key-95..99: 60 ms (the probe cycles through the keys), so
// p50 falls in the first class, p90 in the second and p99 in the third, far from the boundaries.
const delayOf = (key: string): number => {
  const i = Number(key.slice(4));
  return i < 70 ? 5 : i < 95 ? 20 : 60;
};

function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.floor((p / 100) * sorted.length + 0.5)) - 1] as number;
}

describe('known-latency server', () => {
  let server: TestServer & { heldUs: number[] };
  let result: BenchResult;
  beforeAll(async () => {
    server = await startDelayServer(delayOf);
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    // Closed loop on 20 connections: every key class is hit in proportion, no queueing.
    result = await startBench({ target: server.target, rate: 0, durationMs: 2000, probes: ['warm'], connections: 20, keys, workers: 2 }).done;
  });
  afterAll(() => server.close());

  it('counts every response the server sent', () => {
    const warm = result.probes.warm!;
    expect(warm.errors).toBe(0);
    expect(warm.count).toBe(server.heldUs.length);
    expect(warm.count).toBeGreaterThan(300);
    expect(result.config.workers).toBe(2);
  });

  it('percentiles sit in the right delay class and never under the time the server held requests', () => {
    const warm = result.probes.warm!;
    const held = [...server.heldUs].sort((a, b) => a - b);
    for (const [p, reported] of [[50, warm.uncorrected.p50], [90, warm.uncorrected.p90], [99, warm.uncorrected.p99]] as const) {
      const heldUs = exact(held, p);
      // the client sees the server's time plus the network stack, never less (HDR: 0.1%)
      expect(reported * 1000).toBeGreaterThanOrEqual(heldUs * 0.999 - 1);
    }
    expect(warm.uncorrected.p50).toBeGreaterThanOrEqual(5);
    expect(warm.uncorrected.p50).toBeLessThan(20);
    expect(warm.uncorrected.p90).toBeGreaterThanOrEqual(20);
    expect(warm.uncorrected.p90).toBeLessThan(60);
    expect(warm.uncorrected.p99).toBeGreaterThanOrEqual(60);
    // closed loop: corrected and uncorrected are the same measurement
    expect(warm.p50).toBeCloseTo(warm.uncorrected.p50, 1);
  });
});
