// The Serf layer and the membership model: tags, intents, and how views and gossip combine into
// the statuses `serf members` shows (memberlist.md 3.3, 8.5).
import { describe, expect, it } from 'vitest';
import { diffMembers } from '../../src/cluster/events.js';
import type { Member } from '../../src/cluster/member.js';
import { compareViews } from '../../src/cluster/views.js';
import type { PushNodeState } from '../../src/protocols/memberlist/push-pull.js';
import { ipString, MembershipTable } from '../../src/protocols/serf/membership.js';
import { decodeSerfMessage, decodeSerfPushPull, encodeJoinIntent, encodeLeaveIntent, encodeSerfPushPull, type SerfPushPull } from '../../src/protocols/serf/messages.js';
import { decodeTags, encodeTags } from '../../src/protocols/serf/tags.js';
import { ipBytes } from '../../src/protocols/serf/member-identity.js';

const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
const node = (name: string, incarnation: number, state: PushNodeState['state'] = 'alive', tags: Record<string, string> = {}): PushNodeState => ({
  name,
  addr: Uint8Array.of(127, 0, 0, 1),
  port: 7946 + name.length,
  meta: encodeTags(tags),
  incarnation,
  state,
  vsn,
});
const serf = (statusLTimes: Record<string, number>, leftMembers: string[] = []): SerfPushPull => ({ ltime: 50, statusLTimes: new Map(Object.entries(statusLTimes)), leftMembers, eventLTime: 1, queryLTime: 1 });
const statuses = (table: MembershipTable): Record<string, string> => Object.fromEntries(table.members().map((m) => [m.name, `${m.status}/${m.nativeStatus}`]));

