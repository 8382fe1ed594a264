// The point sort under every 32-bit ring: keys ascending, equal keys (hash collisions) in their
// original order, whether it takes the comparison path (small rings) or the radix path.
import { describe, expect, it } from 'vitest';
import { radixSort } from '../../src/ring/continuum32.js';

function reference(input: Uint32Array): { keys: number[]; order: number[] } {
  const order = [...input.keys()].sort((a, b) => (input[a] as number) - (input[b] as number) || a - b);
  return { keys: order.map((i) => input[i] as number), order };
}

describe('radixSort', () => {
  it.each([0, 1, 2, 600, 4095, 4096, 100_000])('sorts %i keys stably, duplicates and extremes included', (n) => {
    let seed = 12345 + n;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    // Few distinct values for some keys, so equal keys must keep their original order.
    const input = Uint32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? [0, 0xffffffff, 0x80000000][i % 3] as number : i % 5 === 0 ? next() % 16 : next()));
    const { keys, order } = radixSort(input);
    const expected = reference(input);
    expect([...keys]).toEqual(expected.keys);
    expect([...order]).toEqual(expected.order);
  });
});
