#!/usr/bin/env node
// `npm run bench`: ringside beside the real peer in one run, each in fresh processes, printing
// both figures and their ratio. Peer: ringpop 10.21.0's HashRing (test/peers/ringpop).
//
// 1. owner lookups, 100 nodes x 100 points, 100,000 keys: identical answers required, then
//    lookups per second (goal: at least 5x ringpop);
// 2. building a 1,000-node ring (100 points each): first build in a fresh process and best of 5
//    (goal: at least 10x faster than ringpop);
// 3. plan for 1,000 nodes x 256 vnodes, one node added (goal: under 200 ms);
// 4. the Serf observer beside Serf itself (bench/observer-bench.js): time to a complete
//    membership beside `serf members` over RPC, detection lag behind the agents after kill -9,
//    and decoding a synthesized 10,000-member push-pull;
// 5. the ringpop observer (bench/ringpop-bench.js): members over TChannel beside the same crawl
//    with tchannel's own client (ringpop-admin's collection step), as commands and in-process.
// 6. the latency probes beside autocannon and wrk (bench/probe-bench.js): warm-probe throughput
//    with 1 and 2 workers, and the p50 self-overhead on one connection, in µs.
// 7. the dashboard (bench/dash-bench.js): CPU of `dash` on a real terminal with 1,000 observed
//    members and a 1,000 req/s latency feed, beside the same observer and feed without it.
// Runs alternate between the two tools, three rounds each; the median round is reported.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRing } from '../dist/src/index.js';
import { printProbeTable } from './probe-bench.js';
import { keyNames, serverNames } from './ring-bench.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const peer = `${root}test/peers/ringpop/`;
const ROUNDS = 3;

