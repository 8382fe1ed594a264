'use strict';
// The owner-lookup loop both sides of the ring benchmark run (bench/ring-bench.js for ringside,
// bench/ringpop-ring-bench.cjs for ringpop's HashRing), so that they get the same warm-up (one
// full pass over the keys, untimed) and the same timed loop (whole passes over the keys, the clock
// read after each chunk of at most 4,096 lookups) and differ only in the lookup they call.
// CommonJS so that the ringpop side (CommonJS) and the ringside side (ESM) load the same file.

const CHUNK = 4096;

/** One untimed pass over every key: what both sides do before the clock starts. */
function warmUp(lookup, keys) {
  let sink = 0;
  for (let i = 0; i < keys.length; i++) sink = (sink + lookup(keys[i]).length) | 0;
  return sink;
}

/** Lookups per second over about `seconds`, after warmUp. */
function timeLookups(lookup, keys, seconds) {
  warmUp(lookup, keys);
  const budgetNs = BigInt(Math.round(seconds * 1e9));
  const chunk = Math.min(keys.length, CHUNK);
  let lookups = 0;
  let sink = 0;
  let i = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (let c = 0; c < chunk; c++) {
      sink = (sink + lookup(keys[i]).length) | 0;
      if (++i === keys.length) i = 0;
    }
    lookups += chunk;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budgetNs);
  if (sink === 0) throw new Error('no lookups');
  const secs = Number(elapsed) / 1e9;
  return { lookups, elapsedSec: secs, lookupsPerSec: lookups / secs, warmUpPasses: 1 };
}

module.exports = { warmUp, timeLookups, CHUNK };
