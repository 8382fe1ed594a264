/**
 * Uber ringpop's hash ring (ringpop-node lib/ring, ringpop-go hashring).
 *
 * - Each server gets `replicaPoints` points (default 100): the hash of the node key with the
 *   replica index appended as decimal digits, no separator (`"10.0.0.1:3000" + "7"`). The key is
 *   the server address, except for a ringpop-go member with an identity (its `__identity` label,
 *   ringpop-go's Identity option), which ringpop-go places at `"<identity>#7"`: its key is then
 *   `"<identity>#"` (ringpopPlacementKey).
 * - Hash: farmhash fingerprint32 (ringpop-go; ringpop-node with `isCrossPlatform`), or `hash32`,
 *   npm farmhash's hash32 (`useLatestHash32`), which on farmhash 5.x's prebuilt binaries is the
 *   same function. ringpop-node's default `hash32v1` exists only in farmhash 1.x and depends on
 *   the CPU it was built for: not reproducible, not offered.
 * - A key belongs to the first point whose hash is >= the key's hash, wrapping; equal hashes are
 *   ordered by server address as JavaScript compares strings (ringpop's rbtree comparator;
 *   ringpop-go compares the address too, then the replica index), the address being the node's
 *   id (a ringpop member's name), whatever its key.
 * - lookupN walks clockwise from there, collecting distinct servers.
 */
import { PointRing } from './point-ring.js';
import { Continuum32 } from './continuum32.js';
import { fingerprint32, fingerprint32Bytes } from './hash/farmhash32.js';
import { utf8 } from './hash/utf8.js';
import type { RingNode, RingSettings } from './types.js';

export const RINGPOP_HASHES = ['fingerprint32', 'hash32'] as const;
export const RINGPOP_DEFAULT_POINTS = 100;
/** The label in which ringpop-go gossips a member's identity (membership.IdentityLabelKey). */
export const RINGPOP_IDENTITY_LABEL = '__identity';

/**
 * The node key ringpop places a member by: its address, or `identity#` when ringpop-go gave it
 * an identity label other than its address (hashring.replicaPointForServer: `identity#i`, where
 * an identity equal to the address keeps the older `address` + `i`). A label that is present
 * counts even when empty, as in swim.Member.Identity.
 */
export function ringpopPlacementKey(address: string, identity: string | undefined): string {
  return identity === undefined || identity === address ? address : `${identity}#`;
}

/** The identity ringpop-go's ring checksum lists for a member: its identity label, or its address. */
export function ringpopIdentity(address: string, identity: string | undefined): string {
  return identity ?? address;
}

export class RingpopRing extends PointRing<number> {
  protected readonly continuum: Continuum32;

  constructor(nodes: readonly RingNode[], settings: RingSettings) {
    super('ringpop', nodes, settings);
    const replicaPoints = settings.vnodes ?? RINGPOP_DEFAULT_POINTS;
    // Points go in by address (id) order so that equal hashes keep ringpop's tie-break.
    const insertion = nodes.map((_, i) => i).sort((a, b) => jsCompare((nodes[a] as RingNode).id, (nodes[b] as RingNode).id));
    const { hashes, owners } = hashReplicaPoints(
      insertion.map((i) => utf8((nodes[i] as RingNode).key)),
      insertion,
      replicaPoints,
    );
    this.continuum = Continuum32.fromPoints(hashes, owners, nodes.length);
  }

  keyHash(key: string): number {
    return fingerprint32(key);
  }
}

/**
 * Hashes every replica point: fingerprint32 of the node key's bytes followed by the replica index
 * in decimal. Points come out grouped by server in the given order, servers' owners as given.
 */
function hashReplicaPoints(addresses: Uint8Array[], ownerOf: number[], replicaPoints: number): { hashes: Uint32Array; owners: Int32Array } {
  const hashes = new Uint32Array(addresses.length * replicaPoints);
  const owners = new Int32Array(hashes.length);
  const longest = addresses.reduce((max, a) => Math.max(max, a.length), 0);
  const buffer = new Uint8Array(longest + 16);
  let p = 0;
  for (let s = 0; s < addresses.length; s++) {
    const address = addresses[s] as Uint8Array;
    const length = address.length;
    buffer.set(address);
    const owner = ownerOf[s] as number;
    // The replica index in decimal after the address, counted up in place like an odometer.
    buffer[length] = 48;
    let end = length + 1;
    for (let replica = 0; replica < replicaPoints; replica++) {
      hashes[p] = fingerprint32Bytes(buffer, end);
      owners[p++] = owner;
      let i = end - 1;
      while (i >= length && buffer[i] === 57) buffer[i--] = 48;
      if (i >= length) buffer[i] = (buffer[i] as number) + 1;
      else {
        // 9 -> 10, 99 -> 100: one more digit, a 1 followed by zeros.
        buffer[length] = 49;
        buffer[end++] = 48;
      }
    }
  }
  return { hashes, owners };
}

function jsCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
