#!/usr/bin/env node
// Start-up cost of the CLI and of the library's subpaths, as whole processes beside bare Node:
// each round runs `node -e 0` and every command once, in an order that rotates from round to
// round, and a command's overhead in a round is its wall time minus `node -e 0`'s in that round.
// Prints one JSON line: per command the wall times and overheads of every round, and the top
// entries of a CPU profile of `owner` (self time by module) so a regression says where it went.
//
//   node bench/startup-bench.js [--rounds N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 11;
// Another Node binary for every process (`--node PATH`; bench/run.js fetches Node 22 and 24).
const nodeBin = argv.includes('--node') ? argv[argv.indexOf('--node') + 1] : process.execPath;
const run = `${root}bin/run.js`;
const members = `${root}examples/cluster.txt`;

export const COMMANDS = {
  bare: ['-e', '0'],
  owner: [run, 'owner', 'user:42', '--members', members],
  ring: [run, 'ring', '--members', members],
  plan: [run, 'plan', '--add', 'cache-9=10.0.9.9:3000', '--members', members],
  help: [run, '--help'],
  importRing: ['--input-type=module', '-e', "await import('ringside/ring')"],
  importRoot: ['--input-type=module', '-e', "await import('ringside')"],
};

function wallMs(args) {
  const start = process.hrtime.bigint();
  execFileSync(nodeBin, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Self time of a CPU profile grouped by where the code lives (a package, a dist directory, Node itself). */
function profileTop(args, top = 8) {
  const dir = mkdtempSync(join(tmpdir(), 'ringside-prof-'));
  try {
    execFileSync(nodeBin, ['--cpu-prof', '--cpu-prof-dir', dir, ...args], { cwd: root, stdio: 'ignore' });
    const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8'));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    // A sample in Node's module loader is charged to the nearest frame of ours or of a package
    // above it: "@oclif/core" then includes compiling and linking the modules it requires.
    const whereOf = (id) => {
      for (let n = byId.get(id); n; n = byId.get(parent.get(n.id))) {
        const url = n.callFrame.url;
        if (url === '' || url.startsWith('node:')) continue;
        return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url.replace(/^file:\/\//, '').replace(root, '').replace(/\/[^/]+$/, '/');
      }
      return '(node start-up)';
    };
    const selfUs = new Map();
    for (let i = 0; i < profile.samples.length; i++) {
      const where = whereOf(profile.samples[i]);
      selfUs.set(where, (selfUs.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    return [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, top).map(([where, us]) => ({ where, ms: Math.round(us / 100) / 10 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const names = Object.keys(COMMANDS);
for (const name of names) wallMs(COMMANDS[name]); // warm the file cache, as an operator's second run is
const wall = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) {
  const order = names.map((_, i) => names[(i + r) % names.length]);
  for (const name of order) wall[name].push(wallMs(COMMANDS[name]));
}
const overhead = Object.fromEntries(names.filter((n) => n !== 'bare').map((n) => [n, wall[n].map((ms, r) => ms - wall.bare[r])]));
const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim();
console.log(JSON.stringify({ nodeVersion, rounds, wall, overhead, ownerProfile: profileTop(COMMANDS.owner) }));
