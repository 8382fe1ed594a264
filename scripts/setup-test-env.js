#!/usr/bin/env node
// Installs what the test suite and benchmarks need beyond npm's own dependencies, so that
// `npm test` works on a fresh machine:
// - the real ringpop 10.21.0 peer (test/peers/ringpop, its own lockfile, no install scripts);
// - the peers in other languages (Serf 0.10, memberlist, ringpop-go, HdrHistogram's Java reader),
//   built by scripts/build-peers.js from the Go module proxy and Maven Central;
// - the Debian packages in DEBIAN_PACKAGES below, each with what it is for and how its presence is
//   checked (installed with apt-get when running as root; otherwise it says what to run).
// `--peers-only` skips the Debian packages (the benchmarks need only the peer).
// `--bench` also installs Debian's wrk, the latency probes' reference in bench/probe-bench.js
// (without it, that benchmark skips wrk's rows and says why).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPeers } from './build-peers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const peersOnly = process.argv.includes('--peers-only');
const BENCH_PACKAGES = ['wrk'];

/** Debian packages the test suite needs: [package, what for, a command that succeeds when present]. */
const DEBIAN_PACKAGES = [
  ['gcc', 'compiles the C reference implementations in test/reference', hasCompilerAndXxhash],
  ['libc6-dev', 'the same', hasCompilerAndXxhash],
  ['libxxhash-dev', 'xxHash for the maglev and rendezvous references', hasCompilerAndXxhash],
  ['serf', 'the real peer of the observer tests', () => runs('serf', ['version'])],
  ['libxml2-utils', "xmllint, the independent parser the gate's JUnit output is checked with", () => runs('xmllint', ['--version'])],
  ['openssl', "makes the https probe tests' self-signed certificate", () => runs('openssl', ['version'])],
  ['tmux', 'the real terminal the dashboard is tested in', () => runs('tmux', ['-V'])],
  // The chaos tests (test/chaos) run iptables, tc and a real sshd/ssh inside network namespaces.
  ['iptables', 'the chaos tests apply faults with it', () => present('iptables')],
  ['iproute2', 'ip netns, veth, bridges and tc for the chaos tests', () => present('ip') && present('tc')],
  ['openssh-server', "sshd, the chaos tests' ssh executor target", () => existsSync('/usr/sbin/sshd')],
  ['openssh-client', 'ssh and ssh-keygen for the ssh executor', () => present('ssh') && present('ssh-keygen')],
  ['nftables', 'nft, for the nft-only host of the chaos tests', () => present('nft')],
  ['sudo', "sudo and visudo, for the chaos tests' deploy user with passwordless sudo", () => present('sudo') && existsSync('/usr/sbin/visudo')],
  ['iputils-ping', 'ping, for the chaos tests that measure delay', () => present('ping')],
];

function runs(command, args) {
  return spawnSync(command, args).status === 0;
}

/** The command exists (whatever it answers to -V). */
function present(command) {
  return spawnSync(command, ['-V']).error === undefined;
}

function log(message) {
  process.stderr.write(`setup: ${message}\n`);
}

function fail(message) {
  process.stderr.write(`setup: ${message}\n`);
  process.exit(1);
}

function installPeer(dir) {
  const lock = `${dir}package-lock.json`;
  const stamp = `${dir}node_modules/.ringside-installed`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(statSync(lock).mtimeMs)) return;
  log(`installing the peer in ${dir.slice(root.length)} (npm ci --ignore-scripts)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) fail(`npm ci failed in ${dir}`);
  writeFileSync(stamp, String(statSync(lock).mtimeMs));
}

function hasCompilerAndXxhash() {
  const probe = spawnSync('cc', ['-x', 'c', '-o', '/dev/null', '-', '-lxxhash'], {
    input: '#include <xxhash.h>\nint main(void){return (int)XXH64("",0,0)&0;}\n',
    encoding: 'utf8',
  });
  return probe.status === 0;
}

function installDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter(([, , present]) => !present());
  if (missing.length === 0) return;
  const names = [...new Set(missing.map(([name]) => name))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  if (!isRoot || !hasApt) {
    fail(`the test suite needs ${names.join(', ')}: run "sudo apt-get install -y ${names.join(' ')}" and try again`);
  }
  log(`installing ${names.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env });
  for (const [name, why, present] of missing) if (!present()) fail(`${name} (${why}) still does not work after installing it`);
}

function installBenchPackages() {
  if (spawnSync('wrk', ['--version']).error === undefined) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) {
    log(`wrk is missing: the probe benchmark will skip its rows (run "sudo apt-get install -y ${BENCH_PACKAGES.join(' ')}")`);
    return;
  }
  log(`installing ${BENCH_PACKAGES.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...BENCH_PACKAGES], { stdio: 'inherit', env });
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) fail(`ringside needs Node 20.18 or newer (this is ${process.version})`);
// Under CI every suite runs, and the namespace, iptables and tc suites need root: say so up front
// rather than have them fail one by one (test/support/summary-reporter.ts fails the run on a skip).
const ci = process.env.CI !== undefined && !['', 'false', '0'].includes(process.env.CI);
if (ci && !peersOnly && typeof process.getuid === 'function' && process.getuid() !== 0) {
  fail('under CI the suite runs every test, and the chaos and partition suites need root (network namespaces, iptables, tc): run it as root');
}
installPeer(`${root}test/peers/ringpop/`);
if (!peersOnly) installDebianPackages();
if (process.argv.includes('--bench')) installBenchPackages();
if (!peersOnly) {
  try {
    await buildPeers();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}
