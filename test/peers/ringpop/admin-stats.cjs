#!/usr/bin/env node
'use strict';

// The baseline for `ringside members --protocol ringpop`: what ringpop-admin does to read a
// cluster, with the real tchannel 3.10.1 client: call /admin/stats (as=raw, cn=ringpop-admin) on a
// seed, then on every member it lists (5 at a time), and print the membership.
//
//   node admin-stats.cjs HOST:PORT            -> {"members":N,"checksums":[...],"ms":T}
//   node admin-stats.cjs HOST:PORT --repeat N -> also {"medianUs":...}: N sequential
//                                                /admin/stats calls to the seed, warm
//
// ringpop-admin itself is not on the npm registry (ringpop.md 5), so this script stands in
// for its collection step.

var TChannel = require('tchannel');

var seed = process.argv[2];
var repeatAt = process.argv.indexOf('--repeat');
var repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 0;
var quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
function noop() {}

var start = process.hrtime.bigint();
var client = new TChannel({ logger: quiet });
var channels = {};

function stats(hostPort, callback) {
    var channel = channels[hostPort] || (channels[hostPort] = client.makeSubChannel({
        serviceName: 'ringpop-' + hostPort,
        peers: [hostPort],
        requestDefaults: { serviceName: 'ringpop', headers: { as: 'raw', cn: 'ringpop-admin' } }
    }));
    channel.request({ serviceName: 'ringpop', timeout: 5000, hasNoParent: true, retryLimit: 1 })
        .send('/admin/stats', null, null, function (err, res, arg2, arg3) {
            if (err) return callback(err);
            if (!res.ok) return callback(new Error(String(arg3)));
            callback(null, JSON.parse(String(arg3)));
        });
}

function crawl(done) {
    stats(seed, function (err, first) {
        if (err) return done(err);
        var addresses = first.membership.members.map(function (m) { return m.address; });
        var checksums = {};
        checksums[seed] = first.membership.checksum;
        var queue = addresses.filter(function (a) { return a !== seed; });
        var running = 0;
        function next() {
            if (queue.length === 0 && running === 0) return done(null, { members: addresses.length, checksums: checksums });
            while (running < 5 && queue.length > 0) {
                var address = queue.shift();
                running++;
                stats(address, function (address) {
                    return function (e, body) {
                        running--;
                        checksums[address] = e ? null : body.membership.checksum;
                        next();
                    };
                }(address));
            }
        }
        next();
    });
}

function timeRepeats(n, done) {
    var samples = [];
    (function one() {
        if (samples.length === n) return done(samples.sort(function (a, b) { return a - b; })[Math.floor(n / 2)]);
        var t = process.hrtime.bigint();
        stats(seed, function (err) {
            if (err) throw err;
            samples.push(Number(process.hrtime.bigint() - t) / 1000);
            one();
        });
    })();
}

crawl(function (err, out) {
    if (err) {
        process.stderr.write('admin-stats: ' + err.message + '\n');
        process.exit(3);
    }
    out.ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!repeat) return finish(out);
    timeRepeats(repeat, function (medianUs) {
        out.medianUs = medianUs;
        finish(out);
    });
});

function finish(out) {
    process.stdout.write(JSON.stringify(out) + '\n');
    client.close();
    process.exit(0);
}
