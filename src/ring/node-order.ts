/**
 * Node order. Several algorithms depend on the order of nodes (jump's buckets, maglev's fill
 * order, tie-breaks), and a membership list arrives in any order, so every ring sorts its
 * nodes by the UTF-8 bytes of their node keys, as Envoy sorts Maglev hosts.
 */
import { compareUtf8 } from '../utf8-order.js';
import type { RingNode } from './types.js';

export function sortNodesByKey(nodes: readonly RingNode[]): RingNode[] {
  return [...nodes].sort((a, b) => compareUtf8(a.key, b.key));
}
