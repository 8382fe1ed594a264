/**
 * Membership events, as `watch` streams them: the difference between two member lists. Pure.
 */
import type { Member, MemberStatus } from './member.js';

export type MembershipEventType = 'joined' | 'alive' | 'suspect' | 'failed' | 'left' | 'updated';

export interface MembershipEvent {
  type: MembershipEventType;
  ts: string;
  member: string;
  addr: string;
  incarnation: number;
  tags: Record<string, string>;
  status: MemberStatus;
  nativeStatus: string;
  /** The status before the change; null for a member seen for the first time. */
  previous: MemberStatus | null;
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function diffMembers(before: readonly Member[], after: readonly Member[], ts: string): MembershipEvent[] {
  const previous = new Map(before.map((m) => [m.name, m]));
  const events: MembershipEvent[] = [];
  for (const member of after) {
    const old = previous.get(member.name);
    const event = (type: MembershipEventType): MembershipEvent => ({
      type,
      ts,
      member: member.name,
      addr: member.addr,
      incarnation: member.incarnation,
      tags: member.tags,
      status: member.status,
      nativeStatus: member.nativeStatus,
      previous: old?.status ?? null,
    });
    if (!old) events.push(event(member.status === 'alive' || member.status === 'suspect' ? 'joined' : member.status));
    else if (old.status !== member.status) events.push(event(member.status));
    else if (old.addr !== member.addr || !sameTags(old.tags, member.tags)) events.push(event('updated'));
  }
  return events;
}
