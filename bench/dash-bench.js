#!/usr/bin/env node
// CPU use of `ringside dash` with 1,000 members and the real latency probe at 1,000 req/s (goal:
// < 10% of one core). The members come from a real passive observer polling a synthesized
// 1,000-member memberlist push-pull every 500 ms (served here; 10 members change status every
// second, so the event log and ring keep moving); the latency feed is the probe `dash --target
// --rate 1000` starts (startBench, warm probe, one worker thread) against a Node no-op HTTP server
// in its own process. The dashboard draws on a real terminal (tmux, 160x50). CPU time (every
// thread of the process: the probe's worker too; and the main thread alone, where the dashboard
// and the observer run, from /proc/PID/task/PID/stat) is read over 10 s after a warm-up, for the
// dashboard process and for the same observer and probe with no dashboard (--no-screen), each a
// fresh process, alternating which goes first, for --rounds N (default 3). The goal is on the
// dashboard's own thread; what the probe costs at that rate is measured on its own beside its
// peer: `ringside bench --rate 1000` (the same engine, warm probe, 10 connections, 1 worker) and
// `autocannon -R 1000 -c 10`, each a fresh process over the same window against the same server.
// Prints one JSON document on stdout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePushPull } from '../dist/src/protocols/memberlist/push-pull.js';
import { sealStream } from '../dist/src/protocols/memberlist/stream.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MEMBERS = 1000;
const RATE = 1000;
const ROUNDS = process.argv.includes('--rounds') ? Number(process.argv[process.argv.indexOf('--rounds') + 1]) : 3;
const MEASURE_MS = 10_000;
const WARMUP_MS = 3000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime + stime of a process (every thread), or of one thread with `tid`, in seconds. */
function cpuSeconds(pid, tid) {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** A memberlist listener that answers every push-pull with the synthesized cluster's state. */
async function fakeCluster() {
  const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
  const nodes = Array.from({ length: MEMBERS }, (_, i) => ({
    name: `node-${String(i).padStart(4, '0')}`,
    // Every member on its own loopback address, all served by this one listener.
    addr: Uint8Array.of(127, 1, i >> 8, i & 255),
    port: 0,
    meta: new Uint8Array(0),
    incarnation: 1,
    state: 'alive',
    vsn,
  }));
  let turn = 0;
  // 10 status changes a second: every 500 ms 5 members go suspect, and 2 s later the same 5 are
  // alive again (a refutation: incarnation + 1); then the next 20 members take their turn.
  const churn = setInterval(() => {
    for (let k = 0; k < 5; k++) {
      const node = nodes[(((turn % 4) * 5 + k + Math.floor(turn / 8) * 20) * 37) % MEMBERS];
      if (node.state === 'alive') node.state = 'suspect';
      else {
        node.state = 'alive';
        node.incarnation++;
      }
    }
    turn++;
  }, 500);
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(sealStream(encodePushPull({ join: false, nodes, userState: new Uint8Array(0) }), { dialer: false })));
    socket.on('error', () => undefined);
  });
  await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address();
  for (const node of nodes) node.port = port;
  return { join: `127.1.0.0:${port}`, stop: () => (clearInterval(churn), server.close()) };
}

/** The probe's target: a no-op HTTP server in its own process (its CPU is not the dashboard's). */
function startServer() {
  const script = "const s=require('node:http').createServer((q,r)=>r.end('ok'));s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ url: `http://127.0.0.1:${Number(String(d).trim())}/kv/{key}`, stop: () => child.kill() })));
}

