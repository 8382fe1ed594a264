/**
 * Whether the cluster has settled (scenario `agreementMs`, `until: agreement`): every member that
 * has not left answered, and every view lists the same members, all alive. A view that could not
 * be read is not agreement. Pure.
 */
import type { Member } from './member.js';
import type { MemberView } from './observer.js';
import { OBSERVER_TAG, OBSERVER_TAG_VALUE } from './ring-members.js';
import { memberIn } from './views.js';

export interface Agreement {
  agree: boolean;
  /** Members not yet agreed on: seen other than alive, listed differently, or not answering. */
  disagreeing: string[];
}

const isObserver = (m: Member): boolean => m.tags[OBSERVER_TAG] === OBSERVER_TAG_VALUE;

/** `views`: the latest poll of every member (answered or not). */
export function agreementOf(views: readonly MemberView[]): Agreement {
  if (views.length === 0) return { agree: false, disagreeing: [] };
  const disagreeing = new Set<string>();
  const answered = views.filter((v) => v.members !== null);
  for (const v of views) if (v.members === null) disagreeing.add(v.observer);
  // Every member some view lists (left aside) must be listed alive by every view, and answer.
  const listed = new Map<string, Member>();
  for (const v of answered) for (const m of v.members ?? []) if (m.status !== 'left') listed.set(m.name, m);
  const askedNames = new Set(views.map((v) => v.observer));
  for (const [name, member] of listed) {
    if (!isObserver(member) && !askedNames.has(name)) disagreeing.add(name);
    for (const v of answered) {
      const seen = memberIn(v, name);
      if (!seen || seen.status !== 'alive') disagreeing.add(name);
    }
  }
  return { agree: disagreeing.size === 0, disagreeing: [...disagreeing].sort() };
}
