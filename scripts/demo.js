#!/usr/bin/env node
// `npm run demo`: ringside's main job on its built-in default, a local sandbox cluster of five
// real Serf agents with gossip encryption and the demo stateful service beside each: who is in the
// cluster, the ring, who owns a few keys, what moves if a node joins, and what a request costs when
// it lands on the owner or on another node: a baseline routing probe, a second probe gated against
// it (a real comparison of two runs, as a CI job makes), and a third probe during which the service
// owning the most probed keys stalls for two seconds, whose gate fails with exit code 1 as CI
// would. The sandbox is stopped at the end, whatever happens.
//
// ringside itself never installs anything; this demo script does, when serf is missing and it
// runs as root on Debian (it says so first), because the README promises a command that works
// on a fresh machine.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
/** Like show, but asynchronous, so timers (the stall) fire while ringside runs. */
const showAsync = (args) =>
  new Promise((resolve, reject) => {
    process.stdout.write(`\n$ ringside ${args.join(' ')}\n`);
    const child = spawn(process.execPath, [`${root}bin/run.js`, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ringside ${args[0]} exited ${code}`))));
  });
try {
  show(['sandbox', 'up', '--nodes', '5', '--encrypt', '--service', '--state-dir', stateDir]);
  const state = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
  const source = ['--join', state.agents[0].bind, '--keyring-file', join(stateDir, 'keyring.json')];
  show(['members', ...source]);
  show(['ring', ...source]);
  show(['owner', 'user:42', 'cart:9001', 'session:abc', '--replicas', '2', ...source]);
  show(['plan', '--add', 'sandbox-6=127.0.0.1:7999', '--step-by-step', '--data-bytes', '500GB', '--limit', '6', ...source]);
  const bench = (name) => {
    const file = join(stateDir, `${name}.json`);
    return { file, args: ['bench', '--probe', 'routing', '--target', 'http://{host}:{port}/kv/{key}', '--port-tag', 'http', '--node-key', 'tag:http', '--rate', '200', '--duration', '3s', '--keys', '20', '-o', file, ...source] };
  };
  const gate = (baseline, current) => ['gate', '--baseline', baseline, '--current', current, '--threshold', 'routing-direct.max<1.5s', '--threshold', 'routing-routed.errors<1%', '--max-regression', '25%', '--slack', '2ms'];
  const baseline = bench('baseline');
  show(baseline.args);
  const second = bench('second');
  show(second.args);
  show(gate(baseline.file, second.file));
  // The same probe while the service that owns the most probed keys is frozen (SIGSTOP) for 2 s,
  // from the moment the probe's first request arrives (a slow start on a loaded machine must not
  // shift the stall out of the probe): its requests wait.
  const stats = await Promise.all(state.services.map(async (s) => ({ ...s, ...(await (await fetch(`${s.url}/stats`)).json()) })));
  const service = stats.reduce((a, b) => (b.served > a.served ? b : a));
  const witness = stats.find((s) => s.name !== service.name);
  process.stdout.write(`\n$ kill -STOP ${service.pid}   # ${service.name}'s service (owner of the most probed keys) stalls for 2 s once the next probe sends\n`);
  const stalled = bench('stalled');
  /** Key requests a service has answered or forwarded (its `requests` counts these /stats calls too). */
  const requestsOf = async (s) => {
    const { served, forwarded } = await (await fetch(`${s.url}/stats`)).json();
    return served + forwarded;
  };
  const before = await requestsOf(witness);
  const probe = showAsync(stalled.args);
  const ended = probe.then(
    () => true,
    () => true,
  );
  const stall = (async () => {
    while ((await requestsOf(witness)) === before) if (await Promise.race([ended, sleep(10).then(() => false)])) return;
    process.kill(service.pid, 'SIGSTOP');
    try {
      await sleep(2000);
    } finally {
      process.kill(service.pid, 'SIGCONT');
    }
  })();
  try {
    await probe;
  } finally {
    await stall.catch(() => {});
    process.kill(service.pid, 'SIGCONT');
  }
  const failing = gate(baseline.file, stalled.file);
  process.stdout.write(`\n$ ringside ${failing.join(' ')}\n`);
  const code = run(failing).status;
  process.stdout.write(`gate exited ${code}: ${code === 1 ? 'the stalled run fails the gate, as it would fail a CI job' : 'UNEXPECTED (the stalled run should fail the gate)'}\n`);
  if (code !== 1) throw new Error(`the gate on the stalled run exited ${code}, not 1`);
} catch (error) {
  console.error(`demo: ${error.message}`);
  process.exitCode = 1;
} finally {
  process.stdout.write(`\n$ ringside sandbox down\n`);
  run(['sandbox', 'down', '--state-dir', stateDir]);
  rmSync(stateDir, { recursive: true, force: true });
}
