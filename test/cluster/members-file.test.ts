import { describe, expect, it } from 'vitest';
import { parseHostPort } from '../../src/cluster/member.js';
import { parseMembers } from '../../src/cluster/members-file.js';
import { parseSnapshot, serializeSnapshot, createSnapshot } from '../../src/cluster/snapshot.js';
import { RingsideError } from '../../src/errors.js';
import { parseDuration, parseSize } from '../../src/units.js';

describe('member lists', () => {
  it('reads HOST:PORT [NAME] [TAG=VALUE...] lines, comments and blank lines', () => {
    const members = parseMembers('# header\n\n10.0.0.1:3000\n  [::1]:7946 local zone=a rack=r1 # note\n10.0.0.2:3000 b weight=2\n', 'm.txt');
    expect(members.map((m) => [m.name, m.addr, m.port, m.tags])).toEqual([
      ['10.0.0.1:3000', '10.0.0.1:3000', 3000, {}],
      ['local', '[::1]:7946', 7946, { zone: 'a', rack: 'r1' }],
      ['b', '10.0.0.2:3000', 3000, { weight: '2' }],
    ]);
    expect(members.every((m) => m.status === 'alive' && m.incarnation === 0)).toBe(true);
  });

  it('reads a JSON array, with statuses and separate ports', () => {
    const members = parseMembers(JSON.stringify([{ name: 'a', addr: '10.0.0.1', port: 7946, status: 'suspect', tags: { role: 'db' } }]), 'm.json');
    expect(members[0]).toMatchObject({ name: 'a', addr: '10.0.0.1:7946', status: 'suspect', nativeStatus: 'suspect', tags: { role: 'db' } });
  });

  it('reads the members array of a snapshot or of members --json output', () => {
    const members = parseMembers(JSON.stringify({ cluster: {}, members: [{ name: 'x', addr: '10.0.0.7:3000' }] }), 'out.json');
    expect(members.map((m) => m.name)).toEqual(['x']);
  });

  it.each([
    ['10.0.0.1', /is not HOST:PORT/],
    ['10.0.0.1:0', /is not HOST:PORT/],
    ['10.0.0.1:3000 a b', /unexpected "b" after the name "a"/],
    ['10.0.0.1:3000 =x', /tag "=x" has no name/],
    ['[{"addr":"10.0.0.1:1","status":"dead"}]', /"status" must be alive, suspect, failed or left/],
    ['[{"addr":"10.0.0.1:1","tags":{"a":1}}]', /"tags" must be an object of strings/],
    ['[1]', /members\[0\] is not an object/],
    ['{"nothing":true}', /has no members array/],
  ])('rejects %j', (text, message) => {
    expect(() => parseMembers(text, 'f')).toThrow(message);
    try {
      parseMembers(text, 'f');
    } catch (error) {
      expect((error as RingsideError).exitCode).toBe(2);
    }
  });

  it('parses addresses strictly', () => {
    expect(parseHostPort('example.com:80')).toEqual({ host: 'example.com', port: 80 });
    expect(parseHostPort('[fe80::1%eth0]:7946')).toEqual({ host: 'fe80::1%eth0', port: 7946 });
    for (const bad of ['::1:80', 'host:', ':80', 'host:65536', 'a b:1']) expect(parseHostPort(bad)).toBeUndefined();
  });
});

describe('snapshots', () => {
  const cluster = { protocol: 'serf' as const, mode: 'passive' as const, seeds: ['10.0.0.1:7946'], observedAt: '2026-11-22T10:00:00.000Z', source: 'live' };
  const members = parseMembers('10.0.0.1:7946 a role=web\n10.0.0.2:7946 b\n', 'm');

  it('round-trips through JSON', () => {
    const snapshot = createSnapshot(cluster, members);
    expect(parseSnapshot(serializeSnapshot(snapshot), 's.json')).toEqual(snapshot);
  });

  it.each([
    [{ kind: 'other' }, /is not a ringside snapshot/],
    [{ kind: 'ringside.snapshot', schemaVersion: 2 }, /uses snapshot schema 2; this ringside reads up to 1$/],
    [{ kind: 'ringside.snapshot', schemaVersion: 1, cluster: { ...cluster, protocol: 'zookeeper' }, members: [] }, /cluster.protocol must be one of/],
    [{ kind: 'ringside.snapshot', schemaVersion: 1, cluster: { ...cluster, observedAt: 'yesterday' }, members: [] }, /observedAt must be an ISO 8601 time/],
    [{ kind: 'ringside.snapshot', schemaVersion: 1, cluster, members: [] }, /has no members/],
  ])('rejects %j', (doc, message) => {
    expect(() => parseSnapshot(JSON.stringify(doc), 's.json')).toThrow(message);
  });
});

describe('units', () => {
  it('parses durations', () => {
    expect([parseDuration('250ms'), parseDuration('10s'), parseDuration('2m'), parseDuration('1.5h'), parseDuration('500us')]).toEqual([250, 10_000, 120_000, 5_400_000, 0.5]);
    expect(() => parseDuration('10', 'timeout')).toThrow(/--timeout 10 is not a duration/);
  });

  it('parses sizes in decimal, binary and bit units', () => {
    expect([parseSize('10MB'), parseSize('1.5GiB'), parseSize('1mbit'), parseSize('42'), parseSize('2tb')]).toEqual([1e7, 1.5 * 1024 ** 3, 125_000, 42, 2e12]);
    expect(() => parseSize('ten', 'data-bytes')).toThrow(/--data-bytes ten is not a size/);
  });
});
