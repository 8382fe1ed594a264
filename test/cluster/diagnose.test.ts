// The diagnosis rules with vectors: what each fault looks like in the members' own views (and in
// the accusations a member-mode observer hears), and what diagnose must say about it.
import { describe, expect, it } from 'vitest';
import type { Accusation } from '../../src/cluster/accusations.js';
import { diagnose } from '../../src/cluster/diagnose/index.js';
import type { MemberView } from '../../src/cluster/observer.js';
import { ViewTimeline } from '../../src/cluster/view-timeline.js';
import { healthyRound, member, noReply, view } from './view-fixtures.js';

const names = ['n0', 'n1', 'n2', 'n3'];

function timelineOf(rounds: MemberView[][]): ViewTimeline {
  const t = new ViewTimeline();
  for (const round of rounds) for (const v of round) t.add(v);
  return t;
}

const merged = (statuses: Record<string, string> = Object.fromEntries(names.map((n) => [n, 'alive']))) => Object.entries(statuses).map(([n, s]) => member(n, s));

/** A round in which each observer's view is `see(observer)`. */
const round = (at: number, observers: readonly string[], see: (o: string) => Record<string, string>): MemberView[] => observers.map((o) => view(o, at, see(o)));

const halves = (o: string): Record<string, string> => (['n0', 'n1'].includes(o) ? { n0: 'alive', n1: 'alive', n2: 'failed', n3: 'failed' } : { n0: 'failed', n1: 'failed', n2: 'alive', n3: 'alive' });

