// The standard coordinated-omission test (ANCHORS.md §6): a constant-rate run while the server
// process is frozen (SIGSTOP) for 1 s. Latency from the intended send time shows the stall in
// p99 and not in p50; the uncorrected figure, like a closed-loop tool, hides most of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBench } from '../../src/probes/run.js';
import type { BenchResult } from '../../src/probes/types.js';
import { waitFor } from '../support/wait.js';

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end('ok'));
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

describe('a 1 s server stall at a constant rate', () => {
  let child: ChildProcess;
  let port = 0;
  let result: BenchResult;
  let stalledMs = 0;

  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    port = Number(await waitFor(() => (out.includes('\n') ? out.trim() : undefined), { what: 'the server port' }));
    const run = startBench({ target: `http://127.0.0.1:${port}/kv/{key}`, rate: 200, durationMs: 5000, probes: ['warm'], connections: 2, keys: ['a', 'b', 'c'], workers: 1 });
    let frozen = false;
    run.on('interval', (record) => {
      if (frozen || record.startMs < 0) return;
      frozen = true; // after the first second: freeze the server process for 1 s
      const start = performance.now();
      child.kill('SIGSTOP');
      setTimeout(() => {
        // Timers may fire up to a millisecond early against performance.now(): make the stall a full second.
        while (performance.now() - start < 1000);
        child.kill('SIGCONT');
        stalledMs = performance.now() - start;
      }, 1000);
    });
    result = await run.done;
  });

  afterAll(() => {
    if (child.pid !== undefined && child.exitCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  });

  it('shows the stall in corrected p99 and not in p50', () => {
    const warm = result.probes.warm!;
    expect(stalledMs).toBeGreaterThanOrEqual(1000);
    expect(warm.errors).toBe(0);
    expect(warm.count).toBe(1000);
    // ~200 of 1000 requests were due during the stall: their delays ramp from ~1 s down to 0
    expect(warm.p99).toBeGreaterThan(700);
    expect(warm.p90).toBeGreaterThan(100);
    expect(warm.p50).toBeLessThan(100);
    expect(warm.max).toBeGreaterThanOrEqual(950);
  });

  it('the uncorrected figure hides it: about one slow sample per connection', () => {
    const warm = result.probes.warm!;
    expect(warm.uncorrected.max).toBeGreaterThanOrEqual(950);
    expect(warm.uncorrected.p99).toBeLessThan(warm.p99 / 5);
    expect(warm.uncorrected.p90).toBeLessThan(50);
  });
});
