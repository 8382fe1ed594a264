/** The probes' monotonic clock: hrtime nanoseconds as numbers, relative to this thread's origin. */
const ORIGIN = process.hrtime.bigint();

export function nowNs(): number {
  return Number(process.hrtime.bigint() - ORIGIN);
}

/** Converts an absolute hrtime (as shared between threads, a decimal string) to this clock. */
export function fromHrtime(absolute: bigint): number {
  return Number(absolute - ORIGIN);
}

export function toHrtime(ns: number): bigint {
  return ORIGIN + BigInt(Math.round(ns));
}
