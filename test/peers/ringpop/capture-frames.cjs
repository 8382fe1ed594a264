#!/usr/bin/env node
'use strict';

// Captures the frames the real tchannel 3.10.1 client puts on the wire, as reference bytes for
// ringside's TChannel decoder. A raw TCP listener answers the init handshake with hand-written
// bytes, then records every frame of one call request from tchannel's client (service
// "ringpop", arg1 "/admin/stats", arg2 "null", arg3 of --arg3-bytes bytes, which tchannel
// fragments), and prints {"frames":["<hex>",...],"arg3Bytes":N,"checksumType":T}.
//
//   node capture-frames.cjs [--arg3-bytes 150000] [--checksum crc32c|crc32|farmhash|none]

var net = require('net');
var TChannel = require('tchannel');
var v2 = require('tchannel/v2');

function arg(name, dflt) {
    var i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
}
var arg3Bytes = Number(arg('--arg3-bytes', '150000'));
var checksumName = arg('--checksum', 'crc32c');
var checksumType = { none: v2.Checksum.Types.None, crc32: v2.Checksum.Types.CRC32, farmhash: v2.Checksum.Types.Farm32, crc32c: v2.Checksum.Types.CRC32C }[checksumName];

function initRes(id) {
    var headers = [['host_port', '127.0.0.1:1'], ['process_name', 'capture']];
    var parts = [];
    headers.forEach(function (h) {
        [h[0], h[1]].forEach(function (s) {
            var b = Buffer.from(s);
            var len = Buffer.alloc(2);
            len.writeUInt16BE(b.length);
            parts.push(len, b);
        });
    });
    var payload = Buffer.concat([Buffer.from([0, 2, 0, headers.length])].concat(parts));
    var head = Buffer.alloc(16);
    head.writeUInt16BE(16 + payload.length, 0);
    head[2] = 0x02;
    head.writeUInt32BE(id, 4);
    return Buffer.concat([head, payload]);
}

var frames = [];
var server = net.createServer(function (socket) {
    var pending = Buffer.alloc(0);
    socket.on('data', function (chunk) {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= pending.readUInt16BE(0)) {
            var size = pending.readUInt16BE(0);
            var frame = pending.subarray(0, size);
            pending = pending.subarray(size);
            if (frame[2] === 0x01) {
                frames.push(frame.toString('hex'));
                socket.write(initRes(frame.readUInt32BE(4)));
            } else if (frame[2] === 0x03 || frame[2] === 0x13) {
                frames.push(frame.toString('hex'));
                if ((frame[16] & 0x01) === 0) done();
            }
        }
    });
    socket.on('error', function () {});
});

var quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop };
function noop() {}
var client = new TChannel({ logger: quiet });

function done() {
    if (done.called) return;
    done.called = true;
    process.stdout.write(JSON.stringify({ frames: frames, arg3Bytes: arg3Bytes, checksumType: checksumType }) + '\n', function () {
        process.exit(0);
    });
}

server.listen(0, '127.0.0.1', function () {
    var hostPort = '127.0.0.1:' + server.address().port;
    var channel = client.makeSubChannel({ serviceName: 'ringpop', peers: [hostPort] });
    var body = Buffer.alloc(arg3Bytes);
    for (var i = 0; i < arg3Bytes; i++) body[i] = (i * 13) & 0xff;
    channel.request({
        serviceName: 'ringpop', timeout: 5000, hasNoParent: true, retryLimit: 1,
        headers: { as: 'raw', cn: 'capture' }, checksumType: checksumType
    }).send('/admin/stats', 'null', body, function () {});
});
setTimeout(function () {
    process.stderr.write('capture-frames: no complete call captured\n');
    process.exit(1);
}, 10000).unref();
