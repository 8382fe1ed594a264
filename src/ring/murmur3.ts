/**
 * Apache Cassandra's Murmur3Partitioner: a key's token is Cassandra's MurmurHash3 of the
 * partition key bytes (signed 64-bit, quirks in src/ring/hash/murmur3.ts); each node owns the
 * token range (previous token, its token]; replicas walk the ring collecting distinct nodes
 * (SimpleStrategy).
 *
 * Tokens come from the node's `tokens` tag (what `nodetool ring` lists) or, when it has none,
 * `numTokens` tokens generated deterministically from the node key: token i = the Murmur3 token
 * of "<node key>#<i>". Cassandra's own random allocation cannot be reproduced; give tokens to
 * match a real cluster.
 */
import { PointRing } from './point-ring.js';
import { Continuum64 } from './continuum64.js';
import { cassandraToken } from './hash/murmur3.js';
import type { RingNode, RingSettings } from './types.js';

export const MURMUR3_DEFAULT_TOKENS = 256;

export function generateTokens(nodeKey: string, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => cassandraToken(`${nodeKey}#${i}`));
}

export class Murmur3Ring extends PointRing<bigint> {
  protected readonly continuum: Continuum64;

  constructor(nodes: readonly RingNode[], settings: RingSettings) {
    super('murmur3', nodes, settings);
    const numTokens = settings.numTokens ?? MURMUR3_DEFAULT_TOKENS;
    this.continuum = Continuum64.fromTokens(nodes.map((node) => node.tokens ?? generateTokens(node.key, numTokens)));
  }

  keyHash(key: string): bigint {
    return cassandraToken(key);
  }
}
