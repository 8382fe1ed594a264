/**
 * Cross-member comparison of views (`members --all-views`), as ringpop-admin does for ringpop:
 * members that see the same statuses for everyone form one group; a member others disagree
 * about is the first sign of a partition or a gray failure. Pure.
 */
import type { MemberStatus } from './member.js';
import type { MemberView } from './observer.js';

export interface ViewGroup {
  /** Members whose views are identical. */
  observers: string[];
  /** Status of every member in that view. */
  statuses: Record<string, MemberStatus>;
  /** The membership checksum these members report (ringpop: what ringpop-admin calls a partition). */
  checksum?: number;
}

export interface Disagreement {
  member: string;
  /** Which observers see which status (a member absent from a view counts as "unknown"). */
  seenAs: Partial<Record<MemberStatus | 'unknown', string[]>>;
}

export interface ViewsReport {
  agree: boolean;
  groups: ViewGroup[];
  disagreements: Disagreement[];
  unreachable: { observer: string; addr: string; error: string }[];
}

export function compareViews(views: readonly MemberView[]): ViewsReport {
  const answered = views.filter((v) => v.members !== null);
  const groups = new Map<string, ViewGroup>();
  for (const view of answered) {
    const statuses = Object.fromEntries((view.members ?? []).map((m) => [m.name, m.status])) as Record<string, MemberStatus>;
    // Where members report a membership checksum, it decides the group (ringpop).
    const key = view.checksum !== undefined ? `checksum:${view.checksum}` : JSON.stringify(Object.entries(statuses).sort(([a], [b]) => (a < b ? -1 : 1)));
    const group = groups.get(key);
    if (group) group.observers.push(view.observer);
    else groups.set(key, { observers: [view.observer], statuses, ...(view.checksum !== undefined ? { checksum: view.checksum } : {}) });
  }
  const names = new Set(answered.flatMap((v) => (v.members ?? []).map((m) => m.name)));
  const disagreements: Disagreement[] = [];
  for (const member of [...names].sort()) {
    const seenAs: Disagreement['seenAs'] = {};
    for (const view of answered) {
      const status = view.members?.find((m) => m.name === member)?.status ?? 'unknown';
      (seenAs[status] ??= []).push(view.observer);
    }
    if (Object.keys(seenAs).length > 1) disagreements.push({ member, seenAs });
  }
  const ordered = [...groups.values()].sort((a, b) => b.observers.length - a.observers.length);
  return {
    agree: ordered.length <= 1,
    groups: ordered,
    disagreements,
    unreachable: views.filter((v) => v.members === null).map((v) => ({ observer: v.observer, addr: v.addr, error: v.error ?? 'no reply' })),
  };
}
