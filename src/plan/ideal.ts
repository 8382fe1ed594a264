/**
 * The ideal movement for a membership change: what a placement that is perfectly balanced before
 * and after must move, i.e. the distance between the fair split before and the fair split after
 * (each node's weight over the total). For one node joining N equal nodes that is 1/(N+1); for
 * one of N leaving, 1/N. A real ring can move less only by ending up less balanced.
 */
export function idealMovedFraction(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
  const total = (weights: ReadonlyMap<string, number>): number => [...weights.values()].reduce((a, b) => a + b, 0);
  const tb = total(before);
  const ta = total(after);
  let gained = 0;
  for (const [id, weight] of after) {
    const fairBefore = (before.get(id) ?? 0) / tb;
    gained += Math.max(0, weight / ta - fairBefore);
  }
  return gained;
}
