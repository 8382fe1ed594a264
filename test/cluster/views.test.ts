// compareViews, agreement and the Serf view targets with vectors: who is asked, how views group,
// who disagrees about whom, and what each pair says of the other.
import { describe, expect, it } from 'vitest';
import { agreementOf } from '../../src/cluster/agreement.js';
import { compareViews, viewsSummary } from '../../src/cluster/views.js';
import { MembershipTable } from '../../src/protocols/serf/membership.js';
import { askSerfView, serfViewTargets } from '../../src/protocols/serf/views.js';
import { noReply, view } from './view-fixtures.js';

const halves = () => [
  view('n0', 1, { n0: 'alive', n1: 'alive', n2: 'failed', n3: 'failed' }),
  view('n1', 1, { n0: 'alive', n1: 'alive', n2: 'failed', n3: 'failed' }),
  view('n2', 1, { n0: 'failed', n1: 'failed', n2: 'alive', n3: 'alive' }),
  view('n3', 1, { n0: 'failed', n1: 'failed', n2: 'alive', n3: 'alive' }),
];

describe('compareViews', () => {
  it('a halves partition: two groups of two, four disagreements, reachability cut both ways across', () => {
    const r = compareViews(halves());
    expect(r.agree).toBe(false);
    expect(r.groups.map((g) => g.observers)).toEqual([['n0', 'n1'], ['n2', 'n3']]);
    expect(r.disagreements).toEqual([
      { member: 'n0', seenAs: { alive: ['n0', 'n1'], failed: ['n2', 'n3'] } },
      { member: 'n1', seenAs: { alive: ['n0', 'n1'], failed: ['n2', 'n3'] } },
      { member: 'n2', seenAs: { failed: ['n0', 'n1'], alive: ['n2', 'n3'] } },
      { member: 'n3', seenAs: { failed: ['n0', 'n1'], alive: ['n2', 'n3'] } },
    ]);
    expect(r.reachability).toEqual([
      { a: 'n0', b: 'n2', aSeesB: 'failed', bSeesA: 'failed' },
      { a: 'n0', b: 'n3', aSeesB: 'failed', bSeesA: 'failed' },
      { a: 'n1', b: 'n2', aSeesB: 'failed', bSeesA: 'failed' },
      { a: 'n1', b: 'n3', aSeesB: 'failed', bSeesA: 'failed' },
      { a: 'n0', b: 'n1', aSeesB: 'alive', bSeesA: 'alive' },
      { a: 'n2', b: 'n3', aSeesB: 'alive', bSeesA: 'alive' },
    ]);
    expect(r.asked).toEqual(['n0', 'n1', 'n2', 'n3'].map((m) => ({ member: m, addr: `10.0.0.${m.charCodeAt(1)}:7946`, answered: true, ms: 2 })));
    expect(viewsSummary(r)).toBe('views disagree: 2 different views among 4 members asked: {n0,n1} | {n2,n3}');
  });

  it('a one-way fault is visible as such in reachability', () => {
    const r = compareViews([view('a', 1, { a: 'alive', b: 'failed', c: 'alive' }), view('b', 1, { a: 'alive', b: 'alive', c: 'alive' }), view('c', 1, { a: 'alive', b: 'alive', c: 'alive' })]);
    expect(r.reachability[0]).toEqual({ a: 'a', b: 'b', aSeesB: 'failed', bSeesA: 'alive' });
    expect(r.reachability.slice(1).every((p) => p.aSeesB === 'alive' && p.bSeesA === 'alive')).toBe(true);
    expect(r.groups.map((g) => g.observers)).toEqual([['b', 'c'], ['a']]);
  });

  it('a member that does not answer is listed, never dropped, and there is no agreement', () => {
    const r = compareViews([view('a', 1, { a: 'alive', b: 'alive' }), noReply('b', 1, '10.0.0.98:7946: connection refused')]);
    expect(r.agree).toBe(false);
    expect(r.groups).toHaveLength(1);
    expect(r.unreachable).toEqual([{ observer: 'b', addr: '10.0.0.98:7946', error: '10.0.0.98:7946: connection refused' }]);
    expect(r.asked[1]).toEqual({ member: 'b', addr: '10.0.0.98:7946', answered: false, ms: 5000, error: '10.0.0.98:7946: connection refused' });
    expect(viewsSummary(r)).toBe('1 members asked agree on the membership; 1 did not answer (b)');
  });

  it('left and no longer listed are the same for comparison', () => {
    const r = compareViews([view('a', 1, { a: 'alive', b: 'alive', c: 'left' }), view('b', 1, { a: 'alive', b: 'alive' })], 'polls');
    expect(r.agree).toBe(true);
    expect(r.source).toBe('polls');
    expect(r.disagreements).toEqual([]);
  });
});

