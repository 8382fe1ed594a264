#!/usr/bin/env node
'use strict';

// Starts ONE real ringpop 10.21.0 node (tchannel 3.10.1) for ringside's tests:
//
//   node node.cjs --listen 127.0.0.1:30000 --app demo --hosts 127.0.0.1:30000,127.0.0.1:30001
//                 [--hash fingerprint32|seeded] [--suspect-ms 5000] [--faulty-ms 86400000]
//                 [--tombstone-ms 60000] [--heal-period-ms 30000] [--without /admin/stats,...]
//
// - --heal-period-ms: ringpop's discoverProviderHealerPeriod (default 30000, ringpop's own): how
//   often each node may run the partition healer, which rejoins members it holds faulty.
// - isCrossPlatform: true (fingerprint32), as ringpop's own main.js does. `--hash seeded`
//   then swaps the node's hashFunc (ring and membership checksum) for farmhash's
//   hash32WithSeed(s, 0x5eed): a hash no observer can reproduce, standing in for the
//   platform-bound hash32v1 of ringpop's default build.
// - prints one line on stdout once bootstrapped: {"ready":true,"address":...,"pid":...}
// - an in-process query channel on stdin/stdout, one JSON request per line, one JSON answer
//   per line, answered from the node's own objects (not over TChannel):
//     {"q":"members"}            -> {"checksum":n,"members":[{address,status,incarnationNumber}]}
//     {"q":"lookup","keys":[..]} -> {"owners":[..]}
//     {"q":"ring"}               -> {"checksum":n,"servers":[..]}
// - logs go to stderr only when RINGPOP_PEER_DEBUG is set.

var readline = require('readline');
var RingPop = require('ringpop');
var TChannel = require('tchannel');
var farmhash = require('module').createRequire(require.resolve('ringpop')) ('farmhash');

function parseArgs(argv) {
    var out = {};
    for (var i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
    return out;
}

var args = parseArgs(process.argv.slice(2));
if (!args.listen || !args.app || !args.hosts) {
    process.stderr.write('usage: node node.cjs --listen HOST:PORT --app NAME --hosts H:P,H:P [--hash fingerprint32|seeded]\n');
    process.exit(2);
}

var quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
function noop() {}
var logger = process.env.RINGPOP_PEER_DEBUG ? console : quiet;

var tchannel = new TChannel({ logger: logger });
var ringpop = new RingPop({
    app: args.app,
    hostPort: args.listen,
    logger: logger,
    channel: tchannel.makeSubChannel({ serviceName: 'ringpop', trace: false }),
    isCrossPlatform: true,
    discoverProviderHealerPeriod: Number(args['heal-period-ms'] || 30000),
    stateTimeouts: {
        suspect: Number(args['suspect-ms'] || 5000),
        faulty: Number(args['faulty-ms'] || 24 * 60 * 60 * 1000),
        tombstone: Number(args['tombstone-ms'] || 60000)
    }
});

if (args.hash === 'seeded') {
    var seeded = function seeded(s) { return farmhash.hash32WithSeed(String(s), 0x5eed); };
    ringpop.hashFunc = seeded;
    ringpop.ring.hashFunc = seeded;
} else if (args.hash && args.hash !== 'fingerprint32') {
    process.stderr.write('unknown --hash ' + args.hash + '\n');
    process.exit(2);
}

ringpop.setupChannel();
// --without /admin/stats,...: unregister endpoints, as an older or trimmed ringpop would lack them.
if (args.without) {
    args.without.split(',').forEach(function (endpoint) { delete ringpop.channel.handler.endpoints[endpoint]; });
}

var parts = args.listen.split(':');
tchannel.listen(Number(parts[1]), parts[0], function onListening() {
    ringpop.bootstrap({ hosts: args.hosts.split(',') }, function onBootstrap(err) {
        if (err) {
            process.stderr.write('bootstrap failed: ' + err.message + '\n');
            process.exit(1);
        }
        process.stdout.write(JSON.stringify({ ready: true, address: ringpop.whoami(), pid: process.pid }) + '\n');
    });
});

function answer(req) {
    if (req.q === 'members') {
        return {
            checksum: ringpop.membership.checksum,
            members: ringpop.membership.members.map(function (m) {
                return { address: m.address, status: m.status, incarnationNumber: m.incarnationNumber };
            })
        };
    }
    if (req.q === 'lookup') return { owners: req.keys.map(function (k) { return ringpop.lookup(k); }) };
    if (req.q === 'ring') return { checksum: ringpop.ring.checksum, servers: ringpop.ring.getServers ? ringpop.ring.getServers() : Object.keys(ringpop.ring.servers) };
    return { error: 'unknown query' };
}

readline.createInterface({ input: process.stdin }).on('line', function (line) {
    var out;
    try {
        out = answer(JSON.parse(line));
    } catch (e) {
        out = { error: e.message };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
});
process.stdin.on('end', function () { process.exit(0); });
process.on('SIGTERM', function () { process.exit(0); });
