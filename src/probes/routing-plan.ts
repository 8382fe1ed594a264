/**
 * The routing probe's plan (pure): for each key, the member that owns it (direct) and a member
 * that does not (routed, which must forward to the owner). Non-owners rotate with the key so
 * every member takes its share of forwarding.
 */
import { usageError } from '../errors.js';
import type { Ring } from '../ring/types.js';
import type { Route } from './lanes.js';
import type { RoutingMember } from './types.js';

export function planRoutes(ring: Ring, members: readonly RoutingMember[], keys: readonly string[]): Route[] {
  if (members.length < 2) throw usageError(`the routing probe needs at least two members (the ring has ${members.length})`, 'point it at a cluster with two or more members');
  const index = new Map(members.map((m, i) => [m.name, i]));
  return keys.map((key, k) => {
    const owner = ring.owner(key);
    const direct = index.get(owner);
    if (direct === undefined) throw usageError(`the owner of "${key}", ${owner}, has no HTTP address`, 'check --port-tag on every member');
    const step = 1 + (k % (members.length - 1));
    return { key, direct, routed: (direct + step) % members.length };
  });
}