describe('Serf tags', () => {
  it('round-trips 0xFF + msgpack map and reads legacy role-only meta', () => {
    expect(decodeTags(encodeTags({ role: 'web', dc: 'east' }))).toEqual({ role: 'web', dc: 'east' });
    expect(decodeTags(Buffer.from('db'))).toEqual({ role: 'db' });
    expect(decodeTags(new Uint8Array(0))).toEqual({ role: '' });
    expect(() => encodeTags({ big: 'x'.repeat(600) })).toThrow(/512/);
  });

  it('keeps hostile tag names as plain data', () => {
    const tags = decodeTags(encodeTags({ __proto__: 'x', constructor: 'y' } as unknown as Record<string, string>));
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});

describe('Serf messages', () => {
  it('round-trips intents and our own push-pull state', () => {
    expect(decodeSerfMessage(encodeJoinIntent(7, 'n1'))).toEqual({ type: 'join', ltime: 7, node: 'n1' });
    expect(decodeSerfMessage(encodeLeaveIntent(8, 'n1'))).toEqual({ type: 'leave', ltime: 8, node: 'n1', prune: false });
    const state = decodeSerfPushPull(encodeSerfPushPull({ ltime: 9, self: 'obs', selfLTime: 3, leaving: true, eventLTime: 2, queryLTime: 4 }));
    expect(state).toEqual({ ltime: 9, statusLTimes: new Map([['obs', 3]]), leftMembers: ['obs'], eventLTime: 2, queryLTime: 4 });
  });
});

describe('membership from views and gossip', () => {
  it('reconstructs serf members: alive, suspect, failed (even reaped) and left', () => {
    const table = new MembershipTable('serf');
    table.applyView({ join: false, nodes: [node('a', 1), node('b', 1), node('c', 1), node('d', 1)], userState: new Uint8Array(0) }, serf({ a: 1, b: 2, c: 3, d: 4 }));
    table.applyView({ join: false, nodes: [node('a', 1), node('b', 1, 'suspect'), node('d', 1, 'left')], userState: new Uint8Array(0) }, serf({ a: 1, b: 2, c: 3, d: 4 }, ['d']));
    expect(statuses(table)).toEqual({ a: 'alive/alive', b: 'suspect/alive', c: 'failed/failed', d: 'left/left' });
  });

  it('lets a lagging view never undo a graver state at the same incarnation; a refutation does', () => {
    const table = new MembershipTable('serf');
    table.applyAlive({ node: 'x', addr: Uint8Array.of(10, 0, 0, 1), port: 1, meta: encodeTags({}), vsn, incarnation: 4 });
    expect(table.applySuspect({ node: 'x', incarnation: 4 })).toBe(true);
    expect(table.applyView({ join: false, nodes: [node('x', 4)], userState: new Uint8Array(0) })).toBe(false);
    expect(table.members()[0]?.status).toBe('suspect');
    expect(table.applyAlive({ node: 'x', addr: Uint8Array.of(10, 0, 0, 1), port: 1, meta: encodeTags({}), vsn, incarnation: 5 })).toBe(true);
    expect(table.members()[0]?.status).toBe('alive');
    expect(table.applyDead({ node: 'x', incarnation: 4, from: 'y' })).toBe(false);
  });

  it('tells a graceful leave from a crash by the Serf intent, whatever order messages arrive in', () => {
    const table = new MembershipTable('serf');
    table.applyAlive({ node: 'x', addr: Uint8Array.of(10, 0, 0, 1), port: 1, meta: encodeTags({}), vsn, incarnation: 1 });
    table.applyIntent('join', 'x', 3);
    table.applyDead({ node: 'x', incarnation: 1, from: 'x' });
    expect(statuses(table).x).toBe('failed/failed');
    table.applyIntent('leave', 'x', 4);
    expect(statuses(table).x).toBe('left/left');
    expect(table.applyIntent('join', 'x', 4)).toBe(false);
  });

  it('reports plain memberlist states with --protocol memberlist', () => {
    const table = new MembershipTable('memberlist');
    table.applyView({ join: false, nodes: [node('a', 1), node('b', 1, 'suspect'), node('c', 1, 'dead'), node('d', 1, 'left')], userState: new Uint8Array(0) });
    expect(statuses(table)).toEqual({ a: 'alive/alive', b: 'suspect/suspect', c: 'failed/dead', d: 'left/left' });
  });

  it('formats IPv4, IPv6 and mapped addresses', () => {
    expect(ipString(Uint8Array.of(10, 1, 2, 3))).toBe('10.1.2.3');
    expect(ipString(ipBytes('::1'))).toBe('::1');
    expect(ipString(ipBytes('fe80::1:0:0:2'))).toBe('fe80::1:0:0:2');
    expect(ipString(ipBytes('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(ipString(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 192, 168, 0, 1))).toBe('192.168.0.1');
  });
});

describe('events and views', () => {
  const member = (name: string, status: Member['status'], tags: Record<string, string> = {}): Member => ({ name, addr: `10.0.0.1:${name.length}`, port: name.length, status, nativeStatus: status, incarnation: 1, tags, protocol: {} });

  it('turns two member lists into watch events', () => {
    const events = diffMembers([member('a', 'alive'), member('b', 'alive'), member('c', 'alive')], [member('a', 'alive', { v: '2' }), member('b', 'suspect'), member('c', 'alive'), member('d', 'alive'), member('e', 'failed')], 'T');
    expect(events.map((e) => [e.type, e.member, e.previous])).toEqual([
      ['updated', 'a', 'alive'],
      ['suspect', 'b', 'alive'],
      ['joined', 'd', null],
      ['failed', 'e', null],
    ]);
  });

  it('groups identical views and names who disagrees about whom', () => {
    const healthy = [member('a', 'alive'), member('b', 'alive'), member('c', 'alive')];
    const report = compareViews([
      { observer: 'a', addr: 'x', members: healthy, ms: 1, at: 0 },
      { observer: 'b', addr: 'x', members: healthy, ms: 1, at: 0 },
      { observer: 'c', addr: 'x', members: [member('a', 'failed'), member('b', 'alive'), member('c', 'alive')], ms: 1, at: 0 },
      { observer: 'd', addr: 'x', members: null, error: 'timeout', ms: 1, at: 0 },
    ]);
    expect(report.agree).toBe(false);
    expect(report.groups.map((g) => g.observers)).toEqual([['a', 'b'], ['c']]);
    expect(report.disagreements).toEqual([{ member: 'a', seenAs: { alive: ['a', 'b'], failed: ['c'] } }]);
    expect(report.unreachable).toEqual([{ observer: 'd', addr: 'x', error: 'timeout' }]);
  });
});
