#!/usr/bin/env node
// ringside's side of the ring benchmark, through the public library API (dist/src/index.js), with
// the same inputs as test/peers/ringpop/bench-peer.cjs: server i is "10.0.<i/256>.<i%256>:3000",
// keys are "key-0".."key-<K-1>". Prints one JSON line (same fields as bench-peer). Lookups run
// through bench/lookup-loop.cjs, the loop ringpop's side (bench/ringpop-ring-bench.cjs) runs too:
// the same untimed warm-up pass over the keys, then the same timed loop.
//
//   node bench/ring-bench.js --servers 100 --points 100 --keys 100000 --seconds 3 --reps 5
import { createRequire } from 'node:module';
import { createRing } from '../dist/src/index.js';

const { timeLookups } = createRequire(import.meta.url)('./lookup-loop.cjs');

function parseArgs(argv) {
  const opts = { servers: 100, points: 100, keys: 100000, seconds: 3, reps: 5 };
  for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = Number(argv[i + 1]);
  return opts;
}

export const serverName = (i) => `10.0.${Math.floor(i / 256)}.${i % 256}:3000`;
export const serverNames = (n) => Array.from({ length: n }, (_, i) => serverName(i));
export const keyNames = (k) => Array.from({ length: k }, (_, i) => `key-${i}`);

const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function timeBuild(servers, points, reps) {
  let best = Infinity;
  let first;
  let ring;
  for (let r = 0; r < reps; r++) {
    const start = process.hrtime.bigint();
    ring = createRing({ algorithm: 'ringpop', nodes: servers, vnodes: points });
    const ms = elapsedMs(start);
    first ??= ms;
    best = Math.min(best, ms);
  }
  return { buildMs: best, buildMsFirst: first, ring };
}

export function run(opts) {
  const servers = serverNames(opts.servers);
  const built = timeBuild(servers, opts.points, opts.reps);
  const out = { buildMs: built.buildMs, buildMsFirst: built.buildMsFirst, servers: opts.servers, points: opts.points, keys: opts.keys, seconds: opts.seconds, reps: opts.reps };
  if (opts.seconds > 0) {
    const ring = built.ring;
    Object.assign(out, timeLookups((key) => ring.owner(key), keyNames(opts.keys), opts.seconds));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(run(parseArgs(process.argv.slice(2))))}\n`);
}
