/**
 * The members pane: every member with its status (problems first), incarnation and tags;
 * ringside's own observer marked; with --all-views, whether the members' own views agree, one
 * line per group when they do not, and each member's group letter (column V). Pure.
 */
import type { Member, MemberStatus } from '../../src/cluster/member.js';
import { OBSERVER_TAG, OBSERVER_TAG_VALUE } from '../../src/cluster/ring-members.js';
import type { ViewsReport } from '../../src/cluster/views.js';
import { clip, fit, type PaneView, type Row, type Tone, windowOf } from './text.js';

export interface MembersViewInput {
  members: readonly Member[];
  /** Case-insensitive substring over name, address, status and tags; empty shows everyone. */
  filter: string;
  scroll: number;
  width: number;
  height: number;
  /** --all-views: the latest comparison; null while the first one is pending; undefined when off. */
  views?: ViewsReport | null;
}

const ORDER: Record<MemberStatus, number> = { failed: 0, suspect: 1, alive: 2, left: 3 };
export const STATUS_TONE: Record<MemberStatus, Tone> = { alive: 'good', suspect: 'warn', failed: 'bad', left: 'dim' };

export function isObserver(member: Member): boolean {
  return member.tags[OBSERVER_TAG] === OBSERVER_TAG_VALUE;
}

export function tagsText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function matchesFilter(member: Member, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  return [member.name, member.addr, member.status, member.nativeStatus, tagsText(member.tags)].some((field) => field.toLowerCase().includes(needle));
}

/** Problems first (failed, suspect), then alive, then left; by name within a status. */
export function sortMembers(members: readonly Member[]): Member[] {
  return [...members].sort((a, b) => ORDER[a.status] - ORDER[b.status] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function countByStatus(members: readonly Member[]): Record<MemberStatus, number> {
  const counts: Record<MemberStatus, number> = { alive: 0, suspect: 0, failed: 0, left: 0 };
  for (const m of members) counts[m.status]++;
  return counts;
}

/** Group letters: A for the largest group of members whose views agree, then B, ... */
export function groupLetters(views: ViewsReport | null | undefined): Map<string, string> {
  const letters = new Map<string, string>();
  if (!views || views.groups.length < 2) return letters;
  views.groups.forEach((g, i) => {
    for (const o of g.observers) letters.set(o, String.fromCharCode(65 + Math.min(i, 25)));
  });
  return letters;
}

/** Whether the members' own views agree; when not, one line per group of agreeing members. */
export function viewsRows(views: ViewsReport | null, width: number): Row[] {
  if (views === null) return [{ text: clip('views: asking every member…', width), tone: 'dim' }];
  const silent = views.unreachable.map((u) => u.observer);
  const unreachable = silent.length > 0 ? `, ${silent.length} did not answer (${silent.join(',')})` : '';
  const answered = views.asked.filter((a) => a.answered).length;
  if (views.groups.length <= 1) {
    if (views.agree) return [{ text: clip(`views: all ${answered} agree`, width), tone: 'good' }];
    return [{ text: clip(`views: ${answered} agree${unreachable}`, width), tone: 'warn' }];
  }
  const rows: Row[] = [{ text: clip(`views: ${views.groups.length} groups disagree${unreachable}`, width), tone: 'bad' }];
  views.groups.forEach((g, i) => {
    const down = Object.entries(g.statuses).filter(([, status]) => status !== 'alive');
    const held = down.length === 0 ? 'all alive' : `holds ${down.map(([m, status]) => `${m} ${status}`).join(', ')}`;
    rows.push({ text: clip(`${String.fromCharCode(65 + Math.min(i, 25))} ${g.observers.join(',')}: ${held}`, width), tone: 'bad' });
  });
  return rows;
}

interface Column {
  header: string;
  width: number;
  value: (m: Member) => string;
  align?: 'right';
}

/** The columns that fit `width`: tags, then incarnation, then address go first when narrow. */
function columnsFor(members: readonly Member[], width: number, groups: ReadonlyMap<string, string>): Column[] {
  const marked = groups.size > 0;
  const group: Column = { header: 'V', width: 1, value: (m) => groups.get(m.name) ?? '-' };
  const chosen = columnsWithout(members, marked ? width - 2 : width);
  return marked ? [group, ...chosen] : chosen;
}

function columnsWithout(members: readonly Member[], width: number): Column[] {
  const longest = (values: string[], min: number, max: number): number => Math.max(min, Math.min(max, Math.max(0, ...values.map((v) => v.length))));
  const nameOf = (m: Member): string => `${isObserver(m) ? '*' : ''}${m.name}`;
  const name: Column = { header: 'NAME', width: longest(members.map(nameOf), 4, 24), value: nameOf };
  const addr: Column = { header: 'ADDR', width: longest(members.map((m) => m.addr), 4, 21), value: (m) => m.addr || '-' };
  const status: Column = { header: 'STATUS', width: 7, value: (m) => m.status };
  const inc: Column = { header: 'INC', width: longest(members.map((m) => String(m.incarnation)), 3, 10), value: (m) => String(m.incarnation), align: 'right' };
  const tags: Column = { header: 'TAGS', width: 0, value: (m) => tagsText(m.tags) };
  const wanted = name.width;
  for (const set of [[name, addr, status, inc, tags], [name, addr, status, inc], [name, addr, status], [name, status]]) {
    // Long names are cut (to no less than 12 columns) before a column is dropped.
    const others = set.reduce((sum, c) => (c === name || c === tags ? sum : sum + c.width + 1), 0) + (set.includes(tags) ? 9 : 0);
    const nameWidth = Math.min(wanted, width - others);
    if (nameWidth >= Math.min(wanted, 12)) {
      name.width = nameWidth;
      if (set.includes(tags)) tags.width = width - others - nameWidth + 8;
      return set;
    }
  }
  name.width = Math.max(4, width - status.width - 1);
  return [name, status];
}

export function membersView(input: MembersViewInput): PaneView {
  const { width, height } = input;
  const shown = sortMembers(input.members.filter((m) => matchesFilter(m, input.filter)));
  const counts = countByStatus(input.members);
  const filtered = input.filter !== '' ? ` · /${input.filter}: ${shown.length} shown` : '';
  const parts = (['alive', 'suspect', 'failed', 'left'] as const).filter((s) => counts[s] > 0 || s === 'alive').map((s) => `${counts[s]} ${s}`);
  const title = `members ${input.members.length}: ${parts.join(', ')}${filtered}`;
  const rows: Row[] = input.views !== undefined ? viewsRows(input.views, width) : [];
  const columns = columnsFor(shown.length > 0 ? shown : input.members, width, groupLetters(input.views));
  const line = (cells: string[]): string => clip(cells.map((c, i) => (i === cells.length - 1 ? c : fit(c, columns[i]!.width, columns[i]!.align))).join(' '), width);
  rows.push({ text: line(columns.map((c) => c.header)), tone: 'accent' });
  const room = Math.max(0, height - rows.length);
  const view = windowOf(shown.length, room, input.scroll);
  for (const member of shown.slice(view.start, view.end)) rows.push({ text: line(columns.map((c) => c.value(member))), tone: STATUS_TONE[member.status] });
  if (shown.length === 0) rows.push({ text: input.filter !== '' ? `no member matches "${input.filter}"` : 'no members yet', tone: 'dim' });
  return { title, rows: rows.slice(0, height) };
}
