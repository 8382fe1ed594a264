/**
 * Membership snapshots (`ringside snapshot -o FILE`, read back with `--snapshot FILE`): versioned
 * JSON with the members and where they came from, so offline commands answer exactly as they
 * would have against the live cluster at that moment.
 *
 * Schema version 1:
 *   { "schemaVersion": 1, "kind": "ringside.snapshot",
 *     "cluster": { "protocol", "mode", "seeds": [...], "observedAt", "source" },
 *     "members": [ { "name", "addr", "port", "status", "nativeStatus", "incarnation", "tags", "protocol" } ] }
 * Readers accept any schemaVersion they know and refuse newer ones with a clear message.
 */
import { fileError } from '../errors.js';
import type { RingFidelity } from './ring-fidelity.js';
import type { Member } from './member.js';
import { isObject, memberFromJson } from './members-file.js';

export const SNAPSHOT_SCHEMA_VERSION = 1;
export const SNAPSHOT_KIND = 'ringside.snapshot';

export type ClusterProtocol = 'serf' | 'memberlist' | 'ringpop' | 'static';
export type ObserveMode = 'passive' | 'member' | 'offline';

export interface ClusterInfo {
  protocol: ClusterProtocol;
  mode: ObserveMode;
  seeds: string[];
  /** ISO 8601 time the membership was observed (or the file read). */
  observedAt: string;
  /** Where the membership came from: `members-file:PATH`, `snapshot:PATH`, `live`. */
  source: string;
  /** ringpop: whether ringside's fingerprint32 ring reproduces the cluster's (from its checksums). */
  ringFidelity?: RingFidelity;
}

export interface MembershipSnapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  kind: typeof SNAPSHOT_KIND;
  cluster: ClusterInfo;
  members: Member[];
}

export function createSnapshot(cluster: ClusterInfo, members: Member[]): MembershipSnapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, kind: SNAPSHOT_KIND, cluster, members };
}

export function isSnapshotDocument(doc: unknown): boolean {
  return isObject(doc) && (doc.kind === SNAPSHOT_KIND || 'schemaVersion' in doc);
}

/** Parses and validates a snapshot document (pure; `source` names the file in errors). */
export function parseSnapshot(text: string, source: string): MembershipSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fileError(`${source} is not valid JSON (${(error as Error).message})`, 'give a file written by ringside snapshot');
  }
  if (!isObject(doc) || doc.kind !== SNAPSHOT_KIND) throw fileError(`${source} is not a ringside snapshot`, 'give a file written by ringside snapshot, or use --members for a member list');
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw fileError(`${source} has no valid schemaVersion`);
  if (version > SNAPSHOT_SCHEMA_VERSION) {
    throw fileError(`${source} uses snapshot schema ${version}; this ringside reads up to ${SNAPSHOT_SCHEMA_VERSION}`, 'upgrade ringside');
  }
  const cluster = parseClusterInfo(doc.cluster, source);
  if (!Array.isArray(doc.members)) throw fileError(`${source} has no members array`);
  const members = doc.members.map((entry, i) => memberFromJson(entry, `${source}: members[${i}]`));
  if (members.length === 0) throw fileError(`${source} has no members`);
  return createSnapshot(cluster, members);
}

function parseClusterInfo(value: unknown, source: string): ClusterInfo {
  if (!isObject(value)) throw fileError(`${source} has no "cluster" object`);
  const { protocol, mode, seeds, observedAt } = value;
  const protocols: ClusterProtocol[] = ['serf', 'memberlist', 'ringpop', 'static'];
  const modes: ObserveMode[] = ['passive', 'member', 'offline'];
  if (!protocols.includes(protocol as ClusterProtocol)) throw fileError(`${source}: cluster.protocol must be one of ${protocols.join(', ')}`);
  if (!modes.includes(mode as ObserveMode)) throw fileError(`${source}: cluster.mode must be one of ${modes.join(', ')}`);
  if (!Array.isArray(seeds) || seeds.some((s) => typeof s !== 'string')) throw fileError(`${source}: cluster.seeds must be an array of strings`);
  if (typeof observedAt !== 'string' || Number.isNaN(Date.parse(observedAt))) throw fileError(`${source}: cluster.observedAt must be an ISO 8601 time`);
  return {
    protocol: protocol as ClusterProtocol,
    mode: mode as ObserveMode,
    seeds: seeds as string[],
    observedAt,
    source: typeof value.source === 'string' ? value.source : `snapshot:${source}`,
    ...(typeof value.ringFidelity === 'object' && value.ringFidelity !== null ? { ringFidelity: value.ringFidelity as RingFidelity } : {}),
  };
}

export function serializeSnapshot(snapshot: MembershipSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}
