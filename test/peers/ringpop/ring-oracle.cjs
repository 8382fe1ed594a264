#!/usr/bin/env node
'use strict';

// Ring oracle: answers hash-ring questions with ringpop@10.21.0's own HashRing
// (ringpop/lib/ring), so ringside's ring can be checked against the real thing.
//
// stdin  (one JSON document):
//   {
//     "servers": ["127.0.0.1:3000", ...],   // required, addresses as ringpop names them
//     "replicaPoints": 100,                  // optional, ringpop's default is 100
//     "hash": "fingerprint32" | "hash32",    // optional, default "fingerprint32"
//     "keys": ["k1", ...],                   // optional, default []
//     "n": 3,                                // optional: also answer lookupN(key, n)
//     "build": "addRemoveServers" | "addServer"   // optional, default "addRemoveServers"
//   }
// stdout (one JSON document):
//   {
//     "checksum": <ring.checksum>,           // hashFunc(sorted servers joined by ';')
//     "lookup":  [ring.lookup(key) per key], // null only for an empty ring
//     "lookupN": [[ring.lookupN(key, n)] per key]   // only when "n" is given
//   }
//
// The ring is built the way a ringpop node builds it (index.js / lib/ring):
//   new HashRing({replicaPoints, hashFunc}) then ring.addRemoveServers(servers, []).
// "fingerprint32" is what a node started with isCrossPlatform: true uses;
// "hash32" is what useLatestHash32: true uses. farmhash here is 5.x (forced by
// package.json overrides) and has no hash32v1, ringpop's default, so a request
// for it is refused.
//
// Also usable in-process: require('./ring-oracle.cjs').answer(request).
//
// Exit codes: 0 ok, 2 bad request (message on stderr).

var Module = require('module');

// Load HashRing and farmhash exactly as ringpop resolves them (this folder's
// node_modules), wherever this script is started from.
var ringPath = require.resolve('ringpop/lib/ring', { paths: [__dirname] });
var HashRing = require(ringPath);
var farmhash = Module.createRequire(ringPath)('farmhash');

var HASHES = {
    fingerprint32: farmhash.fingerprint32,
    hash32: farmhash.hash32
};

function fail(message) {
    var err = new Error(message);
    err.badRequest = true;
    throw err;
}

function buildRing(servers, replicaPoints, hashName, mode) {
    var hashFunc = HASHES[hashName];
    if (typeof hashFunc !== 'function') {
        fail('unknown or unavailable hash "' + hashName + '" (use fingerprint32 or hash32)');
    }
    var ring = new HashRing({ replicaPoints: replicaPoints, hashFunc: hashFunc });
    if (mode === 'addServer') {
        for (var i = 0; i < servers.length; i++) ring.addServer(servers[i]);
    } else {
        ring.addRemoveServers(servers, []);
    }
    return ring;
}

function answer(req) {
    if (!req || typeof req !== 'object') fail('request must be a JSON object');
    var servers = req.servers;
    if (!Array.isArray(servers) || !servers.every(function (s) { return typeof s === 'string'; })) {
        fail('"servers" must be an array of strings');
    }
    var replicaPoints = req.replicaPoints === undefined ? 100 : req.replicaPoints;
    if (!Number.isInteger(replicaPoints) || replicaPoints < 1) {
        fail('"replicaPoints" must be a positive integer');
    }
    var hashName = req.hash === undefined ? 'fingerprint32' : req.hash;
    var keys = req.keys === undefined ? [] : req.keys;
    if (!Array.isArray(keys) || !keys.every(function (k) { return typeof k === 'string'; })) {
        fail('"keys" must be an array of strings');
    }
    var n = req.n;
    if (n !== undefined && n !== null && (!Number.isInteger(n) || n < 0)) {
        fail('"n" must be a non-negative integer');
    }
    var mode = req.build === undefined ? 'addRemoveServers' : req.build;
    if (mode !== 'addRemoveServers' && mode !== 'addServer') {
        fail('"build" must be "addRemoveServers" or "addServer"');
    }

    var ring = buildRing(servers, replicaPoints, hashName, mode);
    var lookup = new Array(keys.length);
    for (var i = 0; i < keys.length; i++) {
        var owner = ring.lookup(keys[i]);
        lookup[i] = owner === undefined ? null : owner;
    }
    var out = { checksum: ring.checksum, lookup: lookup };
    if (n !== undefined && n !== null) {
        var lookupN = new Array(keys.length);
        for (var j = 0; j < keys.length; j++) lookupN[j] = ring.lookupN(keys[j], n);
        out.lookupN = lookupN;
    }
    return out;
}

function main() {
    var input = require('fs').readFileSync(0, 'utf8');
    var req;
    try {
        req = JSON.parse(input);
    } catch (e) {
        process.stderr.write('ring-oracle: stdin is not JSON: ' + e.message + '\n');
        process.exitCode = 2;
        return;
    }
    var out;
    try {
        out = answer(req);
    } catch (e) {
        if (!e.badRequest) throw e;
        process.stderr.write('ring-oracle: ' + e.message + '\n');
        process.exitCode = 2;
        return;
    }
    process.stdout.write(JSON.stringify(out) + '\n');
}

module.exports = { answer: answer, buildRing: buildRing, HashRing: HashRing, farmhash: farmhash };

if (require.main === module) main();