function node(script, args, input) {
  const out = execFileSync(process.execPath, [script, ...args], { cwd: root, input, maxBuffer: 1 << 28, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function rounds(fn) {
  return Array.from({ length: ROUNDS }, fn);
}

// 1. identical answers on the benchmark's own ring and keys
const servers = serverNames(100);
const keys = keyNames(100_000);
const oracle = node(`${peer}ring-oracle.cjs`, [], JSON.stringify({ servers, replicaPoints: 100, keys }));
const ring = createRing({ algorithm: 'ringpop', nodes: servers, vnodes: 100 });
const differing = keys.filter((key, i) => ring.owner(key) !== oracle.lookup[i]).length;
if (differing > 0) {
  console.error(`ringside and ringpop disagree on ${differing} of ${keys.length} owners: not benchmarking a different answer`);
  process.exit(1);
}

const lookupArgs = ['--servers', '100', '--points', '100', '--keys', '100000', '--seconds', '3', '--reps', '1'];
const buildArgs = ['--servers', '1000', '--points', '100', '--seconds', '0', '--reps', '5'];
const lookups = { ringside: [], ringpop: [] };
const builds = { ringside: [], ringpop: [] };
for (let r = 0; r < ROUNDS; r++) {
  lookups.ringpop.push(node(`${peer}bench-peer.cjs`, lookupArgs).lookupsPerSec);
  lookups.ringside.push(node(`${root}bench/ring-bench.js`, lookupArgs).lookupsPerSec);
  builds.ringpop.push(node(`${peer}bench-peer.cjs`, buildArgs));
  builds.ringside.push(node(`${root}bench/ring-bench.js`, buildArgs));
}
const plans = rounds(() => node(`${root}bench/plan-bench.js`, ['--servers', '1000', '--points', '256', '--reps', '5']));
const observer = JSON.parse(execFileSync(process.execPath, ['--expose-gc', `${root}bench/observer-bench.js`], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
const probes = JSON.parse(execFileSync(process.execPath, [`${root}bench/probe-bench.js`], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n').pop());

const dash = JSON.parse(execFileSync(process.execPath, [`${root}bench/dash-bench.js`], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());

const rs = median(lookups.ringside);
const rp = median(lookups.ringpop);
const warm = { ringside: median(builds.ringside.map((b) => b.buildMs)), ringpop: median(builds.ringpop.map((b) => b.buildMs)) };
const cold = { ringside: median(builds.ringside.map((b) => b.buildMsFirst)), ringpop: median(builds.ringpop.map((b) => b.buildMsFirst)) };
const plan = { best: median(plans.map((p) => p.planMs)), first: median(plans.map((p) => p.planMsFirst)) };

const fmt = (n, d = 1) => n.toFixed(d);
const rows = [
  ['owner lookups/s (100 nodes x 100 pts, 100k keys)', `${fmt(rs / 1e6, 2)} M`, `${fmt(rp / 1e6, 2)} M`, `${fmt(rs / rp, 1)}x faster`, '>= 5x'],
  ['build 1,000 nodes x 100 pts, best of 5', `${fmt(warm.ringside)} ms`, `${fmt(warm.ringpop)} ms`, `${fmt(warm.ringpop / warm.ringside, 1)}x faster`, '>= 10x'],
  ['build 1,000 nodes x 100 pts, first in process', `${fmt(cold.ringside)} ms`, `${fmt(cold.ringpop)} ms`, `${fmt(cold.ringpop / cold.ringside, 1)}x faster`, ''],
  ['plan 1,000 nodes x 256 vnodes, +1 node, best of 5', `${fmt(plan.best)} ms`, '-', '', '< 200 ms'],
  ['plan 1,000 nodes x 256 vnodes, +1 node, first in process', `${fmt(plan.first)} ms`, '-', '', '< 200 ms'],
];
const { cluster, bigState } = observer;
const observerRows = [
  ['complete membership, 5 encrypted agents: command', `${fmt(cluster.membersCommandMs.ringside)} ms`, `${fmt(cluster.membersCommandMs.serf)} ms`, `${fmt(cluster.membersCommandMs.ringside / cluster.membersCommandMs.serf)}x slower`, ''],
  ['complete membership: the gossip exchange in-process', `${fmt(cluster.observerStartMs)} ms`, '-', '', ''],
  ['kill -9 detected, after serf members shows failed: passive', `${cluster.detection.passiveLagMs} ms`, `0 ms (${fmt(cluster.detection.agentsAfterKillMs / 1000)} s after kill)`, '', '<= 3000 ms'],
  ['kill -9 detected, after serf members shows failed: member', `${cluster.detection.memberLagMs} ms`, '0 ms', '', '<= 500 ms'],
  [`decode a ${bigState.members}-member push-pull (synthesized, ${fmt(bigState.wireBytes / 1024, 0)} KiB on the wire)`, `${fmt(bigState.decodeMs)} ms, +${fmt(bigState.retainedHeapMB)} MiB heap`, '-', '', '< 1 s'],
];
const header = ['benchmark', 'ringside', 'ringpop 10.21.0', 'ratio', 'goal'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`node ${process.version}, ${ROUNDS} alternating rounds, median shown; answers identical on ${keys.length} keys`);
console.log(line(header));
for (const row of rows) console.log(line(row));
const observerHeader = ['benchmark', 'ringside', 'serf 0.8.2-dev', 'ratio', 'goal'];
const observerWidths = observerHeader.map((h, i) => Math.max(h.length, ...observerRows.map((r) => r[i].length)));
const observerLine = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(observerWidths[i]) : c.padStart(observerWidths[i]))).join('  ');
console.log('');
console.log(observerLine(observerHeader));
for (const row of observerRows) console.log(observerLine(row));
console.log('');
printProbeTable(probes);

// 5. the ringpop observer beside tchannel's own client (bench/ringpop-bench.js)
const ringpopObserver = JSON.parse(execFileSync(process.execPath, [`${root}bench/ringpop-bench.js`], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
{
  const { commandMs, statsCallUs, nodes } = ringpopObserver;
  const rpRows = [
    [`members --all-views, ${nodes} ringpop nodes: fresh process`, `${fmt(commandMs.ringside)} ms`, `${fmt(commandMs.tchannel)} ms`, `${fmt(commandMs.ringside / commandMs.tchannel, 2)}x`, ''],
    ['  of which ringside CLI start-up (ringside --version)', `${fmt(commandMs.ringsideStartup)} ms`, '-', '', ''],
    ['one warm /admin/stats exchange, in-process', `${fmt(statsCallUs.ringside, 0)} us`, `${fmt(statsCallUs.tchannel, 0)} us`, `${fmt(statsCallUs.ringside / statsCallUs.tchannel, 2)}x`, ''],
  ];
  const rpHeader = ['benchmark', 'ringside', 'tchannel 3.10.1 client', 'ratio (ringside/peer)', 'goal'];
  const rpWidths = rpHeader.map((h, i) => Math.max(h.length, ...rpRows.map((r) => r[i].length)));
  const rpLine = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(rpWidths[i]) : c.padStart(rpWidths[i]))).join('  ');
  console.log('');
  console.log(rpLine(rpHeader));
  for (const row of rpRows) console.log(rpLine(row));
}

const dashRows = [
  ['dash: 1,000 members (10 changes/s) + 1,000 req/s feed, 160x50', `${fmt(dash.dash.cpuPercent)}% of a core`, '< 10%'],
  ['the same observer and feed with no dashboard', `${fmt(dash.baseline.cpuPercent)}% of a core`, ''],
  ['the dashboard itself (difference)', `${fmt(dash.dash.cpuPercent - dash.baseline.cpuPercent)}% of a core`, ''],
];
const dashHeader = ['benchmark (CPU over 10 s, /proc/PID/stat)', 'ringside', 'goal'];
const dashWidths = dashHeader.map((h, i) => Math.max(h.length, ...dashRows.map((r) => r[i].length)));
console.log('');
console.log(dashHeader.map((c, i) => (i === 0 ? c.padEnd(dashWidths[i]) : c.padStart(dashWidths[i]))).join('  '));
for (const row of dashRows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(dashWidths[i]) : c.padStart(dashWidths[i]))).join('  '));

mkdirSync(`${root}bench/.results`, { recursive: true });
const results = { node: process.version, date: new Date().toISOString(), rounds: ROUNDS, lookups, builds, plans, observer, ringpopObserver, probes, dash: { ...dash, dash: { ...dash.dash, screen: undefined } }, summary: { lookupsPerSec: { ringside: rs, ringpop: rp }, buildMs: warm, buildMsFirst: cold, planMs: plan } };
writeFileSync(`${root}bench/.results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
