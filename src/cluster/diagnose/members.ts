/**
 * Findings about single members, from the views over the window: gray members (flapping in the
 * views of others while the rest are stable), members failed in every view, members only this
 * host cannot reach, protocol version skew and tag drift. Pure.
 */
import type { Member } from '../member.js';
import type { MemberView } from '../observer.js';
import { OBSERVER_TAG, OBSERVER_TAG_VALUE } from '../ring-members.js';
import { flapsIn, type ViewTimeline } from '../view-timeline.js';
import { memberIn, statusIn } from '../views.js';
import { type Finding, SEVERITY, sinceText } from './types.js';

/**
 * A member is gray when it flaps in the views of at least two others (cycles, at least half as
 * many as the worst member's), when its incarnation climbs while the others' stay put, or when
 * every view holds it down now although it refuted during the window (a crashed member never
 * refutes: its incarnation cannot rise).
 */
export function grayFindings(timeline: ViewTimeline, latest: readonly MemberView[], exclude: ReadonlySet<string>): Finding[] {
  const flaps = flapsIn(timeline).filter((f) => !exclude.has(f.member));
  // Cycles seen by views other than the member's own.
  const others = flaps.map((f) => {
    const views = Object.entries(f.byView).filter(([o]) => o !== f.member);
    const cycles = Math.max(0, ...views.map(([, v]) => v.failedCycles + v.suspectCycles));
    return { f, cycles, seenBy: views.filter(([, v]) => v.failedCycles + v.suspectCycles > 0).length };
  });
  const top = Math.max(0, ...others.map((o) => o.cycles));
  const findings: Finding[] = [];
  for (const { f, cycles, seenBy } of others) {
    const otherDeltas = flaps.filter((g) => g !== f).map((g) => g.incarnationDelta);
    const flapping = seenBy >= 2 && cycles * 2 > top;
    const climbing = f.incarnationDelta >= 2 && Math.max(0, ...otherDeltas) * 2 <= f.incarnationDelta;
    const refutingWhileDown = f.incarnationDelta >= 1 && downEverywhere(latest, f.member);
    if (!flapping && !climbing && !refutingWhileDown) continue;
    const what = flapping
      ? `${f.failedCycles} failed and ${f.suspectCycles} suspect cycles in ${seenBy} views`
      : refutingWhileDown
        ? `every view holds it down now, yet it refuted ${f.incarnationDelta} time(s) in the window: it is alive, its traffic is not getting through`
        : `its incarnation rose by ${f.incarnationDelta} while the others' stayed put`;
    findings.push({
      kind: 'gray-member',
      severity: SEVERITY['gray-member'],
      members: [f.member],
      summary: `${f.member} flaps: ${what} (incarnation +${f.incarnationDelta})`,
      evidence: { flaps: f.flaps, failedCycles: f.failedCycles, suspectCycles: f.suspectCycles, incarnationDelta: f.incarnationDelta, seenBy, byView: f.byView },
      advice: `${f.member} keeps being declared suspect or failed and coming back: check its network (packet loss on either direction), CPU and GC pauses; drain it before it takes traffic`,
    });
  }
  return findings;
}

/** Every view that answered (but the member's own) holds `member` suspect or failed. */
function downEverywhere(latest: readonly MemberView[], member: string): boolean {
  const views = latest.filter((v) => v.members !== null && v.observer !== member);
  return views.length > 0 && views.every((v) => ['suspect', 'failed'].includes(statusIn(v, member)));
}

/** Members every answered view holds failed, and that did not answer us. */
export function failedFindings(timeline: ViewTimeline, latest: readonly MemberView[], answered: readonly string[]): Finding[] {
  const views = latest.filter((v) => v.members !== null);
  if (views.length === 0) return [];
  const names = new Set(views.flatMap((v) => (v.members ?? []).map((m) => m.name)));
  const out: Finding[] = [];
  for (const name of [...names].sort()) {
    if (answered.includes(name)) continue;
    if (!views.every((v) => statusIn(v, name) === 'failed')) continue;
    const since = views.map((v) => timeline.statusOf(v.observer, name)).filter((s) => s !== undefined);
    const at = Math.min(...since.map((s) => s.since));
    const before = since.every((s) => s.sinceStart);
    out.push({
      kind: 'failed',
      severity: SEVERITY.failed,
      members: [name],
      summary: `${name} is failed in all ${views.length} views and does not answer`,
      evidence: { heldFailedBy: views.map((v) => v.observer), since: sinceText(at, before), error: latest.find((v) => v.observer === name)?.error ?? null },
      advice: `check the host and the agent of ${name}; if it is gone for good, remove it (serf force-leave ${name}, consul force-leave ${name})`,
    });
  }
  return out;
}

