/**
 * Sampled key hashes, for algorithms whose ownership has no closed form (jump, rendezvous).
 *
 * Both algorithms see a key only through its 64-bit hash, so sampling the hash space uniformly
 * is the same as sampling keys. The sample is a fixed splitmix64 stream, so a plan compares
 * two rings on exactly the same hashes and repeated runs print the same figures.
 */
import { U64 } from './hash/u64.js';
import { countPerNode } from './walk.js';

const GOLDEN = U64.fromHex('9e3779b97f4a7c15');
const MIX1 = U64.fromHex('bf58476d1ce4e5b9');
const MIX2 = U64.fromHex('94d049bb133111eb');
export const SAMPLE_SEED = 0x5eed;

export interface HashSample {
  hi: Uint32Array;
  lo: Uint32Array;
  seed: number;
}

let last: HashSample | undefined;

/** The sample of `count` hashes for `seed` (the last one is kept: plans ask twice in a row). */
export function sampleHashes(count: number, seed: number = SAMPLE_SEED): HashSample {
  if (last && last.seed === seed && last.hi.length === count) return last;
  last = generate(count, seed);
  return last;
}

function generate(count: number, seed: number): HashSample {
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  const state = new U64(0, seed >>> 0);
  const z = new U64();
  for (let i = 0; i < count; i++) {
    state.add(GOLDEN);
    z.set(state).xorShr(30).mul(MIX1).xorShr(27).mul(MIX2).xorShr(31);
    hi[i] = z.hi;
    lo[i] = z.lo;
  }
  return { hi, lo, seed };
}

/** Sample size for rendezvous: about 20 million node scores, between 10,000 and 1,000,000 keys. */
export function defaultRendezvousSamples(nodes: number): number {
  return Math.min(1_000_000, Math.max(10_000, Math.floor(20_000_000 / Math.max(1, nodes))));
}

export const DEFAULT_JUMP_SAMPLES = 1_000_000;

/** Share of sampled keys each node owns, from one owner per sample. */
export function sharesOfSample(owners: Int32Array, nodes: number): Float64Array {
  return Float64Array.from(countPerNode(owners, nodes), (c) => c / owners.length);
}
