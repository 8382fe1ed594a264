#!/usr/bin/env node
// ringside's side of the warm /admin/stats figure in bench/ringpop-bench.js, in a fresh process
// like its peer (test/peers/ringpop/admin-stats.cjs --repeat N) and with the same warm-up: first
// the crawl (/admin/stats on the seed, then on every member it lists, each over its own
// connection), then N sequential /admin/stats calls to the seed on its warm connection, timed one
// by one. Prints {"members":M,"medianUs":U}.
//   node bench/ringpop-stats-child.js HOST:PORT --repeat 200
import { TChannelConnection } from '../dist/src/protocols/tchannel/client.js';
import { fetchStats } from '../dist/src/protocols/ringpop/calls.js';

const seed = process.argv[2];
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]);
const TIMEOUT_MS = 5000;
const connect = (address) => {
  const [host, port] = address.split(':');
  return TChannelConnection.connect({ host, port: Number(port), timeoutMs: TIMEOUT_MS });
};

const connection = await connect(seed);
const first = await fetchStats(connection, TIMEOUT_MS);
const others = first.members.map((m) => m.address).filter((a) => a !== seed);
await Promise.all(
  others.map(async (address) => {
    const c = await connect(address);
    try {
      await fetchStats(c, TIMEOUT_MS);
    } finally {
      c.close();
    }
  }),
);
const samples = [];
for (let i = 0; i < repeat; i++) {
  const start = process.hrtime.bigint();
  await fetchStats(connection, TIMEOUT_MS);
  samples.push(Number(process.hrtime.bigint() - start) / 1000);
}
connection.close();
samples.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ members: first.members.length, medianUs: samples[Math.floor(samples.length / 2)] })}\n`);
