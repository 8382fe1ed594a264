/** Work on many hosts at once: a bounded number at a time, results in host order, every host settled before a failure is thrown. */
import { describe, expect, it } from 'vitest';
import { forEachHost, settleEach } from '../../chaos/fan-out.js';

describe('fan-out over hosts', () => {
  it('never runs more than the limit at once, and keeps the results in host order', async () => {
    let running = 0;
    let most = 0;
    const delays = [30, 5, 20, 1, 15, 2, 25, 3];
    const out = await forEachHost(delays, 3, async (ms, i) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return `h${i}`;
    });
    expect(out).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7']);
    expect(most).toBe(3);
  });

  it('every host settles before the first failure (in host order) is thrown', async () => {
    const done: number[] = [];
    const work = async (i: number): Promise<number> => {
      await new Promise((r) => setTimeout(r, (5 - i) * 5));
      done.push(i);
      if (i === 1 || i === 3) throw new Error(`host ${i} failed`);
      return i;
    };
    await expect(forEachHost([0, 1, 2, 3, 4], 5, work)).rejects.toThrow('host 1 failed');
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    const settled = await settleEach([0, 1, 2, 3, 4], 2, work);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(await forEachHost([], 4, work)).toEqual([]);
  });
});