/** Members every poll of ours failed for, while the views that answered hold them alive. */
export function unreachableFindings(timeline: ViewTimeline, latest: readonly MemberView[]): Finding[] {
  const counts = timeline.pollCounts();
  const views = latest.filter((v) => v.members !== null);
  const out: Finding[] = [];
  for (const v of latest) {
    const c = counts[v.observer];
    if (!c || c.answered > 0 || views.length === 0) continue;
    const holders = views.filter((o) => statusIn(o, v.observer) === 'alive').map((o) => o.observer);
    if (holders.length * 2 <= views.length) continue;
    out.push({
      kind: 'unreachable-from-here',
      severity: SEVERITY['unreachable-from-here'],
      members: [v.observer],
      summary: `this host cannot reach ${v.observer} (${v.addr}) although ${holders.length} of ${views.length} views hold it alive`,
      evidence: { addr: v.addr, polls: c.polls, error: v.error ?? 'no reply', heldAliveBy: holders },
      advice: `the cluster's own network reaches ${v.observer}; check this host's route and firewall to ${v.addr} (TCP for ringside's polls)`,
    });
  }
  return out;
}

const isObserver = (m: Member): boolean => m.tags[OBSERVER_TAG] === OBSERVER_TAG_VALUE;

/** memberlist protocol and Serf delegate versions that differ between members. */
export function versionSkewFinding(members: readonly Member[]): Finding | null {
  const groups = new Map<string, string[]>();
  for (const m of members) {
    const vsn = m.protocol['vsn'];
    if (isObserver(m) || m.status === 'left' || !Array.isArray(vsn) || vsn.length < 6) continue;
    const key = `memberlist protocol ${vsn[2]}, delegate ${vsn[5]}`;
    (groups.get(key) ?? groups.set(key, []).get(key))?.push(m.name);
  }
  if (groups.size < 2) return null;
  return {
    kind: 'version-skew',
    severity: SEVERITY['version-skew'],
    members: [...groups.values()].flat().sort(),
    summary: `members speak ${groups.size} protocol versions: ${[...groups].map(([k, v]) => `${k} (${v.length})`).join('; ')}`,
    evidence: { versions: Object.fromEntries(groups) },
    advice: 'a rolling upgrade is under way or stalled: finish it, so every member speaks the same protocol',
  };
}

const tagsKey = (tags: Record<string, string>): string => JSON.stringify(Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1))));

/** A member whose tags differ between views, in their latest replies and the one before. */
export function tagDriftFindings(timeline: ViewTimeline, answered: readonly string[]): Finding[] {
  const variants = new Map<string, Map<string, string[]>>();
  for (const o of answered) {
    const replies = timeline.recent(o).slice(-2);
    for (const m of replies.at(-1)?.members ?? []) {
      if (m.status === 'left') continue;
      const tags = tagsKey(m.tags);
      // Persistent: the view said the same in its reply before.
      const before = replies.length === 2 ? memberIn(replies[0] as MemberView, m.name) : undefined;
      if (before && tagsKey(before.tags) !== tags) continue;
      const byTags = variants.get(m.name) ?? variants.set(m.name, new Map()).get(m.name);
      (byTags?.get(tags) ?? byTags?.set(tags, []).get(tags))?.push(o);
    }
  }
  const out: Finding[] = [];
  for (const [member, byTags] of [...variants].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (byTags.size < 2) continue;
    out.push({
      kind: 'tag-drift',
      severity: SEVERITY['tag-drift'],
      members: [member],
      summary: `views disagree about ${member}'s tags (${byTags.size} versions)`,
      evidence: { variants: [...byTags].map(([tags, observers]) => ({ tags: JSON.parse(tags) as Record<string, string>, observers })) },
      advice: `a tag update of ${member} has not reached every member: check that ${member} can gossip to everyone`,
    });
  }
  return out;
}