describe('agreementOf', () => {
  it('needs every member to answer, the same members everywhere, all alive', () => {
    expect(agreementOf([view('a', 1, { a: 'alive', b: 'alive' }), view('b', 1, { a: 'alive', b: 'alive' })])).toEqual({ agree: true, disagreeing: [] });
    expect(agreementOf([view('a', 1, { a: 'alive', b: 'alive' }), view('b', 1, { a: 'alive', b: 'suspect' })])).toEqual({ agree: false, disagreeing: ['b'] });
    // A view that could not be read is not agreement.
    expect(agreementOf([view('a', 1, { a: 'alive', b: 'alive' }), noReply('b', 1)])).toEqual({ agree: false, disagreeing: ['b'] });
    // A member listed but never asked (not among the views) has not answered.
    expect(agreementOf([view('a', 1, { a: 'alive', c: 'alive' })])).toEqual({ agree: false, disagreeing: ['c'] });
    // Listed by one view only.
    expect(agreementOf([view('a', 1, { a: 'alive', b: 'alive' }), view('b', 1, { b: 'alive' })])).toEqual({ agree: false, disagreeing: ['a'] });
    expect(agreementOf([]).agree).toBe(false);
  });

  it('ringside observers must be alive everywhere but are not asked', () => {
    const obs = { status: 'alive', tags: { ringside: 'observer' } };
    expect(agreementOf([view('a', 1, { a: 'alive', r: obs }), view('b', 1, { a: 'alive', r: obs, b: 'alive' })]).disagreeing).toEqual(['b']);
    expect(agreementOf([view('a', 1, { a: 'alive', b: 'alive', r: obs }), view('b', 1, { a: 'alive', r: obs, b: 'alive' })]).agree).toBe(true);
  });
});

describe('serfViewTargets', () => {
  it('asks every member that has not left, the failed and reaped ones too, and the seeds', async () => {
    const t = new MembershipTable('serf');
    const node = (name: string, last: number) => ({ node: name, addr: Uint8Array.from([10, 0, 0, last]), port: 7946, meta: new Uint8Array(0), vsn: Uint8Array.from([1, 5, 2, 2, 5, 5]), incarnation: 1 });
    for (const [name, last] of [['alive', 1], ['suspect', 2], ['dead', 3], ['left', 4], ['leaving', 5], ['reaped', 6]] as const) t.applyAlive(node(name, last));
    t.applySuspect({ node: 'suspect', incarnation: 1 });
    t.applyDead({ node: 'dead', incarnation: 1, from: 'alive' });
    t.applyIntent('leave', 'left', 5);
    t.applyDead({ node: 'left', incarnation: 1, from: 'left' });
    t.applyIntent('leave', 'leaving', 5);
    t.applyIntent('join', 'reaped', 3);
    // A push-pull in which memberlist no longer lists "reaped" while Serf still does: reaped, failed.
    // "forgotten" and "departed" were never listed: memberlist forgot them 30 s after they failed or left.
    t.applyView({ join: false, nodes: [], userState: new Uint8Array(0) }, { ltime: 9, statusLTimes: new Map([['reaped', 3], ['forgotten', 2], ['departed', 4]]), leftMembers: ['departed'], eventLTime: 0, queryLTime: 0 } as never);
    expect(t.members().filter((m) => ['reaped', 'forgotten', 'departed'].includes(m.name)).map((m) => [m.name, m.status, m.addr])).toEqual([
      ['departed', 'left', ''],
      ['forgotten', 'failed', ''],
      ['reaped', 'failed', '10.0.0.6:7946'],
    ]);
    const targets = serfViewTargets(t, [{ host: '10.0.0.1', port: 7946 }, { host: '10.0.0.99', port: 7946 }], 'self');
    expect(targets).toEqual([
      { name: 'alive', addr: '10.0.0.1:7946', seed: true },
      { name: 'suspect', addr: '10.0.0.2:7946', seed: false },
      { name: 'dead', addr: '10.0.0.3:7946', seed: false },
      { name: 'leaving', addr: '10.0.0.5:7946', seed: false },
      { name: 'reaped', addr: '10.0.0.6:7946', seed: false },
      { name: 'forgotten', addr: '', seed: false },
      { name: '10.0.0.99:7946', addr: '10.0.0.99:7946', seed: true },
    ]);
    // Asking a member without an address fails at once, with what to do.
    const asked = await askSerfView({ name: 'forgotten', addr: '', seed: false }, 'serf', () => Promise.reject(new Error('not called')));
    expect(asked.members).toBeNull();
    expect(asked.error).toMatch(/^forgotten: no address known .*\(pass one of its addresses with --join to ask it\)$/);
    // It takes an address as soon as one is heard, whatever the incarnation.
    t.applyAlive({ ...node('forgotten', 7), incarnation: 0 });
    expect(t.members().find((m) => m.name === 'forgotten')?.addr).toBe('10.0.0.7:7946');
  });
});
