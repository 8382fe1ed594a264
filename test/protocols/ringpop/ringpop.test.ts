// Ringpop's membership model and checksums, with the values a live ringpop-node 10.21.0 reported
// (docs/ringpop.md 3.5, 4.1) and ringpop's own HashRing (test/peers/ringpop) as ground truth.
import { describe, expect, it } from 'vitest';
import { compareViews } from '../../../src/cluster/views.js';
import { detectFidelity, goLabelsChecksum, goMembershipChecksum, nodeMembershipChecksum, ringChecksum } from '../../../src/protocols/ringpop/checksum.js';
import { appFromJoinError, parseBody, parseJoinResponse, parseStats, RingpopDecodeError } from '../../../src/protocols/ringpop/messages.js';
import { type RingpopMember, RingpopTable, supersedes, toMember } from '../../../src/protocols/ringpop/membership.js';
import { askRingpop } from '../../support/ringpop-oracle.js';

const LIVE: RingpopMember[] = [
  { address: '127.0.0.1:30000', status: 'alive', incarnationNumber: 1795313422139 },
  { address: '127.0.0.1:30001', status: 'alive', incarnationNumber: 1795313422330 },
  { address: '127.0.0.1:30002', status: 'alive', incarnationNumber: 1795313422661 },
];
const SERVERS = ['127.0.0.1:30000', '127.0.0.1:30002', '127.0.0.1:30001'];

describe('checksums', () => {
  it('node formula reproduces the live membership checksum; tombstones do not count', () => {
    expect(nodeMembershipChecksum(LIVE)).toBe(1208786806);
    expect(nodeMembershipChecksum([...LIVE].reverse())).toBe(1208786806);
    expect(nodeMembershipChecksum([...LIVE, { address: '127.0.0.1:30003', status: 'tombstone', incarnationNumber: 5 }])).toBe(1208786806);
    expect(nodeMembershipChecksum([...LIVE, { address: '127.0.0.1:30003', status: 'faulty', incarnationNumber: 5 }])).not.toBe(1208786806);
  });

  it('go formula gives the documented different value for the same members', () => {
    expect(goMembershipChecksum(LIVE)).toBe(1391399215);
    expect(goLabelsChecksum({})).toBe(0);
    expect(goMembershipChecksum(LIVE.map((m, i) => (i === 0 ? { ...m, labels: { zone: 'a' } } : m)))).not.toBe(1391399215);
  });

  it('ring checksum equals the live one and ringpop HashRing.checksum', async () => {
    expect(ringChecksum(SERVERS)).toBe(1662844479);
    const servers = Array.from({ length: 40 }, (_, i) => `10.0.${i}.1:${3000 + i}`);
    expect(ringChecksum(servers)).toBe((await askRingpop({ servers })).checksum);
  });

  it('fidelity: reproducible only when both membership and ring checksums match fingerprint32', () => {
    const good = detectFidelity('a', { members: LIVE, membershipChecksum: 1208786806, ringChecksum: 1662844479, ringServers: SERVERS });
    expect(good).toMatchObject({ reproducible: true, formula: 'node-fingerprint32', implementation: 'node', hash: 'fingerprint32' });
    const go = detectFidelity('a', { members: LIVE, membershipChecksum: 1391399215, ringChecksum: 1662844479, ringServers: SERVERS });
    expect(go).toMatchObject({ reproducible: true, implementation: 'go' });
    const platform = detectFidelity('a', { members: LIVE, membershipChecksum: 42, ringChecksum: 43, ringServers: SERVERS });
    expect(platform).toMatchObject({ reproducible: false, formula: null, hash: 'unknown', computedRingChecksum: 1662844479 });
    expect(detectFidelity('a', { members: LIVE, membershipChecksum: 1208786806, ringChecksum: 7, ringServers: SERVERS }).reproducible).toBe(false);
    // A join reply has no ring: the membership checksum decides.
    expect(detectFidelity('a', { members: LIVE, membershipChecksum: 1208786806, ringChecksum: null, ringServers: [] }, false).reproducible).toBe(true);
    expect(detectFidelity('a', { members: LIVE, membershipChecksum: 9, ringChecksum: null, ringServers: [] }, false).reproducible).toBe(false);
  });
});

