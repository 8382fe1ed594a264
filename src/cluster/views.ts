/**
 * Cross-member comparison of views (`members --all-views`, `diagnose`, the dashboard), as
 * ringpop-admin does for ringpop: members that see the same statuses for everyone form one group;
 * a member others disagree about is the first sign of a partition or a gray failure; for every
 * pair of members that answered, what each says of the other shows one-way faults. A member that
 * has left counts the same as one a view no longer lists. Pure.
 */
import type { Member, MemberStatus } from './member.js';
import type { MemberView } from './observer.js';

export type SeenStatus = MemberStatus | 'unknown';

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
  seenAs: Partial<Record<SeenStatus, string[]>>;
}

export interface AskedView {
  member: string;
  addr: string;
  answered: boolean;
  /** How long it took to answer or to fail. */
  ms: number;
  error?: string;
}

/** What A's view says of B beside what B's view says of A. */
export interface Reachability {
  a: string;
  b: string;
  aSeesB: SeenStatus;
  bSeesA: SeenStatus;
}

export interface ViewsReport {
  /** Every member asked answered, and all their views are the same. */
  agree: boolean;
  /** `all-views`: every member was asked now; `polls`: the latest replies to the observer's own polls. */
  source: 'all-views' | 'polls';
  asked: AskedView[];
  groups: ViewGroup[];
  disagreements: Disagreement[];
  /** Every pair of members that answered; pairs that do not both see each other alive come first. */
  reachability: Reachability[];
  unreachable: { observer: string; addr: string; error: string }[];
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Each view's members by name, built once per view (views are compared member by member, pair by pair). */
const indexes = new WeakMap<MemberView, Map<string, Member>>();

/** The member named `member` as `view` lists it. */
export function memberIn(view: MemberView, member: string): Member | undefined {
  if (view.members === null) return undefined;
  let index = indexes.get(view);
  if (!index) {
    index = new Map(view.members.map((m) => [m.name, m]));
    indexes.set(view, index);
  }
  return index.get(member);
}

/** A member's status in a view; left and absent are both "gone" for comparison. */
export function statusIn(view: MemberView, member: string): SeenStatus {
  const status = memberIn(view, member)?.status;
  return status === undefined || status === 'left' ? 'unknown' : status;
}

function statusesOf(view: MemberView): Record<string, MemberStatus> {
  const entries = (view.members ?? []).filter((m) => m.status !== 'left').map((m) => [m.name, m.status] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => byName(a, b))) as Record<string, MemberStatus>;
}

export function reachabilityOf(answered: readonly MemberView[]): Reachability[] {
  const pairs: Reachability[] = [];
  const sorted = [...answered].sort((x, y) => byName(x.observer, y.observer));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const [a, b] = [sorted[i] as MemberView, sorted[j] as MemberView];
      pairs.push({ a: a.observer, b: b.observer, aSeesB: statusIn(a, b.observer), bSeesA: statusIn(b, a.observer) });
    }
  }
  const healthy = (p: Reachability): number => (p.aSeesB === 'alive' && p.bSeesA === 'alive' ? 1 : 0);
  return pairs.sort((x, y) => healthy(x) - healthy(y));
}

export function compareViews(views: readonly MemberView[], source: ViewsReport['source'] = 'all-views'): ViewsReport {
  const answered = views.filter((v) => v.members !== null);
  const groups = new Map<string, ViewGroup>();
  for (const view of answered) {
    const statuses = statusesOf(view);
    // Where members report a membership checksum, it decides the group (ringpop).
    const key = view.checksum !== undefined ? `checksum:${view.checksum}` : JSON.stringify(statuses);
    const group = groups.get(key);
    if (group) group.observers.push(view.observer);
    else groups.set(key, { observers: [view.observer], statuses, ...(view.checksum !== undefined ? { checksum: view.checksum } : {}) });
  }
  const names = new Set(answered.flatMap((v) => (v.members ?? []).map((m) => m.name)));
  const disagreements: Disagreement[] = [];
  for (const member of [...names].sort(byName)) {
    const seenAs: Disagreement['seenAs'] = {};
    for (const view of answered) (seenAs[statusIn(view, member)] ??= []).push(view.observer);
    if (Object.keys(seenAs).length > 1) disagreements.push({ member, seenAs });
  }
  for (const g of groups.values()) g.observers.sort(byName);
  const ordered = [...groups.values()].sort((a, b) => b.observers.length - a.observers.length || byName(a.observers[0] ?? '', b.observers[0] ?? ''));
  const unreachable = views.filter((v) => v.members === null).map((v) => ({ observer: v.observer, addr: v.addr, error: v.error ?? 'no reply' }));
  return {
    agree: ordered.length === 1 && unreachable.length === 0,
    source,
    asked: views.map((v) => ({ member: v.observer, addr: v.addr, answered: v.members !== null, ms: v.ms, ...(v.members === null ? { error: v.error ?? 'no reply' } : {}) })),
    groups: ordered,
    disagreements,
    reachability: reachabilityOf(answered),
    unreachable,
  };
}

/** One line for people: whether the views agree, and if not, how they split. */
export function viewsSummary(report: ViewsReport): string {
  const answered = report.asked.filter((a) => a.answered).length;
  const missing = report.unreachable.length > 0 ? `; ${report.unreachable.length} did not answer (${report.unreachable.map((u) => u.observer).join(', ')})` : '';
  const what = report.source === 'polls' ? 'members that answered the observer\'s polls' : 'members asked';
  if (report.groups.length <= 1) return `${answered} ${what} agree on the membership${report.groups[0]?.checksum !== undefined ? ` (checksum ${report.groups[0].checksum})` : ''}${missing}`;
  const sides = report.groups.map((g) => `{${g.observers.join(',')}}`).join(' | ');
  return `views disagree: ${report.groups.length} different views among ${answered} ${what}: ${sides}${missing}`;
}
