/**
 * What every member's view said over time, kept compactly as polls arrive (`diagnose`, scenario
 * observation, the dashboard): per view and member the current status and since when, every
 * excursion from alive (an episode: suspect only, or failed, until alive again), the member's
 * incarnation rises, and each view's latest replies. Memory grows with members x views, not with
 * the number of polls (episodes and rises are capped). Pure: fed MemberViews, no I/O.
 */
import type { MemberStatus } from './member.js';
import type { MemberView } from './observer.js';

/** One excursion of `member` from alive as `observer` saw it. */
export interface Episode {
  observer: string;
  member: string;
  /** When the view was first seen holding the member suspect or failed (epoch ms). */
  from: number;
  /** When it was first seen alive again; null while it lasts. */
  to: number | null;
  /** The gravest status seen during the episode. */
  worst: 'suspect' | 'failed';
}

interface Track {
  status: MemberStatus;
  /** First sample with this status (epoch ms); `sinceStart` when it was already so in the first sample. */
  since: number;
  sinceStart: boolean;
  open: Episode | null;
}

interface ViewTrack {
  polls: number;
  answered: number;
  lastError: string | undefined;
  firstAt: number;
  /** The latest replies, newest last (at most RECENT). */
  recent: MemberView[];
  /** The latest poll, answered or not. */
  last: MemberView | null;
  members: Map<string, Track>;
}

const RECENT = 3;
const EPISODE_CAP = 20_000;
const RISE_CAP = 20_000;

export class ViewTimeline {
  private readonly views = new Map<string, ViewTrack>();
  private readonly closed: Episode[] = [];
  /** Per member: the highest incarnation seen so far, and every rise of it (at, from, to). */
  private readonly incarnations = new Map<string, { max: number; rises: Array<{ at: number; from: number; to: number }> }>();
  private started = Number.POSITIVE_INFINITY;
  private ended = 0;

  add(view: MemberView): void {
    this.started = Math.min(this.started, view.at);
    this.ended = Math.max(this.ended, view.at);
    let track = this.views.get(view.observer);
    if (!track) {
      track = { polls: 0, answered: 0, lastError: undefined, firstAt: view.at, recent: [], last: null, members: new Map() };
      this.views.set(view.observer, track);
    }
    track.polls++;
    track.last = view;
    if (view.members === null) {
      track.lastError = view.error ?? 'no reply';
      return;
    }
    track.answered++;
    track.recent.push(view);
    if (track.recent.length > RECENT) track.recent.shift();
    for (const m of view.members) {
      this.noteIncarnation(m.name, m.incarnation, view.at);
      const known = track.members.get(m.name);
      if (!known) {
        const open = m.status === 'suspect' || m.status === 'failed' ? { observer: view.observer, member: m.name, from: view.at, to: null, worst: m.status } : null;
        track.members.set(m.name, { status: m.status, since: view.at, sinceStart: track.answered === 1, open });
        continue;
      }
      if (known.status === m.status) continue;
      known.status = m.status;
      known.since = view.at;
      known.sinceStart = false;
      if (m.status === 'suspect' || m.status === 'failed') {
        if (known.open) {
          if (m.status === 'failed') known.open.worst = 'failed';
        } else known.open = { observer: view.observer, member: m.name, from: view.at, to: null, worst: m.status };
      } else if (known.open) {
        // Back alive closes the excursion; a leave ends it without a cycle.
        if (m.status === 'alive') {
          known.open.to = view.at;
          if (this.closed.length < EPISODE_CAP) this.closed.push(known.open);
        }
        known.open = null;
      }
    }
  }

  private noteIncarnation(member: string, incarnation: number, at: number): void {
    const known = this.incarnations.get(member);
    if (!known) {
      this.incarnations.set(member, { max: incarnation, rises: [] });
      return;
    }
    if (incarnation <= known.max) return;
    if (known.rises.length < RISE_CAP) known.rises.push({ at, from: known.max, to: incarnation });
    known.max = incarnation;
  }

  /** The first and last poll times (epoch ms). */
  window(): { from: number; to: number } {
    return { from: Number.isFinite(this.started) ? this.started : 0, to: this.ended };
  }

  observers(): string[] {
    return [...this.views.keys()].sort();
  }

