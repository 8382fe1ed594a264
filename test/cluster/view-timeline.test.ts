// ViewTimeline and flapsIn with vectors: every excursion from alive each view saw, a cycle in the
// phase it began in, incarnation rises between polls; and the accusation log.
import { describe, expect, it } from 'vitest';
import { AccusationLog, summariseAccusations } from '../../src/cluster/accusations.js';
import { flapsIn, ViewTimeline } from '../../src/cluster/view-timeline.js';
import { noReply, view } from './view-fixtures.js';

/** Feeds `seq` (statuses of g in view o over time) into a timeline, one poll per second. */
function feed(timeline: ViewTimeline, observer: string, seq: string[], start = 0): void {
  seq.forEach((s, i) => timeline.add(view(observer, start + i * 1000, { [observer]: 'alive', g: s })));
}

describe('ViewTimeline', () => {
  it('counts alive->failed->alive and alive->suspect->alive per view, by when they began', () => {
    const t = new ViewTimeline();
    feed(t, 'a', ['alive@1', 'suspect@1', 'alive@2', 'suspect@2', 'failed@2', 'failed@2', 'alive@3', 'failed@3', 'alive@4']);
    feed(t, 'b', ['alive@1', 'alive@1', 'failed@2', 'alive@3', 'alive@4', 'alive@4', 'alive@4', 'alive@4', 'alive@5']);
    const [g] = flapsIn(t).filter((f) => f.member === 'g');
    expect(g).toEqual({
      member: 'g',
      // a: suspect->alive, suspect->failed->alive, failed->alive; b: failed->alive.
      flaps: 3,
      failedCycles: 2,
      suspectCycles: 1,
      // The rises between polls count too: 1 -> 5 over the window.
      incarnationDelta: 4,
      seenBy: 2,
      byView: { a: { failedCycles: 2, suspectCycles: 1 }, b: { failedCycles: 1, suspectCycles: 0 } },
    });
    // Only cycles that began in [3000, 7000): a's suspect->failed (3 s) and failed (7 s is outside), b's nothing.
    const [w] = flapsIn(t, 3000, 7000).filter((f) => f.member === 'g');
    expect(w?.byView).toEqual({ a: { failedCycles: 1, suspectCycles: 0 } });
    // A rise counts when first seen: a's samples came first, and it first showed 3 at 6 s.
    expect(w?.incarnationDelta).toBe(1);
  });

  it('an excursion still lasting is not a cycle; a leave ends one without a cycle; a failed poll changes nothing', () => {
    const t = new ViewTimeline();
    feed(t, 'a', ['alive', 'failed', 'failed']);
    feed(t, 'b', ['alive', 'suspect', 'left']);
    t.add(noReply('c', 500));
    expect(flapsIn(t).filter((f) => f.flaps > 0)).toEqual([]);
    expect(t.episodes(undefined, undefined, true)).toEqual([{ observer: 'a', member: 'g', from: 1000, to: null, worst: 'failed' }]);
    expect(t.pollCounts()).toEqual({ a: { polls: 3, answered: 3 }, b: { polls: 3, answered: 3 }, c: { polls: 1, answered: 0, lastError: 'timeout' } });
    expect(t.statusOf('a', 'g')).toEqual({ status: 'failed', since: 1000, sinceStart: false });
    expect(t.statusOf('a', 'a')).toEqual({ status: 'alive', since: 0, sinceStart: true });
  });

  it('keeps only the last three replies of each view', () => {
    const t = new ViewTimeline();
    feed(t, 'a', ['alive', 'alive', 'suspect', 'alive', 'failed']);
    expect(t.recent('a').map((v) => v.at)).toEqual([2000, 3000, 4000]);
    expect(t.totalPolls()).toBe(5);
  });
});

describe('AccusationLog', () => {
  it('dedups a suspect and the dead that followed, marks refutations, finds lone accusers', () => {
    const log = new AccusationLog();
    log.accuse('suspect', 'b', 3, 'x', 10);
    log.accuse('dead', 'b', 3, 'x', 20); // same accusation
    log.accuse('suspect', 'c', 1, 'x', 30);
    log.accuse('suspect', 'x', 7, 'b', 40); // everyone accuses x
    log.accuse('suspect', 'x', 7, 'c', 41);
    log.accuse('dead', 'y', 2, 'y', 50); // a graceful leave, not an accusation
    log.alive('b', 4, 60);
    log.alive('c', 1, 61); // not higher: no refutation
    const list = log.list();
    expect(list.map((a) => [a.accuser, a.accused, a.incarnation, a.kind, a.refutedAt])).toEqual([
      ['x', 'b', 3, 'suspect', 60],
      ['x', 'c', 1, 'suspect', null],
      ['b', 'x', 7, 'suspect', null],
      ['c', 'x', 7, 'suspect', null],
    ]);
    expect(summariseAccusations(list)).toEqual([
      { accuser: 'x', accusations: 2, refuted: 1, lone: 2, loneRefuted: 1, loneAccused: { b: 1, c: 1 }, accused: ['b', 'c'] },
      { accuser: 'b', accusations: 1, refuted: 0, lone: 0, loneRefuted: 0, loneAccused: {}, accused: ['x'] },
      { accuser: 'c', accusations: 1, refuted: 0, lone: 0, loneRefuted: 0, loneAccused: {}, accused: ['x'] },
    ]);
    expect(log.list(35, 45).map((a) => a.accuser)).toEqual(['b', 'c']);
  });
});
