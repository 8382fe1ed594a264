/**
 * The open-loop pacer: a pure function of elapsed time and requests sent (vegeta's model), so
 * it is table-tested without a clock. Worker `w` of `W` sends global requests w, w+W, w+2W...;
 * global request n is due at n / rate seconds after the start, whatever happened to earlier
 * requests. Latency is measured from that due time (no coordinated omission).
 */
export interface PacerPlan {
  /** Requests per second over all workers (> 0). */
  ratePerSec: number;
  durationNs: number;
  workers: number;
  worker: number;
}

export interface Pace {
  /** How many of this worker's requests are due by now (sent ones included). */
  due: number;
  /** Until the next request is due (0 when one is due now; Infinity when the plan is done). */
  waitNs: number;
  /** Every request of the plan has been sent. */
  done: boolean;
}

/** Due time of this worker's `index`-th request, in ns after the start. */
export function intendedNs(plan: PacerPlan, index: number): number {
  return ((index * plan.workers + plan.worker) * 1e9) / plan.ratePerSec;
}

/** This worker's requests due before the end of the run. */
export function totalRequests(plan: PacerPlan): number {
  const first = intendedNs(plan, 0);
  if (first >= plan.durationNs) return 0;
  const stepNs = (plan.workers * 1e9) / plan.ratePerSec;
  return Math.ceil((plan.durationNs - first) / stepNs);
}

export function pace(plan: PacerPlan, elapsedNs: number, sent: number): Pace {
  const total = totalRequests(plan);
  if (sent >= total) return { due: total, waitNs: Number.POSITIVE_INFINITY, done: true };
  const first = intendedNs(plan, 0);
  const stepNs = (plan.workers * 1e9) / plan.ratePerSec;
  const due = elapsedNs < first ? 0 : Math.min(total, Math.floor((elapsedNs - first) / stepNs) + 1);
  if (due > sent) return { due, waitNs: 0, done: false };
  return { due, waitNs: intendedNs(plan, sent) - elapsedNs, done: false };
}
