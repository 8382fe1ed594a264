/**
 * Who owns a key, as the demo service sees it: the members that carry the service tag (`http`,
 * HOST:PORT) placed on a ringpop ring by that tag's value, exactly as
 * `ringside owner --node-key tag:http` places them (same member selection, same ring code).
 */
import type { Member } from '../../cluster/member.js';
import { selectRingMembers } from '../../cluster/ring-members.js';
import { createRing } from '../../ring/create-ring.js';
import type { Ring } from '../../ring/types.js';

export const SERVICE_TAG = 'http';

export interface Owner {
  /** The member name (what `ringside owner` prints). */
  name: string;
  /** Its service address, HOST:PORT (the tag's value). */
  http: string;
}

export interface Ownership {
  /** Member names in the ring. */
  nodes: string[];
  ownerOf(key: string): Owner;
}

/** The ring of members that run the service; null while none does (nothing to route to). */
export function ownershipOf(members: readonly Member[], tag: string = SERVICE_TAG): Ownership | null {
  const serving = members.filter((m) => (m.tags[tag] ?? '') !== '');
  let ring: Ring;
  const http = new Map<string, string>();
  try {
    const { nodes } = selectRingMembers(serving, { algorithm: 'ringpop', nodeKey: { kind: 'tag', tag } });
    ring = createRing({ algorithm: 'ringpop', nodes });
    for (const m of serving) http.set(m.name, m.tags[tag] as string);
  } catch {
    return null; // no alive member serves
  }
  return {
    nodes: ring.nodes.map((n) => n.id),
    ownerOf(key) {
      const name = ring.owner(key);
      return { name, http: http.get(name) as string };
    },
  };
}
