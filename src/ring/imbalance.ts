/**
 * How far a ring is from a fair split. Each node's load is its share over its fair share
 * (weight / total weight): 1.0 is perfect, 1.25 means 25% more keys than its fair share.
 */
export interface Imbalance {
  /** Highest load: the most loaded node's share over its fair share. */
  maxOverMean: number;
  /** Lowest load. */
  minOverMean: number;
  /** Standard deviation of the loads (a relative spread: 0.05 = nodes typically 5% off). */
  stddev: number;
}

export function imbalanceOf(shares: ArrayLike<number>, weights: ArrayLike<number>): Imbalance {
  const n = shares.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] as number;
  let max = -Infinity;
  let min = Infinity;
  let sum = 0;
  let sumSq = 0;
  let shareSum = 0;
  for (let i = 0; i < n; i++) shareSum += shares[i] as number;
  for (let i = 0; i < n; i++) {
    // Relative to the share actually covered (an empty ring section would otherwise skew loads).
    const load = (shares[i] as number) / shareSum / ((weights[i] as number) / total);
    max = Math.max(max, load);
    min = Math.min(min, load);
    sum += load;
    sumSq += load * load;
  }
  const mean = sum / n;
  return { maxOverMean: max, minOverMean: min, stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)) };
}
