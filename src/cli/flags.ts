/** Flags shared by commands (CLI.md: cluster source flags and ring flags). */
import { Flags } from '@oclif/core';
import { ALGORITHMS } from '../ring/types.js';

export const sourceFlags = {
  members: Flags.string({
    helpValue: 'FILE',
    description: 'offline: static member list, one "HOST:PORT [NAME] [TAG=VALUE...]" per line, or a JSON array of {"name","addr","tags"}',
  }),
  snapshot: Flags.string({ helpValue: 'FILE', description: 'offline: a snapshot written by ringside snapshot' }),
  filter: Flags.string({ helpValue: 'TAG=VALUE', multiple: true, description: 'only members carrying these tags take part in the ring' }),
};

export const ringFlags = {
  ring: Flags.string({ helpValue: ALGORITHMS.join('|'), default: 'ringpop', description: 'placement algorithm' }),
  hash: Flags.string({ helpValue: 'NAME', description: 'hash variant (ringpop: fingerprint32 or hash32)' }),
  vnodes: Flags.integer({ helpValue: 'N', description: 'points per node (ringpop default 100, ketama 160 per unit of weight)' }),
  replicas: Flags.integer({ helpValue: 'N', default: 1, description: 'owners per key' }),
  'node-key': Flags.string({ helpValue: 'addr|name|tag:NAME', description: 'string that places a node (default: addr for ringpop, name otherwise)' }),
  'num-tokens': Flags.integer({ helpValue: 'N', description: 'murmur3: tokens per node without a "tokens" tag (default 256)' }),
  'table-size': Flags.integer({ helpValue: 'PRIME', description: 'maglev: lookup table size (default 65537)' }),
  samples: Flags.integer({ helpValue: 'N', description: 'jump, rendezvous: sampled key hashes for ownership and plans' }),
  'weight-tag': Flags.string({ helpValue: 'TAG', description: 'read node weights from this tag (ketama, rendezvous, maglev)' }),
};

export interface SourceFlagValues {
  members?: string;
  snapshot?: string;
  filter?: string[];
}

export interface RingFlagValues {
  ring: string;
  hash?: string;
  vnodes?: number;
  replicas: number;
  'node-key'?: string;
  'num-tokens'?: number;
  'table-size'?: number;
  samples?: number;
  'weight-tag'?: string;
}
