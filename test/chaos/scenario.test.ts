/**
 * `chaos run` against real Serf agents in network namespaces, observed through ringside's passive
 * observer (the same event stream `watch` uses): an isolated member is seen suspect then failed,
 * the views agree again after healing, expectations decide the exit code, and every host ends
 * byte-identical to before. Shipped scenarios dry-run against the same hosts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../chaos/scenario/run.js';
import { shippedScenarios } from '../../chaos/scenario/files.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { createLab, type Lab, labUnavailable } from './lab.js';

const why = labUnavailable();
if (why) process.stderr.write(`chaos scenario tests skipped: ${why}\n`);

describe.skipIf(why !== null)('chaos run on real Serf agents', () => {
  let lab: Lab;
  let before: string[];
  let dir: string;
  const hostFlags = () => lab.hosts.flatMap((h, i) => ['--host', `n${i + 1}=netns:${h.ns},${h.ip},${h.name}`]);

  beforeAll(async () => {
    lab = createLab({ hosts: 5 });
    dir = mkdtempSync(join(tmpdir(), 'ringside-scenario-'));
    await waitFor(() => lab.hosts.every((o) => lab.serfMembers(o).filter((m) => m.status === 'alive').length === 5), { timeoutMs: 30_000, what: 'five serf agents alive' });
    before = lab.snapshot();
  });

  afterAll(() => {
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('isolating one member: suspect, then failed, then agreement after healing; a failed expectation exits 1', async () => {
    const file = join(dir, 'isolate.yaml');
    writeFileSync(
      file,
      [
        'name: isolate-one',
        'hosts: [n1, n2, n3, n4, n5]',
        'phases:',
        '  - name: baseline',
        '    duration: 3s',
        '  - name: isolate',
        '    duration: 20s',
        '    faults:',
        '      - kind: partition',
        '        isolate: n5',
        '  - name: recovery',
        '    duration: 120s',
        '    until: agreement',
        'expect:',
        '  - baseline.falseSuspicions == 0',
        '  - isolate.failedMs[n5] > 0',
        '  - recovery.agreementMs >= 0',
        '  - isolate.flaps > 1000',
      ].join('\n'),
    );
    const r = await runCli(['chaos', 'run', file, ...hostFlags(), '--join', `${lab.hosts[0]?.ip}:7946`, '--journal', join(dir, 'journal'), '--host-journal', join(lab.dir, 'hj'), '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('ringside: 1 expectation(s) failed (see the report above)\n');
    const report = JSON.parse(r.stdout) as ScenarioReport;
    expect(report.observed).toBe(true);
    expect(report.phases.map((p) => p.name)).toEqual(['baseline', 'isolate', 'recovery']);
    const [baseline, isolate, recovery] = report.phases as [ScenarioReport['phases'][0], ScenarioReport['phases'][0], ScenarioReport['phases'][0]];
    expect(baseline.falseSuspicions).toBe(0);
    expect(isolate.faults).toHaveLength(1);
    expect(isolate.faults[0]?.on).toHaveLength(5);
    const n5 = isolate.faulted.find((f) => f.member === lab.hosts[4]?.name);
    expect(n5?.failedMs).toBeGreaterThan(0);
    expect(n5?.failedMs).toBeLessThan(isolate.durationMs);
    if (n5?.firstSuspectMs !== null) expect(n5?.firstSuspectMs).toBeLessThanOrEqual(n5?.failedMs as number);
    expect(isolate.falseSuspicions).toBe(0);
    expect(recovery.agreementMs).not.toBeNull();
    expect(recovery.durationMs).toBeGreaterThanOrEqual(recovery.agreementMs as number);
    expect(report.expectations.map((e) => e.pass)).toEqual([true, true, true, false]);
    expect(lab.snapshot()).toEqual(before);
  });

  it('every shipped scenario dry-runs against the hosts and changes nothing', async () => {
    for (const name of shippedScenarios().filter((n) => n !== 'slow-node')) {
      const r = await runCli(['chaos', 'run', name, ...hostFlags(), '--dry-run', '--json']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const report = JSON.parse(r.stdout) as ScenarioReport;
      expect(report.dryRun).toBe(true);
      const commands = report.phases.flatMap((p) => p.faults.flatMap((f) => Object.values(f.commands ?? {}).flat()));
      expect(commands.some((c) => c.includes(`ip netns exec ${lab.hosts[0]?.ns} iptables -w 5 -A RINGSIDE-`))).toBe(true);
    }
    // slow-node plans tc netem: the dry run prints it even though this kernel could not apply it.
    const slow = await runCli(['chaos', 'run', 'slow-node', ...hostFlags(), '--dry-run']);
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout).toMatch(/tc qdisc add dev eth0 root handle 52[0-9a-f]{2}: netem delay 400ms 100ms distribution normal/);
    expect(lab.snapshot()).toEqual(before);
  });
});
