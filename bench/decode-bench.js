#!/usr/bin/env node
// Decoding a Serf push-pull state of 10,000 members, as one `members` call receives it: synthesized
// in Go's layout (memberlist node records, Serf's user state with 10,000 status times), compressed
// with LZW and encrypted as Go sends it, then opened, decompressed and applied to a membership
// table. Run with --expose-gc (bench/run.js does): decodeMs is the median of 5 decodes after one
// untimed; retainedHeapMB is the heap the decoded table still holds after a forced full GC (heap
// after GC with the table alive, minus heap after GC before decoding). Prints one JSON line.
import { Keyring } from '../dist/src/protocols/memberlist/security.js';
import { encodePushPull } from '../dist/src/protocols/memberlist/push-pull.js';
import { openStream, sealStream } from '../dist/src/protocols/memberlist/stream.js';
import { lzwCompress } from '../dist/src/protocols/memberlist/lzw.js';
import { encodeValue } from '../dist/src/protocols/msgpack/encode.js';
import { encodeTags } from '../dist/src/protocols/serf/tags.js';
import { decodeSerfPushPull } from '../dist/src/protocols/serf/messages.js';
import { MembershipTable } from '../dist/src/protocols/serf/membership.js';

if (typeof globalThis.gc !== 'function') {
  process.stderr.write('decode-bench: run with node --expose-gc (the retained heap is measured after a forced GC)\n');
  process.exit(2);
}
const gc = globalThis.gc;
const COUNT = 10_000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wireState(count) {
  const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
  const nodes = Array.from({ length: count }, (_, i) => ({
    name: `node-${String(i).padStart(5, '0')}.dc1.example.internal`,
    addr: Uint8Array.of(10, (i >> 16) & 255, (i >> 8) & 255, i & 255),
    port: 7946,
    meta: encodeTags({ role: i % 3 ? 'web' : 'db', zone: `zone-${i % 4}` }),
    incarnation: 1 + (i % 7),
    state: i % 97 === 0 ? 'dead' : 'alive',
    vsn,
  }));
  const serfState = Uint8Array.from([
    2,
    ...encodeValue({ LTime: count * 2, StatusLTimes: new Map(nodes.map((n, i) => [n.name, i + 1])), LeftMembers: [], EventLTime: 1, Events: new Array(512).fill(null), QueryLTime: 1 }),
  ]);
  const plain = encodePushPull({ join: false, nodes, userState: serfState });
  const keyring = new Keyring([new Uint8Array(32).fill(9)]);
  const wire = sealStream(Uint8Array.from([9, ...encodeValue({ Algo: 0, Buf: lzwCompress(plain) })]), { dialer: false, keyring });
  return { wire, plainBytes: plain.length, keyring };
}

const { wire, plainBytes, keyring } = wireState(COUNT);
const decode = () => {
  const message = openStream(wire, { keyring });
  const table = new MembershipTable('serf');
  table.applyView(message.pushPull, decodeSerfPushPull(message.pushPull.userState));
  return table;
};
decode();
const samples = [];
let table;
for (let i = 0; i < 5; i++) {
  table = undefined;
  const start = process.hrtime.bigint();
  table = decode();
  samples.push(Number(process.hrtime.bigint() - start) / 1e6);
}
table = undefined;
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
table = decode();
gc();
gc();
const heapAfter = process.memoryUsage().heapUsed;
const members = table.members().length;
process.stdout.write(`${JSON.stringify({ members, wireBytes: wire.length, plainBytes, decodeMs: median(samples), decodeSamplesMs: samples, retainedHeapMB: (heapAfter - heapBefore) / 2 ** 20 })}\n`);
