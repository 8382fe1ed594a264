#!/usr/bin/env node
'use strict';

// A plain tchannel 3.10.1 server (no ringpop) for ringside's TChannel tests:
//
//   node bare-tchannel.cjs [--port 0]
//
// Serves service "ringpop" with only two endpoints, so it also stands in for "a TChannel peer
// that lacks ringpop's endpoints" (an older or different ringpop):
//   /echo    answers arg2 and arg3 back unchanged (any size: tchannel fragments both ways)
//   /health  answers "ok"
// Prints {"ready":true,"address":"127.0.0.1:PORT","pid":N} once listening; exits when stdin
// closes or on SIGTERM.

var TChannel = require('tchannel');

var port = 0;
var i = process.argv.indexOf('--port');
if (i > 0) port = Number(process.argv[i + 1]);

var quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
function noop() {}

var server = new TChannel({ logger: quiet });
var ringpop = server.makeSubChannel({ serviceName: 'ringpop' });
ringpop.register('/echo', function echo(req, res, arg2, arg3) {
    res.headers.as = 'raw';
    res.sendOk(arg2, arg3);
});
ringpop.register('/health', function health(req, res) {
    res.headers.as = 'raw';
    res.sendOk(null, 'ok');
});

server.listen(port, '127.0.0.1', function onListening() {
    var address = server.address();
    process.stdout.write(JSON.stringify({ ready: true, address: '127.0.0.1:' + address.port, pid: process.pid }) + '\n');
});
process.stdin.resume();
process.stdin.on('end', function () { process.exit(0); });
process.on('SIGTERM', function () { process.exit(0); });
