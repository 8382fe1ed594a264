#!/usr/bin/env node
'use strict';

// Benchmark of ringpop@10.21.0's own HashRing (ringpop/lib/ring), the baseline
// ringside's ring is compared against. Prints one JSON line:
//
//   {"buildMs":..., "buildMsFirst":..., "lookupsPerSec":..., "servers":N, "points":P, "checksum":...,
//    "keys":K, "seconds":S, "reps":R, "hash":"fingerprint32", "lookups":..., "node":"v20..."}
//
// Usage:
//   node bench-peer.cjs --servers 100 --points 100 --keys 100000 --seconds 3 [--reps 5]
//
//   --servers N   ring size (default 100, at most 65536)
//   --points P    replica points per server (default 100, ringpop's default)
//   --keys K      distinct lookup keys "key-0" .. "key-<K-1>" (default 100000)
//   --seconds S   how long to loop lookups over the keys (default 3; 0 skips the
//                 lookup phase, lookupsPerSec is then null)
//   --reps R      ring builds timed; buildMs is the best (default 5)
//
// Deterministic inputs: server i (0-based) is named
//   "10.0.<floor(i / 256)>.<i % 256>:3000"
// (10.0.0.0:3000, 10.0.0.1:3000, ..., 10.0.3.231:3000 for i = 999). These are
// only strings hashed into the ring; nothing is ever sent to them.
// The ring is built as a ringpop node builds it: new HashRing({replicaPoints,
// hashFunc: farmhash.fingerprint32}) (isCrossPlatform: true), then
// addRemoveServers(servers, []). buildMs covers both (hashing N*P points,
// red-black tree inserts and the checksum). Times use process.hrtime.bigint().
// checksum is ring.checksum (farmhash fingerprint32 of the sorted server
// names joined by ';'), to tie the figures to one exact ring.
//
// In-process use (e.g. to time a build of 1,000 servers):
//   const bench = require('./bench-peer.cjs');
//   bench.timeBuild({ servers: 1000, points: 100, reps: 3 })
//     // -> { buildMs, buildMsFirst, checksum, ring }
//   bench.run({ servers: 1000, points: 100, keys: 1000, seconds: 0 })
//     // -> the same object the CLI prints

var Module = require('module');

var ringPath = require.resolve('ringpop/lib/ring', { paths: [__dirname] });
var HashRing = require(ringPath);
var farmhash = Module.createRequire(ringPath)('farmhash');

var DEFAULTS = { servers: 100, points: 100, keys: 100000, seconds: 3, reps: 5 };

function serverName(i) {
    return '10.0.' + Math.floor(i / 256) + '.' + (i % 256) + ':3000';
}

function serverNames(n) {
    if (!Number.isInteger(n) || n < 0 || n > 65536) {
        throw new RangeError('servers must be an integer in [0, 65536]');
    }
    var out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = serverName(i);
    return out;
}

function keyNames(k) {
    var out = new Array(k);
    for (var i = 0; i < k; i++) out[i] = 'key-' + i;
    return out;
}

function buildRing(servers, points) {
    var ring = new HashRing({ replicaPoints: points, hashFunc: farmhash.fingerprint32 });
    ring.addRemoveServers(servers, []);
    return ring;
}

function elapsedMs(startNs) {
    return Number(process.hrtime.bigint() - startNs) / 1e6;
}

// Builds the ring `reps` times; buildMs is the best build time (ms),
// buildMsFirst the first (cold, before the JIT has warmed up).
function timeBuild(opts) {
    opts = Object.assign({}, DEFAULTS, opts);
    var servers = serverNames(opts.servers);
    var best = Infinity;
    var first = null;
    var ring = null;
    for (var r = 0; r < Math.max(1, opts.reps); r++) {
        var t0 = process.hrtime.bigint();
        ring = buildRing(servers, opts.points);
        var ms = elapsedMs(t0);
        if (first === null) first = ms;
        if (ms < best) best = ms;
    }
    return { buildMs: best, buildMsFirst: first, checksum: ring.checksum, ring: ring };
}

// Loops ring.lookup over the keys, whole passes at a time (in chunks of at
// most 4096 between clock reads), until `seconds` have elapsed.
function timeLookups(ring, keys, seconds) {
    var budgetNs = BigInt(Math.round(seconds * 1e9));
    var chunk = Math.min(keys.length, 4096);
    var lookups = 0;
    var sink = 0;
    var i = 0;
    var t0 = process.hrtime.bigint();
    var elapsed = 0n;
    do {
        for (var c = 0; c < chunk; c++) {
            var owner = ring.lookup(keys[i]);
            sink = (sink + owner.length) | 0;
            if (++i === keys.length) i = 0;
        }
        lookups += chunk;
        elapsed = process.hrtime.bigint() - t0;
    } while (elapsed < budgetNs);
    var secs = Number(elapsed) / 1e9;
    return { lookups: lookups, elapsedSec: secs, lookupsPerSec: lookups / secs, sink: sink };
}

function run(opts) {
    opts = Object.assign({}, DEFAULTS, opts);
    var built = timeBuild(opts);
    var result = {
        buildMs: round(built.buildMs, 3),
        buildMsFirst: round(built.buildMsFirst, 3),
        lookupsPerSec: null,
        servers: opts.servers,
        points: opts.points,
        checksum: built.checksum,
        keys: opts.keys,
        seconds: opts.seconds,
        reps: opts.reps,
        hash: 'fingerprint32',
        lookups: 0,
        node: process.version
    };
    if (opts.seconds > 0 && opts.keys > 0 && opts.servers > 0) {
        var timed = timeLookups(built.ring, keyNames(opts.keys), opts.seconds);
        result.lookupsPerSec = Math.round(timed.lookupsPerSec);
        result.lookups = timed.lookups;
    }
    return result;
}

function round(x, digits) {
    var f = Math.pow(10, digits);
    return Math.round(x * f) / f;
}

function parseArgs(argv) {
    var opts = {};
    for (var i = 0; i < argv.length; i++) {
        var m = /^--(servers|points|keys|seconds|reps)(?:=(.*))?$/.exec(argv[i]);
        if (!m) throw new Error('unknown argument: ' + argv[i]);
        var raw = m[2] !== undefined ? m[2] : argv[++i];
        var v = Number(raw);
        if (raw === undefined || !isFinite(v) || v < 0) {
            throw new Error('bad value for --' + m[1] + ': ' + raw);
        }
        if (m[1] !== 'seconds' && !Number.isInteger(v)) {
            throw new Error('--' + m[1] + ' must be an integer');
        }
        opts[m[1]] = v;
    }
    return opts;
}

module.exports = {
    serverName: serverName,
    serverNames: serverNames,
    keyNames: keyNames,
    buildRing: buildRing,
    timeBuild: timeBuild,
    timeLookups: timeLookups,
    run: run,
    HashRing: HashRing,
    farmhash: farmhash
};

if (require.main === module) {
    var opts;
    try {
        opts = parseArgs(process.argv.slice(2));
        serverNames(opts.servers === undefined ? DEFAULTS.servers : opts.servers);
    } catch (e) {
        process.stderr.write('bench-peer: ' + e.message + '\n');
        process.exit(2);
    }
    process.stdout.write(JSON.stringify(run(opts)) + '\n');
}
