// The open-loop pacer is a pure function of elapsed time and requests sent: table tests, no clock.
import { describe, expect, it } from 'vitest';
import { intendedNs, pace, type PacerPlan, totalRequests } from '../../src/probes/pacer.js';

const ms = 1e6;
const one: PacerPlan = { ratePerSec: 100, durationNs: 1000 * ms, workers: 1, worker: 0 };

describe('pacer', () => {
  it.each([
    // elapsed, sent -> due, wait, done
    [0, 0, 1, 0, false],
    [0, 1, 1, 10 * ms, false],
    [9.999 * ms, 1, 1, 0.001 * ms, false],
    [10 * ms, 1, 2, 0, false],
    [35 * ms, 1, 4, 0, false], // a late wake-up: three more are due at once, each with its own due time
    [35 * ms, 4, 4, 5 * ms, false],
    [990 * ms, 99, 100, 0, false],
    [5000 * ms, 99, 100, 0, false], // never more than the plan holds
    [5000 * ms, 100, 100, Number.POSITIVE_INFINITY, true],
  ])('100/s for 1 s: at %d ns with %d sent', (elapsed, sent, due, wait, done) => {
    const p = pace(one, elapsed, sent);
    expect(p.due).toBe(due);
    expect(p.waitNs).toBeCloseTo(wait, 3);
    expect(p.done).toBe(done);
  });

  it('spreads one rate over workers: global request n is due at n / rate', () => {
    const plans = [0, 1, 2].map((worker): PacerPlan => ({ ratePerSec: 300, durationNs: 100 * ms, workers: 3, worker }));
    const due = plans.flatMap((plan) => Array.from({ length: totalRequests(plan) }, (_, i) => intendedNs(plan, i))).sort((a, b) => a - b);
    expect(due.length).toBe(30);
    due.forEach((t, n) => expect(t).toBeCloseTo((n * 1e9) / 300, 3));
    expect(plans.map(totalRequests)).toEqual([10, 10, 10]);
  });

  it('a rate below the number of workers still sends every request once', () => {
    const plans = [0, 1, 2, 3].map((worker): PacerPlan => ({ ratePerSec: 2, durationNs: 3000 * ms, workers: 4, worker }));
    expect(plans.map(totalRequests)).toEqual([2, 2, 1, 1]);
    expect(intendedNs(plans[3] as PacerPlan, 0)).toBe(1500 * ms);
    expect(pace(plans[3] as PacerPlan, 1499 * ms, 0)).toEqual({ due: 0, waitNs: 1 * ms, done: false });
  });

  it('fractional rates keep exact spacing', () => {
    const plan: PacerPlan = { ratePerSec: 0.5, durationNs: 5000 * ms, workers: 1, worker: 0 };
    expect(totalRequests(plan)).toBe(3);
    expect(pace(plan, 2000 * ms, 1)).toEqual({ due: 2, waitNs: 0, done: false });
    expect(pace(plan, 2001 * ms, 2).waitNs).toBeCloseTo(1999 * ms, 0);
  });
});