describe('diagnose', () => {
  it('healthy: no findings, one line', () => {
    // A member-mode observer (tagged ringside=observer) is in the merged view but is not counted.
    const withObserver = [...merged(), member('ringside-x', { status: 'alive', tags: { ringside: 'observer' } })];
    const d = diagnose({ timeline: timelineOf([healthyRound(names, 0), healthyRound(names, 1000), healthyRound(names, 2000)]), merged: withObserver, accusations: [] });
    expect(d.findings).toEqual([]);
    expect(d.healthy).toBe('healthy: 4 members, all 4 views answered and agree, no flaps (12 polls)');
    expect(d.notes).toEqual([]);
  });

  it('a halves partition: the partition finding, with both sides and since when, and nothing else', () => {
    const t = timelineOf([healthyRound(names, 0), round(1000, names, halves), round(2000, names, halves), round(3000, names, halves)]);
    const d = diagnose({ timeline: t, merged: merged(), accusations: null });
    expect(d.findings.map((f) => f.kind)).toEqual(['partition']);
    expect(d.findings[0]?.members).toEqual(names);
    expect(d.findings[0]?.evidence).toEqual({
      sides: [
        { observers: ['n0', 'n1'], holdsDown: ['n2', 'n3'], since: new Date(1000).toISOString() },
        { observers: ['n2', 'n3'], holdsDown: ['n0', 'n1'], since: new Date(1000).toISOString() },
      ],
    });
    expect(d.notes).toEqual(['passive mode cannot hear suspect messages, so accusers are found from the views only; rerun with --mode member to see who accuses whom']);
    expect(d.healthy).toBeNull();
  });

  it('one member cut off from all: a partition that names that member alone', () => {
    const five = [...names, 'n4'];
    const see = (o: string): Record<string, string> => (o === 'n4' ? { n0: 'failed', n1: 'failed', n2: 'failed', n3: 'failed', n4: 'alive' } : { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive', n4: 'failed' });
    const d = diagnose({ timeline: timelineOf([round(0, five, see), round(1000, five, see), round(2000, five, see)]), merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['partition', ['n4']]]);
    expect(d.findings[0]?.summary).toBe('2 sides that hold each other failed: {n0,n1,n2,n3} | {n4}');
  });

  it('one-way: A holds B failed while B holds A alive, lasting', () => {
    const see = (o: string): Record<string, string> => (o === 'n0' ? { n0: 'alive', n1: 'failed', n2: 'alive', n3: 'alive' } : { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' });
    const d = diagnose({ timeline: timelineOf([healthyRound(names, 0), round(1000, names, see), round(2000, names, see), round(3000, names, see)]), merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['one-way', ['n0', 'n1']]]);
    expect(d.findings[0]?.evidence).toEqual({ pairs: [{ a: 'n0', b: 'n1', aSeesB: 'failed', bSeesA: 'alive', since: new Date(1000).toISOString() }] });
  });

  it('one-way pairs that all share one member name that member alone', () => {
    // n1, n2 and n3 hold n0 failed while n0 holds them alive: n0's traffic in is the suspect.
    const see = (o: string): Record<string, string> => (o === 'n0' ? { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' } : { n0: 'failed', n1: 'alive', n2: 'alive', n3: 'alive' });
    const d = diagnose({ timeline: timelineOf([healthyRound(names, 0), round(1000, names, see), round(2000, names, see), round(3000, names, see)]), merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['one-way', ['n0']]]);
    expect((d.findings[0]?.evidence['pairs'] as unknown[]).length).toBe(3);
  });

  it('a gray member that is held failed at the end of the window: the gray finding alone, its one-way pairs folded in', () => {
    // n0 flaps in every other view (failed, then refuted with a higher incarnation), and is held failed at the end.
    const down = (inc: number) => (o: string): Record<string, string> => (o === 'n0' ? Object.fromEntries(names.map((n) => [n, `alive@${inc}`])) : { n0: `failed@${inc}`, n1: `alive@${inc}`, n2: `alive@${inc}`, n3: `alive@${inc}` });
    const t = timelineOf([healthyRound(names, 0), round(1000, names, down(1)), healthyRound(names, 2000, 2), round(3000, names, down(2)), healthyRound(names, 4000, 3), round(5000, names, down(3)), round(6000, names, down(3)), round(7000, names, down(3))]);
    const d = diagnose({ timeline: t, merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['gray-member', ['n0']]]);
  });

  it('one reply of gossip lag is not a finding', () => {
    const lag = (o: string): Record<string, string> => (o === 'n0' ? { n0: 'alive', n1: 'suspect', n2: 'alive', n3: 'alive' } : { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' });
    const d = diagnose({ timeline: timelineOf([healthyRound(names, 0), round(1000, names, lag), healthyRound(names, 2000)]), merged: merged(), accusations: null });
    expect(d.findings).toEqual([]);
  });

  it('passive: a member whose own view alone holds others failed is named as the accuser, its one-way pairs folded in', () => {
    const see = (o: string): Record<string, string> => (o === 'n0' ? { n0: 'alive', n1: 'failed', n2: 'failed', n3: 'suspect' } : { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' });
    const d = diagnose({ timeline: timelineOf([round(0, names, see), round(1000, names, see), round(2000, names, see)]), merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['accuser', ['n0']]]);
    expect(d.findings[0]?.evidence).toEqual({ source: 'views', heldDown: { n1: 'failed', n2: 'failed', n3: 'suspect' }, madeFlap: [] });
  });

  it('member mode: the member whose lone accusations were refuted is the accuser; the members it made flap are not gray', () => {
    // n1 and n2 refute n0's accusations: each flaps once in the others' views.
    const flap = (target: string) => (o: string): Record<string, string> => ({ n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive', ...(o !== target && o !== 'n0' ? { [target]: 'suspect' } : {}) });
    const t = timelineOf([healthyRound(names, 0), round(1000, names, flap('n1')), healthyRound(names, 2000, 2), round(3000, names, flap('n2')), healthyRound(names, 4000, 3)]);
    const accusations: Accusation[] = [
      { accuser: 'n0', accused: 'n1', incarnation: 1, kind: 'suspect', at: 900, refutedAt: 1900 },
      { accuser: 'n0', accused: 'n2', incarnation: 2, kind: 'suspect', at: 2900, refutedAt: 3900 },
      { accuser: 'n0', accused: 'n1', incarnation: 3, kind: 'dead', at: 3950, refutedAt: 3990 },
    ];
    const d = diagnose({ timeline: t, merged: merged(), accusations });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['accuser', ['n0']]]);
    expect(d.findings[0]?.summary).toBe('n0 accused 2 members nobody else accused (n1, n2); 3 of its 3 lone accusations were refuted');
    expect(d.notes).toEqual([]);
  });

  it('member mode: an accuser heard accusing nobody in the window (it accused before) is named from the views', () => {
    const see = (o: string): Record<string, string> => (o === 'n0' ? { n0: 'alive', n1: 'failed', n2: 'failed', n3: 'alive' } : { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' });
    const d = diagnose({ timeline: timelineOf([round(0, names, see), round(1000, names, see), round(2000, names, see)]), merged: merged(), accusations: [] });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['accuser', ['n0']]]);
    expect(d.findings[0]?.evidence).toEqual({ source: 'views', heldDown: { n1: 'failed', n2: 'failed' }, madeFlap: [] });
    expect(d.notes).toEqual([]);
    // Heard accusing as well: named once, from the messages.
    const accusations: Accusation[] = [
      { accuser: 'n0', accused: 'n1', incarnation: 1, kind: 'suspect', at: 100, refutedAt: 400 },
      { accuser: 'n0', accused: 'n2', incarnation: 1, kind: 'suspect', at: 200, refutedAt: 500 },
    ];
    const both = diagnose({ timeline: timelineOf([round(0, names, see), round(1000, names, see), round(2000, names, see)]), merged: merged(), accusations });
    expect(both.findings.map((f) => [f.kind, f.members, f.evidence['source']])).toEqual([['accuser', ['n0'], 'suspect-messages']]);
  });

  it('members accused by many are victims, not accusers: no accuser finding', () => {
    const accusations: Accusation[] = ['n1', 'n2', 'n3'].flatMap((a, i) => [
      { accuser: a, accused: 'n0', incarnation: 1, kind: 'suspect' as const, at: 100 + i, refutedAt: 500 },
      { accuser: a, accused: 'n0', incarnation: 2, kind: 'suspect' as const, at: 600 + i, refutedAt: 900 },
    ]);
    const d = diagnose({ timeline: timelineOf([healthyRound(names, 0), healthyRound(names, 1000)]), merged: merged(), accusations });
    expect(d.findings).toEqual([]);
  });

  it('gray member: flaps in the views of others while the rest are stable; a member flapping half as often is not named', () => {
    const seq = ['alive@1', 'failed@1', 'alive@2', 'suspect@2', 'alive@3', 'failed@3', 'alive@4', 'alive@4'];
    const rounds = seq.map((s, i) =>
      names.map((o) => (o === 'n0' ? noReply('n0', i * 1000) : view(o, i * 1000, { n0: s, n1: 'alive', n2: i === 3 && o !== 'n2' ? 'failed' : 'alive', n3: 'alive' }))),
    );
    const d = diagnose({ timeline: timelineOf(rounds), merged: merged(), accusations: null });
    // n0 never answers us, but the cluster's own views show it flapping: its network, not ours.
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['gray-member', ['n0']]]);
    expect(d.findings[0]?.evidence).toMatchObject({ failedCycles: 2, suspectCycles: 1, incarnationDelta: 3, seenBy: 3 });
  });

  it('failed in every view and silent: failed; alive to everyone but silent to us: unreachable from here', () => {
    const crashed = [0, 1000].map((at) => [noReply('n3', at, 'connection refused'), ...['n0', 'n1', 'n2'].map((o) => view(o, at, { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'failed' }))]);
    const d1 = diagnose({ timeline: timelineOf(crashed), merged: merged(), accusations: null });
    expect(d1.findings.map((f) => [f.kind, f.members])).toEqual([['failed', ['n3']]]);
    const blocked = [0, 1000].map((at) => [noReply('n3', at, 'no complete reply within 5000 ms'), ...['n0', 'n1', 'n2'].map((o) => view(o, at, { n0: 'alive', n1: 'alive', n2: 'alive', n3: 'alive' }))]);
    const d2 = diagnose({ timeline: timelineOf(blocked), merged: merged(), accusations: null });
    expect(d2.findings.map((f) => [f.kind, f.members])).toEqual([['unreachable-from-here', ['n3']]]);
    expect(d2.findings[0]?.evidence).toEqual({ addr: '10.0.0.51:7946', polls: 2, error: 'no complete reply within 5000 ms', heldAliveBy: ['n0', 'n1', 'n2'] });
  });

  it('down in every view but refuting (its incarnation rises): gray, not failed; a crash never refutes', () => {
    const others = ['n1', 'n2', 'n3'];
    const rounds = [0, 1000, 2000].map((at, i) => [noReply('n0', at), ...others.map((o) => view(o, at, { n0: `failed@${1 + i}`, n1: 'alive', n2: 'alive', n3: 'alive' }))]);
    const d = diagnose({ timeline: timelineOf(rounds), merged: merged(), accusations: null });
    expect(d.findings.map((f) => [f.kind, f.members])).toEqual([['gray-member', ['n0']]]);
    expect(d.findings[0]?.summary).toBe("n0 flaps: every view holds it down now, yet it refuted 2 time(s) in the window: it is alive, its traffic is not getting through (incarnation +2)");
  });

  it('version skew and tag drift are low findings, after everything else', () => {
    const vsn = (d: number) => ({ status: 'alive', vsn: [1, 5, 2, 2, 5, d] });
    const skewed = [member('n0', vsn(4)), member('n1', vsn(5)), member('n2', vsn(5)), member('n3', vsn(5))];
    const drift = (o: string): Record<string, string | { status: string; tags: Record<string, string> }> => ({ n0: 'alive', n1: 'alive', n2: 'alive', n3: { status: 'alive', tags: { role: o === 'n1' ? 'old' : 'new' } } });
    const t = new ViewTimeline();
    for (const at of [0, 1000]) for (const o of names) t.add(view(o, at, drift(o)));
    const d = diagnose({ timeline: t, merged: skewed, accusations: [] });
    expect(d.findings.map((f) => [f.kind, f.severity, f.members])).toEqual([
      ['version-skew', 'low', ['n0', 'n1', 'n2', 'n3']],
      ['tag-drift', 'low', ['n3']],
    ]);
    expect(d.findings[0]?.evidence).toEqual({ versions: { 'memberlist protocol 2, delegate 4': ['n0'], 'memberlist protocol 2, delegate 5': ['n1', 'n2', 'n3'] } });
    expect(d.findings[1]?.evidence).toEqual({ variants: [{ tags: { role: 'new' }, observers: ['n0', 'n2', 'n3'] }, { tags: { role: 'old' }, observers: ['n1'] }] });
  });
});
