/**
 * Who reaches whom, from each view's latest replies: a partition (sides that hold each other
 * down both ways) and one-way faults (A holds B down while B holds A alive). A relation counts
 * only when it held in each view's last replies (up to three), so gossip lag is not a finding.
 * Pure.
 */
import type { ViewTimeline } from '../view-timeline.js';
import { statusIn } from '../views.js';
import { type Finding, SEVERITY, sinceText } from './types.js';

export type Seen = 'alive' | 'down' | 'mixed';

/** How `a` saw `b` in its last replies: alive in all, down (suspect, failed, gone) in all, or mixed. */
export function seenBy(timeline: ViewTimeline, a: string, b: string): Seen {
  const replies = timeline.recent(a);
  if (replies.length === 0) return 'mixed';
  const alive = replies.map((v) => statusIn(v, b) === 'alive');
  return alive.every(Boolean) ? 'alive' : alive.some(Boolean) ? 'mixed' : 'down';
}

/** Members that answered, split into groups that see each other alive both ways. */
export function mutualComponents(timeline: ViewTimeline, answered: readonly string[]): string[][] {
  const parent = new Map(answered.map((a) => [a, a]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    return r;
  };
  for (let i = 0; i < answered.length; i++) {
    for (let j = i + 1; j < answered.length; j++) {
      const [a, b] = [answered[i] as string, answered[j] as string];
      if (seenBy(timeline, a, b) === 'alive' && seenBy(timeline, b, a) === 'alive') parent.set(find(a), find(b));
    }
  }
  const groups = new Map<string, string[]>();
  for (const a of answered) (groups.get(find(a)) ?? groups.set(find(a), []).get(find(a)))?.push(a);
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => y.length - x.length || (x[0] as string).localeCompare(y[0] as string));
}

/** When `a` began holding every member of `others` down as it does now (the latest of those moments). */
function heldSince(timeline: ViewTimeline, holders: readonly string[], others: readonly string[]): { at: number; before: boolean } {
  let at = 0;
  let before = true;
  for (const a of holders) {
    for (const b of others) {
      const s = timeline.statusOf(a, b);
      if (!s) continue;
      if (s.since > at) at = s.since;
      if (!s.sinceStart) before = false;
    }
  }
  return { at, before };
}

export function partitionFinding(timeline: ViewTimeline, answered: readonly string[], protocol: string): Finding | null {
  const sides = mutualComponents(timeline, answered);
  if (sides.length < 2) return null;
  const cutBothWays = (x: string[], y: string[]): boolean => x.every((a) => y.every((b) => seenBy(timeline, a, b) === 'down' && seenBy(timeline, b, a) === 'down'));
  const cut = sides.filter((s, i) => sides.some((o, j) => i !== j && cutBothWays(s, o)));
  if (cut.length < 2) return null;
  const evidence = cut.map((side) => {
    const others = cut.filter((o) => o !== side).flat();
    const since = heldSince(timeline, side, others);
    return { observers: side, holdsDown: others, since: sinceText(since.at, since.before) };
  });
  const largest = cut[0] as string[];
  const named = cut.length > 1 && (cut[1] as string[]).length === largest.length ? cut.flat() : cut.slice(1).flat();
  return {
    kind: 'partition',
    severity: SEVERITY.partition,
    members: named.sort(),
    summary: `${cut.length} sides that hold each other failed: ${cut.map((s) => `{${s.join(',')}}`).join(' | ')}`,
    evidence: { sides: evidence },
    advice:
      protocol === 'ringpop'
        ? 'the sides cannot reach each other: check the network between them (firewall rules, routes, security groups) on the TChannel port (TCP); once they can, ringpop re-merges within one or two healer rounds (30 s each by default), or force it with ringpop-admin heal'
        : 'the sides cannot reach each other: check the network between them (firewall rules, routes, security groups) on the gossip port, UDP and TCP; the agents reconnect by themselves once they can',
  };
}

/** Pairs where one side holds the other down and the other holds it alive, in their last replies. */
export function oneWayPairs(timeline: ViewTimeline, answered: readonly string[]): Array<{ holder: string; held: string }> {
  const pairs: Array<{ holder: string; held: string }> = [];
  for (const a of answered) for (const b of answered) if (a !== b && seenBy(timeline, a, b) === 'down' && seenBy(timeline, b, a) === 'alive') pairs.push({ holder: a, held: b });
  return pairs;
}

export function oneWayFinding(timeline: ViewTimeline, pairs: ReadonlyArray<{ holder: string; held: string }>): Finding | null {
  if (pairs.length === 0) return null;
  // When every pair shares one member (it holds all the others down, or they all hold it down), that member is the one to look at.
  const all = [...new Set(pairs.flatMap((p) => [p.holder, p.held]))].sort();
  const common = pairs.length > 1 ? all.filter((m) => pairs.every((p) => p.holder === m || p.held === m)) : [];
  const members = common.length === 1 ? common : all;
  return {
    kind: 'one-way',
    severity: SEVERITY['one-way'],
    members,
    summary: pairs.map((p) => `${p.holder} holds ${p.held} failed while ${p.held} holds ${p.holder} alive`).join('; '),
    evidence: {
      pairs: pairs.map((p) => {
        const s = timeline.statusOf(p.holder, p.held);
        return { a: p.holder, b: p.held, aSeesB: s?.status ?? 'unknown', bSeesA: 'alive', since: s ? sinceText(s.since, s.sinceStart) : null };
      }),
    },
    advice: `traffic gets through one way only: check firewall rules and routes from ${pairs[0]?.holder} to ${pairs[0]?.held} (and back) on the gossip port, UDP and TCP`,
  };
}
