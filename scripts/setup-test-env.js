#!/usr/bin/env node
// Installs what the test suite and benchmarks need beyond npm's own dependencies, so that
// `npm test` works on a fresh machine:
// - the real ringpop 10.21.0 peer (test/peers/ringpop, its own lockfile, no install scripts);
// - a C compiler and Debian's libxxhash, for the independent reference implementations in
//   test/reference, and Debian's serf, the real peer of the observer tests (installed with
//   apt-get when running as root; otherwise it says what to run).
// `--peers-only` skips the Debian packages (the benchmarks need only the peer).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const peersOnly = process.argv.includes('--peers-only');
const DEBIAN_PACKAGES = ['gcc', 'libc6-dev', 'libxxhash-dev', 'serf', 'iptables', 'iproute2', 'openssh-server', 'openssh-client'];

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

function hasSerf() {
  return spawnSync('serf', ['version']).status === 0;
}

// The chaos tests (test/chaos) run iptables, tc and a real sshd/ssh inside network namespaces.
function hasChaosTools() {
  return ['iptables', 'tc', 'ssh', 'ssh-keygen'].every((tool) => spawnSync(tool, ['-V']).error === undefined) && existsSync('/usr/sbin/sshd');
}

function installDebianPackages() {
  if (hasCompilerAndXxhash() && hasSerf() && hasChaosTools()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  if (!isRoot || !hasApt) {
    fail(`the test suite needs a C compiler, libxxhash and serf: run "sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}" and try again`);
  }
  log(`installing ${DEBIAN_PACKAGES.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...DEBIAN_PACKAGES], { stdio: 'inherit', env });
  if (!hasCompilerAndXxhash()) fail('cc still cannot build against libxxhash after installing it');
  if (!hasSerf()) fail('serf still does not run after installing it');
  if (!hasChaosTools()) fail('iptables, tc, ssh or sshd are still missing after installing them');
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) fail(`ringside needs Node 20.18 or newer (this is ${process.version})`);
installPeer(`${root}test/peers/ringpop/`);
if (!peersOnly) installDebianPackages();
