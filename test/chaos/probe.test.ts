/**
 * `chaos run` with a probe: section, on the real kernel: a node:http server runs inside a lab
 * namespace, ringside's probes reach it from the host through the lab bridge, and one phase drops
 * 30% of the TCP packets the server's port receives (iptables statistic; TCP turns the loss into
 * retransmissions of 200 ms and more). The faulted phase's tail must be worse than the healthy
 * one's, the phases' counts must add up to the probe's own totals, the .hlog must read back with
 * one tag per phase and probe, and a failing probe expectation exits 1. A second run takes the
 * routing probe's members (HOST:PORT in a tag) from a --members file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistogramLogReader, listTags } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioReport } from '../../chaos/scenario/run.js';
import { renderScenario } from '../../src/cli/scenario-render.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { createLab, type Lab, labUnavailable } from './lab.js';

const why = labUnavailable();
if (why) process.stderr.write(`chaos probe tests skipped: ${why}\n`);

const PORT = 18080;
const SERVER = `const [host, port] = process.argv.slice(-2); require('node:http').createServer((req, res) => res.end('ok ' + req.url)).listen(Number(port), host);`;

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.setTimeout(1000, () => req.destroy(new Error('timeout')));
  });
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

describe.skipIf(why !== null)('chaos run with latency probes on a real kernel', () => {
  let lab: Lab;
  let dir: string;
  let before: string[];
  const servers: ChildProcess[] = [];
  const hostFlags = () => lab.hosts.flatMap((h, i) => ['--host', `n${i + 1}=netns:${h.ns},${h.ip},${h.name}`]);
  const journal = () => ['--journal', join(dir, 'journal'), '--host-journal', join(lab.dir, 'hj')];

  beforeAll(async () => {
    lab = createLab({ hosts: 2, serf: false });
    dir = mkdtempSync(join(tmpdir(), `ringside-probe-${process.pid}-`));
    for (const h of lab.hosts) servers.push(spawn('ip', ['netns', 'exec', h.ns, process.execPath, '-e', SERVER, h.ip, String(PORT)], { stdio: 'ignore', detached: true }));
    for (const h of lab.hosts) await waitFor(() => get(`http://${h.ip}:${PORT}/kv/x`).then((s) => s === 200), { timeoutMs: 15_000, what: `the HTTP server in ${h.ns}` });
    before = lab.snapshot();
  });

  afterAll(() => {
    for (const s of servers) if (s.pid !== undefined) try {
      process.kill(s.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('per-phase percentiles: the lossy phase has the worse tail, counts add up, the .hlog has a tag per phase, a failed probe expectation exits 1', async () => {
    const target = lab.hosts[0] as Lab['hosts'][0];
    const file = join(dir, 'lossy.yaml');
    writeFileSync(
      file,
      [
        'name: lossy-server',
        'hosts: [n1, n2]',
        'probe:',
        `  target: http://${target.ip}:${PORT}/kv/{key}`,
        '  probes: [warm, first-connection]',
        '  rate: 100',
        '  connections: 4',
        '  keys: 50',
        '  workers: 1',
        '  requestTimeout: 3s',
        'phases:',
        '  - name: healthy',
        '    duration: 4s',
        '  - name: lossy',
        '    duration: 5s',
        '    faults:',
        '      - { kind: loss, on: [n1], percent: 30, via: iptables, direction: in, protocol: tcp, port: ' + PORT + ' }',
        '  - name: after',
        '    duration: 3s',
        'expect:',
        '  - healthy.warm.count > 0',
        '  - lossy.warm.p99 > 100ms',
        '  - lossy.warm.p99 < 50ms',
      ].join('\n'),
    );
    const hlog = join(dir, 'lossy.hlog');
    const r = await runCli(['chaos', 'run', file, ...hostFlags(), ...journal(), '--hlog', hlog, '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('ringside: 1 expectation(s) failed (see the report above)\n');
    const report = JSON.parse(r.stdout) as ScenarioReport;
    expect(report.expectations.map((e) => [e.expect, e.pass])).toEqual([
      ['healthy.warm.count > 0', true],
      ['lossy.warm.p99 > 100ms', true],
      ['lossy.warm.p99 < 50ms', false],
    ]);
    const [healthy, lossy, after] = report.phases as [ScenarioReport['phases'][0], ScenarioReport['phases'][0], ScenarioReport['phases'][0]];
    expect(lossy.faults).toHaveLength(1);
    for (const probe of ['warm', 'first-connection']) {
      const h = healthy.probes?.[probe];
      const l = lossy.probes?.[probe];
      expect(h?.count, probe).toBeGreaterThan(200);
      // retransmissions hold requests back: many of the lossy phase's answers only come in the next phase
      expect(l?.count, probe).toBeGreaterThan(50);
      // 30% of the server's received TCP packets dropped: retransmissions (>= 200 ms) reach the tail.
      expect(l?.p99 as number, probe).toBeGreaterThan(Math.max(100, (h?.p99 as number) * 2));
      expect(l?.max as number, probe).toBeGreaterThanOrEqual(l?.p99 as number);
      expect(l?.p99 as number).toBeGreaterThanOrEqual(l?.p90 as number);
      expect(l?.p90 as number).toBeGreaterThanOrEqual(l?.p50 as number);
      expect(report.expectations[1]?.actual).toBe(lossy.probes?.warm?.p99);
      // Every interval record went to exactly one phase: the phases add up to the probe's totals.
      const overall = report.probe?.overall[probe];
      const phases = [healthy, lossy, after].map((p) => p.probes?.[probe]);
      expect(sum(phases.map((p) => p?.count ?? 0)), probe).toBe(overall?.count);
      expect(sum(phases.map((p) => p?.errors ?? 0)), probe).toBe(overall?.errors);
      expect(sum(phases.map((p) => p?.intervals ?? 0)), probe).toBe(overall?.intervals);
      expect(overall?.max).toBe(Math.max(...phases.map((p) => p?.max ?? 0)));
    }
    expect(report.probe?.config).toMatchObject({ target: `http://${target.ip}:${PORT}/kv/{key}`, rate: 100, probes: ['warm', 'first-connection'], connections: 4, workers: 1 });

    // The interval log: one tag per phase and probe, read by hdr-histogram-js's own reader.
    const text = readFileSync(hlog, 'utf8');
    const tags = ['healthy', 'lossy', 'after'].flatMap((p) => ['first-connection', 'warm'].map((probe) => `phase=${p}/probe=${probe}`));
    expect(listTags(text).sort()).toEqual([...tags].sort());
    const reader = new HistogramLogReader(text);
    const counts = new Map<string, number>();
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) counts.set(h.tag, (counts.get(h.tag) ?? 0) + h.totalCount);
    for (const p of report.phases) for (const probe of ['warm', 'first-connection']) expect(counts.get(`phase=${p.name}/probe=${probe}`), `${p.name} ${probe}`).toBe(p.probes?.[probe]?.count);

    // The human report shows the same figures per phase.
    const human = renderScenario(report);
    for (const p of report.phases) expect(human).toMatch(new RegExp(`^${p.name}\\s+warm\\s+${p.probes?.warm?.count}\\s+${p.probes?.warm?.errors}\\s`, 'm'));
    expect(human).toMatch(/^FAIL {2}lossy\.warm\.p99 < 50ms {2}\(actual \d+\.\d+\)$/m);
    expect(lab.snapshot()).toEqual(before);
  });

  it('the routing probe takes its members from the cluster source (HOST:PORT tags) and is measured per phase', async () => {
    const members = join(dir, 'members.txt');
    writeFileSync(members, lab.hosts.map((h) => `${h.ip}:7946 ${h.name} http=${h.ip}:${PORT}`).join('\n'));
    const file = join(dir, 'routing.yaml');
    writeFileSync(
      file,
      [
        'name: routing-loss',
        'hosts: [n1, n2]',
        'probe: { target: "http://{host}:{port}/kv/{key}", probes: [routing], portTag: http, nodeKey: "tag:http", rate: 60, connections: 2, keys: 40, workers: 1, requestTimeout: 3s }',
        'phases:',
        '  - { name: healthy, duration: 3s }',
        `  - { name: lossy, duration: 4s, faults: [{ kind: loss, on: [n1, n2], percent: 30, via: iptables, direction: in, protocol: tcp, port: ${PORT} }] }`,
        'expect: [healthy.routing-direct.errors == 0]',
      ].join('\n'),
    );
    const json = await runCli(['chaos', 'run', file, ...hostFlags(), ...journal(), '--members', members, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as ScenarioReport;
    for (const key of ['routing-direct', 'routing-routed']) {
      const [h, l] = report.phases.map((p) => p.probes?.[key]);
      expect(h?.count, key).toBeGreaterThan(50);
      expect(l?.p99 as number, key).toBeGreaterThan(h?.p99 as number);
      expect((h?.count ?? 0) + (l?.count ?? 0)).toBe(report.probe?.overall[key]?.count);
    }
    expect(lab.snapshot()).toEqual(before);
  });
});
