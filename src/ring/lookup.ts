/** Key -> owners, as `ringside owner` reports it. */
import type { Ring } from './types.js';

export interface OwnerRecord {
  key: string;
  /** The key's position in the algorithm's hash space (64-bit values are bigint). */
  hash: number | bigint;
  /** Owners in preference order. */
  owners: string[];
  addrs: (string | null)[];
}

export function lookupOwners(ring: Ring, keys: readonly string[], replicas: number, addrs: ReadonlyMap<string, string>): OwnerRecord[] {
  return keys.map((key) => {
    const owners = ring.owners(key, replicas);
    return { key, hash: ring.keyHash(key), owners, addrs: owners.map((id) => addrs.get(id) ?? null) };
  });
}
