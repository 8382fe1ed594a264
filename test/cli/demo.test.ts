// `npm run demo` end to end, as a newcomer runs it (the README's first command): a real sandbox,
// the cluster read, a baseline probe and a second probe gated against it (passing), a probe during
// which one node's service is frozen, gated against the baseline (failing, exit 1, as CI would),
// and every agent and service stopped at the end.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serfMembersOf } from '../support/demo-output.js';

const demo = fileURLToPath(new URL('../../scripts/demo.js', import.meta.url));

function runDemo(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [demo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** Running (a zombie, exited but not yet reaped by init, is not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('npm run demo', () => {
  it('gates a second real run against a baseline (pass), a stalled run against it (fail, exit 1), and leaves nothing running', async () => {
    const { code, out } = await runDemo();
    expect(code, out).toBe(0);
    // The cluster: five agents, all alive in `members`.
    expect(serfMembersOf(out)).toEqual([1, 2, 3, 4, 5].map((i) => [`sandbox-${i}`, 'alive']));
    // Two gates, each on two different files: baseline vs second (passes), baseline vs stalled (fails).
    const gates = [...out.matchAll(/^\$ ringside gate --baseline (\S+) --current (\S+)/gm)].map((m) => [m[1]?.split('/').at(-1), m[2]?.split('/').at(-1)]);
    expect(gates).toEqual([
      ['baseline.json', 'second.json'],
      ['baseline.json', 'stalled.json'],
    ]);
    const [, afterFirstGate, afterSecondGate] = out.split(/^\$ ringside gate /m);
    expect(afterFirstGate).toMatch(/^PASS: \d+ passed, 0 failed/m);
    // The threshold the 2 s stall breaks: the longest request (corrected from its due time) waited through it.
    expect(afterSecondGate).toMatch(/routing-direct\.max<1\.5s\s+\S+ ms\s+\S+ ms\s+\S+\s+< 1500\.000 ms\s+FAIL/);
    expect(afterSecondGate).toMatch(/^FAIL: \d+ passed, [1-9]\d* failed/m);
    expect(out).toContain('gate exited 1: the stalled run fails the gate, as it would fail a CI job');
    // Everything the demo started is stopped: the agents and services it lists are gone.
    const pids = [...out.matchAll(/\(pid (\d+)\): stopped/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(10);
    expect(pids.filter(alive)).toEqual([]);
  });
});