async function measure(join, target, noScreen) {
  const dir = mkdtempSync(join_(tmpdir(), 'ringside-dash-bench-'));
  const socket = `ringside-bench-${process.pid}-${randomBytes(3).toString('hex')}`;
  const pidFile = join_(dir, 'pid');
  const out = join_(dir, 'out.json');
  const command = [process.execPath, `${root}bench/dash-bench-child.js`, '--join', join, '--target', target, '--rate', String(RATE), '--pid-file', pidFile, '--out', out, ...(noScreen ? ['--no-screen'] : [])].map((a) => `'${a}'`).join(' ');
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  try {
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'bench', '-x', '160', '-y', '50', '-e', 'LANG=C.UTF-8', '-e', 'TERM=screen-256color', command);
    const deadline = Date.now() + 30_000;
    while (!existsSync(pidFile) || (!noScreen && !tmux('capture-pane', '-p', '-t', 'bench').includes(`members ${MEMBERS}`))) {
      if (Date.now() > deadline) throw new Error(`the dashboard did not show ${MEMBERS} members within 30 s:\n${tmux('capture-pane', '-p', '-t', 'bench')}`);
      await sleep(100);
    }
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await sleep(WARMUP_MS);
    const before = cpuSeconds(pid);
    const mainBefore = cpuSeconds(pid, pid);
    const start = process.hrtime.bigint();
    await sleep(MEASURE_MS);
    const cpu = cpuSeconds(pid) - before;
    const mainCpu = cpuSeconds(pid, pid) - mainBefore;
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const screen = noScreen ? '' : tmux('capture-pane', '-p', '-t', 'bench');
    if (noScreen) process.kill(pid, 'SIGTERM');
    else tmux('send-keys', '-t', 'bench', 'q');
    const end = Date.now() + 15_000;
    while (!existsSync(out)) {
      if (Date.now() > end) throw new Error('the dashboard did not exit after q');
      await sleep(100);
    }
    return { cpuPercent: (100 * cpu) / wallSeconds, mainThreadCpuPercent: (100 * mainCpu) / wallSeconds, cpuSeconds: cpu, wallSeconds, result: JSON.parse(readFileSync(out, 'utf8')), screen };
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(join_(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid()}`, socket), { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
const join_ = join;

/** CPU use (every thread) of a paced load generator over MEASURE_MS after WARMUP_MS; its stdout. */
async function pacedCpu(argv) {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await sleep(WARMUP_MS);
    const before = cpuSeconds(child.pid);
    const start = process.hrtime.bigint();
    await sleep(MEASURE_MS);
    const cpu = cpuSeconds(child.pid) - before;
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    const code = await exited;
    if (code !== 0) throw new Error(`${argv.slice(0, 2).join(' ')} exited ${code}`);
    return { cpuPercent: (100 * cpu) / wallSeconds, stdout };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

const PACED_SECONDS = Math.ceil((WARMUP_MS + MEASURE_MS) / 1000) + 2;
const autocannonJs = realpathSync(`${root}node_modules/.bin/autocannon`);

/** `ringside bench --rate RATE`: the probe dash runs (warm, 10 connections, 1 worker), on its own. */
async function probeAlone(target) {
  const { cpuPercent, stdout } = await pacedCpu([`${root}bin/run.js`, 'bench', '--target', target, '--rate', String(RATE), '--duration', `${PACED_SECONDS}s`, '--probe', 'warm', '--connections', '10', '--workers', '1', '--json']);
  const warm = JSON.parse(stdout).probes.warm;
  return { cpuPercent, rate: warm.rate, errors: warm.errors };
}

/** `autocannon -R RATE -c 10` against the same server and key. */
async function autocannonPaced(target) {
  const { cpuPercent, stdout } = await pacedCpu([autocannonJs, '-c', '10', '-R', String(RATE), '-d', String(PACED_SECONDS), '--json', target.replace('{key}', 'key-1')]);
  const r = JSON.parse(stdout);
  return { cpuPercent, rate: r.requests.total / r.duration, errors: r.errors + r.non2xx };
}

const cluster = await fakeCluster();
const server = await startServer();
try {
  const dash = [];
  const baseline = [];
  const probe = [];
  const autocannon = [];
  for (let r = 0; r < ROUNDS; r++) {
    const steps = [
      async () => dash.push(await measure(cluster.join, server.url, false)),
      async () => baseline.push(await measure(cluster.join, server.url, true)),
      async () => probe.push(await probeAlone(server.url)),
      async () => autocannon.push(await autocannonPaced(server.url)),
    ];
    for (const step of r % 2 === 0 ? steps : steps.reverse()) await step();
  }
  process.stdout.write(`${JSON.stringify({ members: MEMBERS, rate: RATE, measureMs: MEASURE_MS, rounds: ROUNDS, dash, baseline, probe, autocannon })}\n`);
} finally {
  server.stop();
  cluster.stop();
}
