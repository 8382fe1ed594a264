#!/usr/bin/env node
// Prints the benchmark table the docs quote, in Markdown (benchmark, ringside, peer, ratio, goal,
// met?), generated from a results document written by `npm run bench` -- by default the committed
// bench/.results/latest.json -- so the quoted figures are always those of a run whose file is in
// the repository. The rows and goals are bench/report.js's.
//   node scripts/bench-table.js [FILE] [--check]
// --check: also list every goal and exit 1 if one is missed or was not measured in that run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkReport, describeRun, failedGoals, markdownTable, SCHEMA } from '../bench/report.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const file = args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../bench/.results/latest.json', import.meta.url));
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`bench-table: cannot read ${file}: ${error.message} (run npm run bench first)`);
  process.exit(2);
}
if (results.schema !== SCHEMA) {
  console.error(`bench-table: ${file} is not a ${SCHEMA} results document (schema: ${results.schema ?? 'none'}); run npm run bench again`);
  process.exit(2);
}
console.log(describeRun(results));
console.log('');
console.log(markdownTable(results));
if (check) {
  console.log('');
  for (const line of checkReport(results)) console.log(line);
  if (failedGoals(results).length > 0) process.exit(1);
}
