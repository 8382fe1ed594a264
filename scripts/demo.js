#!/usr/bin/env node
// `npm run demo`: ringside's main job on the example membership shipped in examples/ (until the
// live-cluster observer lands): the ring's balance, who owns a few keys, and what moves when a
// node joins, step by step, with bytes.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const members = `${root}examples/cluster.txt`;
const steps = [
  ['ring', '--members', members],
  ['owner', 'user:42', 'cart:9001', 'session:abc', '--replicas', '2', '--members', members],
  ['plan', '--add', 'cache-7=10.0.3.17:3000', '--step-by-step', '--data-bytes', '600GB', '--limit', '8', '--members', members],
];
for (const args of steps) {
  process.stdout.write(`\n$ ringside ${args.map((a) => (a === members ? 'examples/cluster.txt' : a)).join(' ')}\n`);
  const result = spawnSync(process.execPath, [`${root}bin/run.js`, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
