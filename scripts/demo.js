#!/usr/bin/env node
// `npm run demo`: ringside's main job on its built-in default, a local sandbox cluster of five
// real Serf agents with gossip encryption and the demo stateful service beside each: who is in the
// cluster, the ring, who owns a few keys, what moves if a node joins, and what a request costs when
// it lands on the owner or on another node (a short routing probe, gated). The sandbox is stopped
// at the end, whatever happens.
//
// ringside itself never installs anything; this demo script does, when serf is missing and it
// runs as root on Debian (it says so first), because the README promises a command that works
// on a fresh machine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (args, options = {}) => spawnSync(process.execPath, [`${root}bin/run.js`, ...args], { stdio: 'inherit', ...options });

function ensureSerf() {
  if (spawnSync('serf', ['version']).status === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) {
    console.error('demo: the sandbox runs real Serf agents: install them with "sudo apt-get install serf" and run the demo again');
    process.exit(4);
  }
  console.error('demo: serf is not installed; installing it with apt-get (Debian package "serf")');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'serf']]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) process.exit(4);
  }
}

ensureSerf();
const stateDir = mkdtempSync(join(tmpdir(), 'ringside-demo-'));
const show = (args) => {
  process.stdout.write(`\n$ ringside ${args.join(' ')}\n`);
  const result = run(args);
  if (result.status !== 0) throw new Error(`ringside ${args[0]} exited ${result.status}`);
};
try {
  show(['sandbox', 'up', '--nodes', '5', '--encrypt', '--service', '--state-dir', stateDir]);
  const state = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
  const source = ['--join', state.agents[0].bind, '--keyring-file', join(stateDir, 'keyring.json')];
  show(['members', ...source]);
  show(['ring', ...source]);
  show(['owner', 'user:42', 'cart:9001', 'session:abc', '--replicas', '2', ...source]);
  show(['plan', '--add', 'sandbox-6=127.0.0.1:7999', '--step-by-step', '--data-bytes', '500GB', '--limit', '6', ...source]);
  const result = join(stateDir, 'bench.json');
  show(['bench', '--probe', 'routing', '--target', 'http://{host}:{port}/kv/{key}', '--port-tag', 'http', '--node-key', 'tag:http', '--rate', '200', '--duration', '3s', '--keys', '20', '-o', result, ...source]);
  show(['gate', '--baseline', result, '--current', result, '--threshold', 'routing-direct.p99<1s', '--threshold', 'routing-routed.errors<1%']);
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exitCode = 1;
} finally {
  process.stdout.write(`\n$ ringside sandbox down\n`);
  run(['sandbox', 'down', '--state-dir', stateDir]);
  rmSync(stateDir, { recursive: true, force: true });
}
