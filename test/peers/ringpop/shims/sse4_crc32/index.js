'use strict';

// Pure-JS stand-in for the native `sse4_crc32` module (which needs a compiler
// and SSE4.2) used by tchannel@3.10.1 for CRC-32C frame checksums
// (tchannel/v2/checksum.js, tchannel/lib/multicast_ctl.js). Wired in through
// `overrides` in ../../package.json.
//
// CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, register initialised
// to ~seed and inverted at the end, so
//   calculate('123456789') === 0xE3069283
//   calculate(b, calculate(a)) === calculate(Buffer.concat([a, b]))
// i.e. a seed continues a previous CRC, as in the original module.

var POLY = 0x82F63B78;

// 8 tables for slicing-by-8 (TABLE[0] is the classic byte-wise table).
var TABLE = [];
(function buildTables() {
    var t0 = new Int32Array(256);
    for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) {
            c = (c & 1) ? (POLY ^ (c >>> 1)) : (c >>> 1);
        }
        t0[n] = c;
    }
    TABLE.push(t0);
    for (var t = 1; t < 8; t++) {
        var prev = TABLE[t - 1];
        var cur = new Int32Array(256);
        for (var i = 0; i < 256; i++) {
            cur[i] = (prev[i] >>> 8) ^ t0[prev[i] & 0xff];
        }
        TABLE.push(cur);
    }
})();

var T0 = TABLE[0], T1 = TABLE[1], T2 = TABLE[2], T3 = TABLE[3];
var T4 = TABLE[4], T5 = TABLE[5], T6 = TABLE[6], T7 = TABLE[7];

function toBuffer(input) {
    if (Buffer.isBuffer(input)) return input;
    if (typeof input === 'string') return Buffer.from(input, 'utf8');
    if (input instanceof Uint8Array) return input;
    throw new TypeError('sse4_crc32 shim: expected a Buffer or string');
}

// calculate(input: Buffer | string, seed?: number) -> unsigned 32-bit CRC-32C
function calculate(input, seed) {
    var buf = toBuffer(input);
    var crc = ~((seed || 0) >>> 0);
    var i = 0;
    var len = buf.length;
    var end8 = len - (len % 8);
    for (; i < end8; i += 8) {
        var a = crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
        crc = T7[a & 0xff] ^ T6[(a >>> 8) & 0xff] ^ T5[(a >>> 16) & 0xff] ^ T4[a >>> 24] ^
            T3[buf[i + 4]] ^ T2[buf[i + 5]] ^ T1[buf[i + 6]] ^ T0[buf[i + 7]];
    }
    for (; i < len; i++) {
        crc = T0[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
    }
    return (~crc) >>> 0;
}

// Incremental helper with the same shape as the original's Crc32C class.
function Crc32C(input, seed) {
    this.crc = seed || 0;
    if (input !== undefined && input !== null) this.update(input);
}
Crc32C.prototype.update = function update(input) {
    this.crc = calculate(input, this.crc);
    return this;
};
Crc32C.prototype.crc32c = function crc32c() {
    return this.crc;
};

module.exports = {
    calculate: calculate,
    Crc32C: Crc32C,
    isHardwareCrcSupported: function () { return false; }
};
