#!/usr/bin/env node
// Times `plan` for 1,000 nodes x 256 vnodes with one node added (ringpop ring), through the
// library: the first run in a fresh process (what one CLI call pays) and the best of several.
//   node bench/plan-bench.js --servers 1000 --points 256 --reps 5
import { planChange } from '../dist/src/plan/plan.js';

const opts = { servers: 1000, points: 256, reps: 5 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, '')] = Number(argv[i + 1]);

const nodes = Array.from({ length: opts.servers }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}:3000`);
const added = '10.1.0.1:3000';
let first;
let best = Infinity;
let result;
for (let r = 0; r < opts.reps; r++) {
  const start = process.hrtime.bigint();
  result = planChange({
    ring: { algorithm: 'ringpop', vnodes: opts.points },
    replicas: 1,
    before: nodes,
    changes: [{ kind: 'add', node: { id: added, key: added, weight: 1 } }],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  first ??= ms;
  best = Math.min(best, ms);
}
process.stdout.write(`${JSON.stringify({ planMs: best, planMsFirst: first, servers: opts.servers, points: opts.points, movedFraction: result.movedFraction, idealFraction: result.idealFraction, transfers: result.transfers.length })}\n`);
