#!/usr/bin/env node
// The process bench/dash-bench.js measures: a real passive memberlist observer (polling the
// benchmark's synthesized 1,000-member cluster) and the real latency probe `dash --target URL
// --rate 1000` runs (dashboards/latency-source.js: the probes library's startBench, warm probe,
// one worker thread, 10 keep-alive connections) against the benchmark's local HTTP server, shown by
// `ringside dash` on this terminal -- or, with --no-screen, the same observer and probe with no
// dashboard, to separate the dashboard's own cost. Both count the probe's requests and errors.
// Args: --join HOST:PORT --target URL --rate R --pid-file FILE --out FILE [--no-screen].
// Ends on SIGTERM or q. Both files are written whole, then renamed: the benchmark reads them as
// soon as they exist.
import { renameSync, writeFileSync } from 'node:fs';
import { createObserver } from '../dist/src/cluster/live.js';
import { observerFeed } from '../dist/dashboards/membership-source.js';
import { latencyConfig, startLatencySource } from '../dist/dashboards/latency-source.js';
import { runDash } from '../dist/dashboards/run-dash.js';

const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const noScreen = process.argv.includes('--no-screen');
writeFileSync(`${arg('--pid-file')}.tmp`, String(process.pid));
renameSync(`${arg('--pid-file')}.tmp`, arg('--pid-file'));

const observer = await createObserver({ join: [arg('--join')], protocol: 'memberlist', mode: 'passive', timeoutMs: 5000, intervalMs: 500 });
await observer.start();
const latency = startLatencySource(latencyConfig({ target: arg('--target'), rate: Number(arg('--rate')), probes: ['warm'] }));
const probe = { intervals: 0, requests: 0, errors: 0 };
latency.feed.on('interval', (record) => {
  probe.intervals++;
  probe.requests += record.count;
  probe.errors += record.errors;
});
let result;
if (noScreen) {
  let changes = 0;
  observer.onChange(() => changes++);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  latency.stop();
  result = { changes, members: observer.members().length };
} else {
  const opened = observerFeed(observer);
  const summary = await runDash({ membership: opened.feed, source: opened.label, ring: { algorithm: 'ringpop' }, replicas: 1, latency, latencyNote: '', faultsNote: 'no chaos in this benchmark' }); // stops the probe on quit
  result = { events: summary.events, members: summary.members.total };
}
await observer.stop();
writeFileSync(`${arg('--out')}.tmp`, JSON.stringify({ ...result, probe, cpu: process.cpuUsage() }));
renameSync(`${arg('--out')}.tmp`, arg('--out'));
process.exit(0);
