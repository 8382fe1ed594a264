#!/usr/bin/env node
// Faults on many hosts at once (issue 15): a halves partition of HOSTS network-namespace hosts on a
// bridge (`--on netns:...`), applied with chaos's default fan-out (every host planned, checked and
// armed concurrently, the rules going on together) and with `--parallel 1` (one host after
// another, as chaos did before), each a fresh `ringside chaos partition --detach` process,
// alternating which goes first, for --rounds N (default 3). Per run: the spread between the first
// and the last host changed (the fault report's spreadMs), the apply's wall time, and `chaos heal`'s.
// Needs root (namespaces); cleans up its namespaces and bridge whatever happens.
// Prints one JSON document on stdout.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const ROUNDS = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 3;
const HOSTS = argv.includes('--hosts') ? Number(argv[argv.indexOf('--hosts') + 1]) : 8;
const id = `f${process.pid % 100000}`;
const bridge = `rsb${id}`;
const net = '10.233.0';
const hosts = Array.from({ length: HOSTS }, (_, i) => ({ ns: `rs${id}h${i}`, ip: `${net}.${i + 2}`, veth: `rs${id}v${i}`, peer: `rs${id}p${i}` }));

const run = (cmd) => execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tryRun = (cmd) => spawnSync(cmd[0], cmd.slice(1), { stdio: 'ignore' });

function createHosts() {
  run(['ip', 'link', 'add', bridge, 'type', 'bridge']);
  run(['ip', 'addr', 'add', `${net}.1/24`, 'dev', bridge]);
  run(['ip', 'link', 'set', bridge, 'up']);
  for (const h of hosts) {
    run(['ip', 'netns', 'add', h.ns]);
    run(['ip', 'link', 'add', h.veth, 'type', 'veth', 'peer', 'name', h.peer]);
    run(['ip', 'link', 'set', h.peer, 'netns', h.ns]);
    run(['ip', 'link', 'set', h.veth, 'master', bridge, 'up']);
    run(['ip', 'netns', 'exec', h.ns, 'ip', 'addr', 'add', `${h.ip}/24`, 'dev', h.peer]);
    run(['ip', 'netns', 'exec', h.ns, 'ip', 'link', 'set', h.peer, 'up']);
    run(['ip', 'netns', 'exec', h.ns, 'ip', 'link', 'set', 'lo', 'up']);
  }
}

function destroyHosts() {
  for (const h of hosts) tryRun(['ip', 'netns', 'del', h.ns]);
  tryRun(['ip', 'link', 'del', bridge]);
}

function ringside(args) {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, [`${root}bin/run.js`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { out, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** One partition applied and healed; the rules must be on every host between the two. */
function partition(journal, parallel) {
  const on = hosts.flatMap((h) => ['--on', `netns:${h.ns}`]);
  const apply = ringside(['chaos', 'partition', '--topology', 'halves', '--nodes', hosts.map((h) => h.ip).join(','), ...on, '--journal', journal, '--detach', '--json', ...(parallel ? [] : ['--parallel', '1'])]);
  const report = JSON.parse(apply.out);
  const withRules = hosts.filter((h) => run(['ip', 'netns', 'exec', h.ns, 'iptables-save']).includes(':RINGSIDE-')).length;
  if (withRules !== HOSTS) throw new Error(`the partition is on ${withRules} of ${HOSTS} hosts`);
  const heal = ringside(['chaos', 'heal', '--journal', journal]);
  const left = hosts.filter((h) => run(['ip', 'netns', 'exec', h.ns, 'iptables-save']).includes(':RINGSIDE-')).length;
  if (left !== 0) throw new Error(`heal left rules on ${left} hosts`);
  return { spreadMs: report.spreadMs, applyMs: apply.ms, healMs: heal.ms };
}

const journal = mkdtempSync(join(tmpdir(), 'ringside-fanout-bench-'));
process.on('exit', () => {
  destroyHosts();
  rmSync(journal, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
createHosts();
const all = [];
const sequential = [];
for (let r = 0; r < ROUNDS; r++) {
  const steps = [() => all.push(partition(journal, true)), () => sequential.push(partition(journal, false))];
  for (const step of r % 2 === 0 ? steps : steps.reverse()) step();
}
process.stdout.write(`${JSON.stringify({ hosts: HOSTS, rounds: ROUNDS, all, sequential })}\n`);
