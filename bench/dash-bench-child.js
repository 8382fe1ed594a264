#!/usr/bin/env node
// The process bench/dash-bench.js measures: a real passive memberlist observer (polling the
// benchmark's synthesized 1,000-member cluster) and a synthetic 1,000 req/s latency feed
// (values recorded one by one into HDR histograms, one IntervalRecord per second, as the probes
// library will emit them), shown by `ringside dash` on this terminal -- or, with --no-screen, the
// same observer and feed with no dashboard, to separate the dashboard's own cost.
// Args: --join HOST:PORT --pid-file FILE --out FILE [--no-screen]. Ends on SIGTERM or q.
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import { createObserver } from '../dist/src/cluster/live.js';
import { observerFeed } from '../dist/dashboards/membership-source.js';
import { runDash } from '../dist/dashboards/run-dash.js';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const noScreen = process.argv.includes('--no-screen');
writeFileSync(arg('--pid-file'), String(process.pid));

const RATE = 1000;
const newHistogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
function syntheticFeed() {
  const feed = new EventEmitter();
  let histogram = newHistogram();
  let startMs = Date.now();
  let count = 0;
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // 10 values every 10 ms = 1,000 a second; latencies around 2 ms with a long tail.
  const record = setInterval(() => {
    for (let i = 0; i < RATE / 100; i++) {
      histogram.recordValue(Math.round(800 + 1500 * -Math.log(1 - random() * 0.999999)));
      count++;
    }
  }, 10);
  const emit = setInterval(() => {
    const endMs = Date.now();
    feed.emit('interval', { probe: 'warm', startMs, endMs, count, errors: 0, histogram });
    histogram = newHistogram();
    startMs = endMs;
    count = 0;
  }, 1000);
  return { feed, stop: () => (clearInterval(record), clearInterval(emit)) };
}

const observer = await createObserver({ join: [arg('--join')], protocol: 'memberlist', mode: 'passive', timeoutMs: 5000, intervalMs: 500 });
await observer.start();
const latency = syntheticFeed();
let result;
if (noScreen) {
  let intervals = 0;
  let changes = 0;
  latency.feed.on('interval', () => intervals++);
  observer.onChange(() => changes++);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  latency.stop();
  result = { intervals, changes, members: observer.members().length };
} else {
  const opened = observerFeed(observer);
  const summary = await runDash({ membership: opened.feed, source: opened.label, ring: { algorithm: 'ringpop' }, replicas: 1, latency, latencyNote: '', faultsNote: 'no chaos in this benchmark' });
  result = { intervals: summary.latency.warm?.intervals ?? 0, events: summary.events, members: summary.members.total };
}
await observer.stop();
writeFileSync(arg('--out'), JSON.stringify({ ...result, cpu: process.cpuUsage() }));
process.exit(0);
