#!/usr/bin/env node
'use strict';
// ringpop 10.21.0's side of the ring benchmark: its own HashRing, built exactly as
// test/peers/ringpop/bench-peer.cjs builds it (timeBuild: new HashRing with farmhash fingerprint32,
// then addRemoveServers), with lookups through bench/lookup-loop.cjs -- the loop and the warm-up
// ringside's side (bench/ring-bench.js) runs too, so both get the same warm-up. bench-peer's own
// lookup loop starts the clock with no warm-up pass, which ringside's did have.
// Same arguments and output fields as bench/ring-bench.js:
//   node bench/ringpop-ring-bench.cjs --servers 100 --points 100 --keys 100000 --seconds 3 --reps 5

const path = require('node:path');
const peer = require(path.join(__dirname, '..', 'test', 'peers', 'ringpop', 'bench-peer.cjs'));
const { timeLookups } = require('./lookup-loop.cjs');

const opts = { servers: 100, points: 100, keys: 100000, seconds: 3, reps: 5 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = Number(argv[i + 1]);

const built = peer.timeBuild({ servers: opts.servers, points: opts.points, reps: Math.max(1, opts.reps) });
const out = { buildMs: built.buildMs, buildMsFirst: built.buildMsFirst, checksum: built.checksum, servers: opts.servers, points: opts.points, keys: opts.keys, seconds: opts.seconds, reps: opts.reps };
if (opts.seconds > 0) {
  const ring = built.ring;
  Object.assign(out, timeLookups((key) => ring.lookup(key), peer.keyNames(opts.keys), opts.seconds));
}
process.stdout.write(JSON.stringify(out) + '\n');
