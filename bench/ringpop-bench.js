#!/usr/bin/env node
// The ringpop observer beside ringpop's own tooling, on 5 real ringpop 10.21.0 nodes on loopback
// (started once, converged, then left running for every round); each round, alternating which side
// goes first, every figure comes from fresh processes:
// 1. `ringside members --protocol ringpop --all-views` (seed + every member's /admin/stats) beside
//    the same crawl with the real tchannel 3.10.1 client (test/peers/ringpop/admin-stats.cjs,
//    ringpop-admin's collection step);
// 2. one warm /admin/stats exchange: bench/ringpop-stats-child.js (ringside's TChannel client)
//    beside admin-stats.cjs --repeat 200, both after the same crawl as warm-up, median of 200
//    sequential calls each.
// `ringside --version` is timed too: the CLI's own start-up, which the command figure includes.
// Args: --rounds N (default 3). Prints one JSON document on stdout; bench/run.js renders it.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const peer = `${root}test/peers/ringpop/`;
const NODES = 5;
const ROUNDS = process.argv.includes('--rounds') ? Number(process.argv[process.argv.indexOf('--rounds') + 1]) : 3;

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
  const statsCallUs = { ringside: [], tchannel: [] };
  const ringsideMembers = () => {
    const rs = timedMs(`${root}bin/run.js`, ['members', '--protocol', 'ringpop', '--join', seed, '--all-views', '--json']);
    if (JSON.parse(rs.out).members.length !== NODES) throw new Error('ringside saw the wrong membership');
    command.ringside.push(rs.ms);
  };
  const tchannelMembers = () => {
    const tc = timedMs(`${peer}admin-stats.cjs`, [seed]);
    if (JSON.parse(tc.out).members !== NODES) throw new Error('tchannel saw the wrong membership');
    command.tchannel.push(tc.ms);
  };
  const ringsideStats = () => {
    const out = JSON.parse(timedMs(`${root}bench/ringpop-stats-child.js`, [seed, '--repeat', '200']).out);
    if (out.members !== NODES) throw new Error('ringside saw the wrong membership');
    statsCallUs.ringside.push(out.medianUs);
  };
  const tchannelStats = () => statsCallUs.tchannel.push(JSON.parse(timedMs(`${peer}admin-stats.cjs`, [seed, '--repeat', '200']).out).medianUs);
  for (let r = 0; r < ROUNDS; r++) {
    const pairs = r % 2 === 0 ? [ringsideMembers, tchannelMembers, ringsideStats, tchannelStats] : [tchannelMembers, ringsideMembers, tchannelStats, ringsideStats];
    for (const step of pairs) step();
    command.ringsideStartup.push(timedMs(`${root}bin/run.js`, ['--version']).ms);
  }
  console.log(JSON.stringify({ nodes: NODES, rounds: ROUNDS, commandMs: command, statsCallUs }));
} finally {
  stopAll();
}
