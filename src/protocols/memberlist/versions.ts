/**
 * The versions a joining member must advertise to be accepted (memberlist state.go verifyProtocol).
 * Every push-pull merge checks that each alive member's current protocol and delegate versions lie
 * in the window every member understands (the highest minimum to the lowest maximum), counting the
 * members listed in the push-pull. A member outside the window makes every merge that lists it fail,
 * the cluster's own anti-entropy included. The delegate versions belong to the application: Serf
 * (Consul, Nomad) advertises 2..5, speaking 4 or 5; a plain memberlist application keeps
 * memberlist's default 0..0. An observer of a plain memberlist cluster therefore speaks the
 * cluster's own delegate versions, read from a member's state first. Pure.
 */
import type { Vsn } from './messages.js';
import type { PushNodeState } from './push-pull.js';

/** [dMin, dMax, dCur] inside the window of the alive members listed, or undefined when none says. */
export function clusterDelegateVersions(nodes: readonly PushNodeState[]): [number, number, number] | undefined {
  let low = 0;
  let high = 255;
  let current: number | undefined;
  for (const node of nodes) {
    if (node.state !== 'alive' || node.vsn.length < 6) continue;
    low = Math.max(low, node.vsn[3] as number);
    high = Math.min(high, node.vsn[4] as number);
    current ??= node.vsn[5] as number;
  }
  if (current === undefined || low > high) return undefined;
  return [low, high, Math.min(high, Math.max(low, current))];
}

/** `base` with the delegate versions the listed members accept (unchanged when they say none). */
export function vsnAcceptedBy(base: Vsn, nodes: readonly PushNodeState[]): Vsn {
  const delegate = clusterDelegateVersions(nodes);
  if (!delegate) return base;
  return Uint8Array.of(base[0] as number, base[1] as number, base[2] as number, ...delegate);
}
