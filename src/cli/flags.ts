/** Flags shared by commands (CLI.md: cluster source flags and ring flags). */
import { Flags } from '@oclif/core';
import { ALGORITHMS } from '../ring/types.js';

export const sourceFlags = {
  join: Flags.string({ helpValue: 'HOST:PORT', multiple: true, description: 'seed members of a live cluster (gossip port, e.g. 7946 for Serf, 8301 for Consul LAN)' }),
  protocol: Flags.string({ helpValue: 'serf|memberlist|ringpop', default: 'serf', description: "live: serf (memberlist plus Serf's tags and left/failed), plain memberlist, or ringpop over TChannel (passive only)" }),
  mode: Flags.string({ helpValue: 'passive|member', default: 'passive', description: 'live: passive reads state without joining; member joins as a tagged observer and leaves on exit' }),
  'encrypt-key': Flags.string({ helpValue: 'BASE64', description: 'gossip encryption key (or RINGSIDE_GOSSIP_KEY); never printed' }),
  'keyring-file': Flags.string({ helpValue: 'FILE', description: "gossip keyring: Serf's JSON array of base64 keys, primary first" }),
  timeout: Flags.string({ helpValue: 'DURATION', default: '5s', description: 'give up reaching the cluster after this long' }),
  interval: Flags.string({ helpValue: 'DURATION', default: '1s', description: 'passive: how often to poll a member' }),
  bind: Flags.string({ helpValue: 'HOST:PORT', description: 'member mode: where to listen for gossip (default: a free port)' }),
  advertise: Flags.string({ helpValue: 'IP', description: 'member mode: the address members reach ringside at' }),
  'gossip-label': Flags.string({ helpValue: 'LABEL', description: 'memberlist >= 0.3.0 gossip label (e.g. a Consul admin partition or network segment)' }),
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
  join?: string[];
  protocol?: string;
  mode?: string;
  'encrypt-key'?: string;
  'keyring-file'?: string;
  timeout?: string;
  interval?: string;
  bind?: string;
  advertise?: string;
  'gossip-label'?: string;
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