  /** Polls made and answered, per view. */
  pollCounts(): Record<string, { polls: number; answered: number; lastError?: string }> {
    return Object.fromEntries([...this.views].map(([o, t]) => [o, { polls: t.polls, answered: t.answered, ...(t.lastError !== undefined && t.last?.members === null ? { lastError: t.lastError } : {}) }]));
  }

  /** Polls made over all views. */
  totalPolls(): number {
    return [...this.views.values()].reduce((sum, t) => sum + t.polls, 0);
  }

  /** Each view's latest poll (answered or not). */
  latest(): MemberView[] {
    return [...this.views.values()].map((t) => t.last).filter((v): v is MemberView => v !== null);
  }

  /** Each view's latest answered replies, newest last. */
  recent(observer: string): MemberView[] {
    return this.views.get(observer)?.recent ?? [];
  }

  /** How `observer` currently sees `member`, and since when. */
  statusOf(observer: string, member: string): { status: MemberStatus; since: number; sinceStart: boolean } | undefined {
    const t = this.views.get(observer)?.members.get(member);
    return t ? { status: t.status, since: t.since, sinceStart: t.sinceStart } : undefined;
  }

  /** Closed episodes that began in [from, to), and, with `open`, those still lasting. */
  episodes(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY, open = false): Episode[] {
    const out = this.closed.filter((e) => e.from >= from && e.from < to);
    if (open) for (const t of this.views.values()) for (const m of t.members.values()) if (m.open && m.open.from >= from && m.open.from < to) out.push({ ...m.open });
    return out;
  }

  /** How much `member`'s incarnation rose in [from, to). */
  incarnationDelta(member: string, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): number {
    const rises = this.incarnations.get(member)?.rises ?? [];
    return rises.filter((r) => r.at >= from && r.at < to).reduce((sum, r) => sum + (r.to - r.from), 0);
  }

  /** Every member any view listed. */
  members(): string[] {
    return [...this.incarnations.keys()].sort();
  }
}

/** Flaps of one member in a window, as each view saw them. */
export interface MemberFlaps {
  member: string;
  /** All cycles (failed and suspect-only), in the view that saw the most. */
  flaps: number;
  /** alive -> failed -> alive (declared dead, came back), in the view that saw the most. */
  failedCycles: number;
  /** alive -> suspect -> alive (a refuted suspicion), in the view that saw the most. */
  suspectCycles: number;
  /** How much its incarnation rose: each rise is a refutation, also between polls. */
  incarnationDelta: number;
  /** Views that saw at least one cycle. */
  seenBy: number;
  byView: Record<string, { failedCycles: number; suspectCycles: number }>;
}

/** Per member, the cycles each view saw begin in [from, to), and the incarnation rises. */
export function flapsIn(timeline: ViewTimeline, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): MemberFlaps[] {
  const byMember = new Map<string, MemberFlaps>();
  const entry = (member: string): MemberFlaps => {
    let e = byMember.get(member);
    if (!e) {
      e = { member, flaps: 0, failedCycles: 0, suspectCycles: 0, incarnationDelta: timeline.incarnationDelta(member, from, to), seenBy: 0, byView: {} };
      byMember.set(member, e);
    }
    return e;
  };
  for (const ep of timeline.episodes(from, to)) {
    const e = entry(ep.member);
    const v = (e.byView[ep.observer] ??= { failedCycles: 0, suspectCycles: 0 });
    if (ep.worst === 'failed') v.failedCycles++;
    else v.suspectCycles++;
  }
  for (const member of timeline.members()) if (timeline.incarnationDelta(member, from, to) > 0) entry(member);
  for (const e of byMember.values()) {
    const views = Object.values(e.byView);
    e.failedCycles = Math.max(0, ...views.map((v) => v.failedCycles));
    e.suspectCycles = Math.max(0, ...views.map((v) => v.suspectCycles));
    e.flaps = Math.max(0, ...views.map((v) => v.failedCycles + v.suspectCycles));
    e.seenBy = views.filter((v) => v.failedCycles + v.suspectCycles > 0).length;
  }
  return [...byMember.values()].sort((a, b) => b.flaps - a.flaps || b.incarnationDelta - a.incarnationDelta || (a.member < b.member ? -1 : 1));
}
