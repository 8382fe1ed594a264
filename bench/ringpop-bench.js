#!/usr/bin/env node
// The ringpop observer beside ringpop's own tooling, on 5 real ringpop 10.21.0 nodes on loopback:
// 1. `ringside members --protocol ringpop --all-views` (seed + every member's /admin/stats) beside
//    the same crawl with the real tchannel 3.10.1 client (test/peers/ringpop/admin-stats.cjs,
//    ringpop-admin's collection step), both as fresh processes, median of 5;
// 2. one warm /admin/stats exchange in-process: ringside's TChannel client beside tchannel's,
//    median of 200 sequential calls.
// `ringside --version` is timed too: the CLI's own start-up, which the command figure includes.
// Prints one JSON document on stdout; bench/run.js renders it.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TChannelConnection } from '../dist/src/protocols/tchannel/client.js';
import { fetchStats } from '../dist/src/protocols/ringpop/calls.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const peer = `${root}test/peers/ringpop/`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const NODES = 5;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const addresses = [];
for (let i = 0; i < NODES; i++) addresses.push(`127.0.0.1:${await freePort()}`);
const children = addresses.map((a) => spawn(process.execPath, [`${peer}node.cjs`, '--listen', a, '--app', 'bench', '--hosts', addresses.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] }));
const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
process.on('exit', stopAll);
try {
  const ask = children.map((c) => {
    const waiting = [];
    let ready;
    const readyP = new Promise((r) => (ready = r));
    createInterface({ input: c.stdout }).on('line', (l) => (l.startsWith('{"ready"') ? ready() : waiting.shift()?.(JSON.parse(l))));
    return { readyP, members: () => new Promise((r) => (waiting.push(r), c.stdin.write('{"q":"members"}\n'))) };
  });
  await Promise.all(ask.map((a) => a.readyP));
  for (const end = Date.now() + 30_000; ; ) {
    const views = await Promise.all(ask.map((a) => a.members()));
    if (views.every((v) => v.checksum === views[0].checksum && v.members.length === NODES && v.members.every((m) => m.status === 'alive'))) break;
    if (Date.now() > end) throw new Error('ringpop nodes did not converge');
    await new Promise((r) => setTimeout(r, 100));
  }
  const seed = addresses[0];
  const timedMs = (file, args) => {
    const t = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [file, ...args], { cwd: root, encoding: 'utf8' });
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, out };
  };
  const command = { ringside: [], tchannel: [], ringsideStartup: [] };
  for (let r = 0; r < 5; r++) {
    const rs = timedMs(`${root}bin/run.js`, ['members', '--protocol', 'ringpop', '--join', seed, '--all-views', '--json']);
    if (JSON.parse(rs.out).members.length !== NODES) throw new Error('ringside saw the wrong membership');
    command.ringside.push(rs.ms);
    const tc = timedMs(`${peer}admin-stats.cjs`, [seed]);
    if (JSON.parse(tc.out).members !== NODES) throw new Error('tchannel saw the wrong membership');
    command.tchannel.push(tc.ms);
    command.ringsideStartup.push(timedMs(`${root}bin/run.js`, ['--version']).ms);
  }
  const [host, port] = seed.split(':');
  const connection = await TChannelConnection.connect({ host, port: Number(port), timeoutMs: 5000 });
  const samples = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await fetchStats(connection, 5000);
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  connection.close();
  const peerRepeat = JSON.parse(execFileSync(process.execPath, [`${peer}admin-stats.cjs`, seed, '--repeat', '200'], { encoding: 'utf8' }));
  console.log(JSON.stringify({ nodes: NODES, commandMs: { ringside: median(command.ringside), tchannel: median(command.tchannel), ringsideStartup: median(command.ringsideStartup) }, statsCallUs: { ringside: median(samples), tchannel: peerRepeat.medianUs } }));
} finally {
  stopAll();
}
