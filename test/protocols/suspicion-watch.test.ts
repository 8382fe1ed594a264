import { describe, expect, it } from 'vitest';
import { SuspicionWatch } from '../../src/protocols/serf/suspicion-watch.js';

describe('SuspicionWatch (member mode asks for the verdict on a lasting suspicion)', () => {
  it('asks once a member has been suspect afterMs, then at most every everyMs, and stops when the suspicion ends', () => {
    const w = new SuspicionWatch({ afterMs: 1000, everyMs: 1000, giveUpMs: 10_000 });
    const asks = [0, 250, 500, 999, 1000, 1250, 1999, 2000, 2250, 3000].map((t) => [t, w.due(['a'], t)]);
    expect(asks.filter(([, due]) => due).map(([t]) => t)).toEqual([1000, 2000, 3000]);
    // Resolved: nothing more; suspected again later: the wait starts over.
    expect(w.due([], 3500)).toBe(false);
    expect(w.due(['a'], 4000)).toBe(false);
    expect(w.due(['a'], 4999)).toBe(false);
    expect(w.due(['a'], 5000)).toBe(true);
  });

  it('a second suspect does not reset the first one\'s wait, and one ask serves both', () => {
    const w = new SuspicionWatch({ afterMs: 1000, everyMs: 1000, giveUpMs: 10_000 });
    expect(w.due(['a'], 0)).toBe(false);
    expect(w.due(['a', 'b'], 900)).toBe(false);
    expect(w.due(['a', 'b'], 1000)).toBe(true);
    expect(w.due(['b'], 1500)).toBe(false);
    expect(w.due(['b'], 2000)).toBe(true);
    expect(w.due([], 2100)).toBe(false);
    expect(w.due([], 10_000)).toBe(false);
  });

  it('stops asking about a suspicion held past giveUpMs (the cluster forgot the member), and asks again for a new one', () => {
    const w = new SuspicionWatch({ afterMs: 1000, everyMs: 1000, giveUpMs: 10_000 });
    const asked = Array.from({ length: 15 }, (_, s) => s * 1000).filter((t) => w.due(['gone'], t));
    expect(asked).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(w.due(['gone', 'new'], 15_000)).toBe(false);
    expect(w.due(['gone', 'new'], 16_000)).toBe(true);
  });
});
