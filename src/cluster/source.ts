/**
 * Cluster sources: where a command's membership comes from. Offline sources (a static member
 * list, a snapshot) are read here; every source yields the same MembershipSnapshot.
 */
import { usageError } from '../errors.js';
import { readTextFile } from '../files.js';
import type { LiveSourceOptions } from './live.js';
import { parseMembers } from './members-file.js';
import { createSnapshot, isSnapshotDocument, type MembershipSnapshot, parseSnapshot } from './snapshot.js';

export interface SourceOptions {
  membersFile?: string;
  snapshotFile?: string;
  /** A live cluster (`--join`), observed once. */
  live?: LiveSourceOptions;
}

/** Loads a membership file of either kind: a snapshot, or a static member list. */
export async function loadMembershipFile(path: string): Promise<MembershipSnapshot> {
  const text = await readTextFile(path, 'membership file');
  if (looksLikeSnapshot(text)) return parseSnapshot(text, path);
  const members = parseMembers(text, path);
  return createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: new Date().toISOString(), source: `members-file:${path}` }, members);
}

function looksLikeSnapshot(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    return isSnapshotDocument(JSON.parse(text));
  } catch {
    return false;
  }
}

export async function loadMembership(options: SourceOptions): Promise<MembershipSnapshot> {
  const { membersFile, snapshotFile, live } = options;
  const given = [membersFile !== undefined, snapshotFile !== undefined, live !== undefined].filter(Boolean).length;
  if (given > 1) throw usageError('give one cluster source: --join, --members or --snapshot');
  // The protocols load only when a live cluster is asked: offline commands start without them.
  if (live !== undefined) return (await import('./live.js')).observeOnce(live);
  if (snapshotFile !== undefined) {
    const snapshot = parseSnapshot(await readTextFile(snapshotFile, 'snapshot'), snapshotFile);
    return snapshot;
  }
  if (membersFile !== undefined) return loadMembershipFile(membersFile);
  throw usageError('no cluster given', 'pass --join HOST:PORT, --members FILE or --snapshot FILE');
}
