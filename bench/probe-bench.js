#!/usr/bin/env node
// The latency probes beside autocannon (npm) and wrk (Debian) against one Node no-op HTTP
// server in its own process, each tool in fresh processes, rounds alternating, median shown:
// 1. max throughput of the warm probe with one worker on 1 and 10 connections (goal: at least
//    autocannon's), and with 2 workers (scaling);
// 2. self-overhead: p50 on one connection, closed loop (goal: at most 2x wrk's), in µs.
// Rounds: PROBE_BENCH_ROUNDS (default 3), seconds per run: PROBE_BENCH_SECONDS (default 4).
// Prints one JSON line with every run's figures; bench/run.js renders it (bench/report.js).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.PROBE_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.PROBE_BENCH_SECONDS ?? 4);

function startServer() {
  const script = "const s=require('node:http').createServer((q,r)=>r.end('ok'));s.keepAliveTimeout=60000;s.listen(0,'127.0.0.1',()=>console.log(s.address().port))";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) })));
}

/** "wrk 4.1.0" from `wrk --version` ("wrk debian/4.1.0-3+b2 [epoll] ..."; it exits 1 but runs), or null when wrk is missing. */
function wrkVersion() {
  const run = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (run.error !== undefined) return null;
  const version = /wrk (?:debian\/)?([\d.]+)/.exec(`${run.stdout}${run.stderr}`)?.[1];
  return version === undefined ? 'wrk' : `wrk ${version}`;
}

function ringside(url, connections, workers) {
  const out = execFileSync(process.execPath, [`${root}bin/run.js`, 'bench', '--target', url, '--rate', '0', '--duration', `${SECONDS}s`, '--probe', 'warm', '--connections', String(connections), '--workers', String(workers), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const warm = JSON.parse(out).probes.warm;
  return { rps: warm.rate, p50Us: warm.uncorrected.p50 * 1000, errors: warm.errors };
}

function autocannon(url, connections) {
  const out = execFileSync(`${root}node_modules/.bin/autocannon`, ['-c', String(connections), '-d', String(SECONDS), '--json', url], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  const r = JSON.parse(out);
  return { rps: r.requests.total / r.duration, p50Us: r.latency.p50 * 1000, errors: r.errors + r.non2xx };
}

function wrk(url, connections) {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--latency', url], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const [, value, unit] = /50%\s+([\d.]+)(us|ms|s)/.exec(out);
  return { rps, p50Us: Number(value) * { us: 1, ms: 1000, s: 1e6 }[unit] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { child, port } = await startServer();
  const url = `http://127.0.0.1:${port}/kv/key-1`;
  const wrkName = wrkVersion();
  const withWrk = wrkName !== null;
  const runs = { ringside1: [], ringside10: [], ringside10w2: [], autocannon1: [], autocannon10: [], wrk1: [], wrk10: [] };
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const steps = [
        () => runs.autocannon1.push(autocannon(url, 1)),
        () => runs.ringside1.push(ringside(url, 1, 1)),
        ...(withWrk ? [() => runs.wrk1.push(wrk(url, 1))] : []),
        () => runs.autocannon10.push(autocannon(url, 10)),
        () => runs.ringside10.push(ringside(url, 10, 1)),
        () => runs.ringside10w2.push(ringside(url, 10, Math.min(2, availableParallelism()))),
        ...(withWrk ? [() => runs.wrk10.push(wrk(url, 10))] : []),
      ];
      // Alternate which tool goes first from round to round.
      for (const step of r % 2 === 0 ? steps : steps.reverse()) step();
    }
  } finally {
    child.kill();
  }
  const m = (name, field) => (runs[name].length > 0 ? median(runs[name].map((x) => x[field])) : null);
  const summary = {
    node: process.version,
    rounds: ROUNDS,
    seconds: SECONDS,
    wrk: wrkName,
    wrkSkipped: withWrk ? null : 'wrk is not installed (apt-get install wrk, or npm run bench as root installs it)',
    rps: {
      ringside1: m('ringside1', 'rps'),
      ringside10: m('ringside10', 'rps'),
      ringside10w2: m('ringside10w2', 'rps'),
      autocannon1: m('autocannon1', 'rps'),
      autocannon10: m('autocannon10', 'rps'),
      wrk1: m('wrk1', 'rps'),
      wrk10: m('wrk10', 'rps'),
    },
    p50Us: { ringside: m('ringside1', 'p50Us'), autocannon: m('autocannon1', 'p50Us'), wrk: m('wrk1', 'p50Us') },
    errors: runs.ringside1.concat(runs.ringside10, runs.ringside10w2).reduce((s, x) => s + x.errors, 0),
    runs,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
