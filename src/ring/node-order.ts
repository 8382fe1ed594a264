/**
 * Node order. Several algorithms depend on the order of nodes (jump's buckets, maglev's fill
 * order, tie-breaks), and a membership list arrives in any order, so every ring sorts its
 * nodes by the UTF-8 bytes of their node keys, as Envoy sorts Maglev hosts.
 */
import type { RingNode } from './types.js';

/** Compares two strings by their UTF-8 bytes (differs from `<` only above U+FFFF vs U+E000–U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–U+DFFF) encode code points above U+FFFF, whose UTF-8 bytes sort after
    // every BMP character; in UTF-16 they sort before U+E000–U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function sortNodesByKey(nodes: readonly RingNode[]): RingNode[] {
  return [...nodes].sort((a, b) => compareUtf8(a.key, b.key));
}