describe('membership model', () => {
  const m = (status: RingpopMember['status'], incarnationNumber: number): RingpopMember => ({ address: 'h:1', status, incarnationNumber });
  it('incarnation rule: higher incarnation wins, then higher status precedence; unknown tombstones ignored', () => {
    expect(supersedes(undefined, m('alive', 1))).toBe(true);
    expect(supersedes(undefined, m('tombstone', 1))).toBe(false);
    expect(supersedes(m('suspect', 1), m('alive', 2))).toBe(true);
    expect(supersedes(m('suspect', 2), m('alive', 2))).toBe(false);
    expect(supersedes(m('alive', 2), m('suspect', 2))).toBe(true);
    expect(supersedes(m('faulty', 2), m('suspect', 2))).toBe(false);
    expect(supersedes(m('leave', 2), m('tombstone', 2))).toBe(true);
    expect(supersedes(m('alive', 3), m('faulty', 2))).toBe(false);
  });

  it('a lagging view cannot undo newer news; evicted non-ring members are forgotten', () => {
    const table = new RingpopTable();
    table.apply([m('alive', 1), { address: 'h:2', status: 'alive', incarnationNumber: 1 }]);
    expect(table.apply([m('suspect', 1)])).toBe(true);
    expect(table.apply([m('alive', 1)])).toBe(false);
    expect(table.apply([m('faulty', 1)])).toBe(true);
    expect(table.members().map((x) => [x.name, x.status, x.nativeStatus])).toEqual([
      ['h:1', 'failed', 'faulty'],
      ['h:2', 'alive', 'alive'],
    ]);
    expect(table.retain(new Set(['h:2']))).toBe(true);
    expect(table.retain(new Set())).toBe(false); // h:2 is in the ring: kept
    expect(table.list().map((x) => x.address)).toEqual(['h:2']);
  });

  it("a tombstone a member lists is its state: taken though unknown, forgotten once no member lists it", () => {
    const table = new RingpopTable();
    expect(table.apply([m('tombstone', 4), { address: 'h:2', status: 'alive', incarnationNumber: 1 }])).toBe(true);
    expect(table.members().map((x) => [x.name, x.status, x.nativeStatus])).toEqual([
      ['h:1', 'failed', 'tombstone'],
      ['h:2', 'alive', 'alive'],
    ]);
    expect(table.apply([m('alive', 3)])).toBe(false); // an older incarnation does not revive it
    expect(table.apply([m('alive', 5)])).toBe(true); // a newer one does (it rejoined)
    expect(table.apply([m('tombstone', 6)])).toBe(true);
    expect(table.retain(new Set(['h:2']))).toBe(true);
    expect(table.list().map((x) => x.address)).toEqual(['h:2']);
  });

  it('normalises statuses and keeps ringpop words', () => {
    expect(['alive', 'suspect', 'faulty', 'leave', 'tombstone'].map((s) => toMember({ address: '10.0.0.1:3000', status: s as RingpopMember['status'], incarnationNumber: 1 }).status)).toEqual(['alive', 'suspect', 'failed', 'left', 'failed']);
    expect(toMember({ address: '10.0.0.1:3000', status: 'alive', incarnationNumber: 7, dampScore: 12 })).toEqual({ name: '10.0.0.1:3000', addr: '10.0.0.1:3000', port: 3000, status: 'alive', nativeStatus: 'alive', incarnation: 7, tags: {}, protocol: { dampScore: 12 } });
  });
});

describe('messages', () => {
  it('parses the live /admin/stats body (node) and a go one', () => {
    const node = parseStats(parseBody(Buffer.from(JSON.stringify({ hooks: null, membership: { checksum: 1208786806, members: LIVE.map((x) => ({ ...x, dampScore: 0 })) }, process: { memory: {}, pid: 11629 }, protocol: {}, ring: { checksum: 1662844479, servers: SERVERS }, version: '10.21.0', timestamp: 1, uptime: 2, tchannelVersion: '3.10.1' })), 'x'));
    expect(node).toMatchObject({ membershipChecksum: 1208786806, ringChecksum: 1662844479, ringServers: SERVERS, version: '10.21.0', pid: 11629, implementation: 'node' });
    expect(node.members).toHaveLength(3);
    const go = parseStats(parseBody(Buffer.from(`${JSON.stringify({ membership: { checksum: 1, members: [{ address: 'a:1', status: 'alive', incarnationNumber: 3, labels: { zone: 'x' } }] }, ring: { checksum: 2, checksums: { replica: 3 }, servers: ['a:1'] }, version: '???' })}\n`), 'x'));
    expect(go).toMatchObject({ implementation: 'go', ringChecksums: { replica: 3 } });
    expect(go.members[0]?.labels).toEqual({ zone: 'x' });
  });

  it('join responses carry tombstones as faulty + tombstone:true', () => {
    const join = parseJoinResponse({ app: 'demo', coordinator: 'a:1', membershipChecksum: 5, membership: [{ source: 'a:1', address: 'b:1', status: 'faulty', tombstone: true, incarnationNumber: 2 }] });
    expect(join.members[0]?.status).toBe('tombstone');
  });

  it('reads the app name from the wrong-app join error (node and go wording)', () => {
    expect(appFromJoinError({ type: 'ringpop.invalid-join.app', message: 'A node tried joining a different app cluster. The expected app (demo) did not match the actual app (probe-wrong-app).', expected: 'demo', actual: 'probe-wrong-app' })).toBe('demo');
    expect(appFromJoinError({ type: 'error', message: 'A node tried joining a different app cluster. The expected app (payments) did not match the actual app (x).' })).toBe('payments');
    expect(appFromJoinError({})).toBeNull();
  });

  it('raw and odd bodies are values, malformed shapes are RingpopDecodeErrors', () => {
    expect(parseBody(Buffer.from('ok'), 'x')).toBe('ok');
    expect(parseBody(Buffer.from('null\n'), 'x')).toBeNull();
    expect(() => parseStats({ membership: { members: [{ address: 'a', status: 'zombie', incarnationNumber: 1 }] } })).toThrow(RingpopDecodeError);
    expect(() => parseStats({ membership: { members: [{ address: 'a', status: 'alive', incarnationNumber: -1 }] } })).toThrow(RingpopDecodeError);
    expect(() => parseStats([])).toThrow(RingpopDecodeError);
  });
});

describe('--all-views groups ringpop members by membership checksum', () => {
  it('two checksums are two groups, an unreachable member is listed, not fatal', () => {
    const member = toMember(LIVE[0] as RingpopMember);
    const report = compareViews([
      { observer: 'a', addr: 'a', members: [member], checksum: 1, ms: 1, at: 0 },
      { observer: 'b', addr: 'b', members: [member], checksum: 2, ms: 1, at: 0 },
      { observer: 'c', addr: 'c', members: [member], checksum: 1, ms: 1, at: 0 },
      { observer: 'd', addr: 'd', members: null, error: 'connection refused', ms: 1, at: 0 },
    ]);
    expect(report.agree).toBe(false);
    expect(report.groups.map((g) => [g.checksum, g.observers])).toEqual([
      [1, ['a', 'c']],
      [2, ['b']],
    ]);
    expect(report.unreachable).toEqual([{ observer: 'd', addr: 'd', error: 'connection refused' }]);
  });
});
