/** The routing probe's members from a snapshot: the port (or HOST:PORT) from a tag, the ring from the ring options. */
import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/cluster/member.js';
import { createSnapshot } from '../../src/cluster/snapshot.js';
import { routingOf } from '../../src/probes/routing-members.js';

const member = (name: string, addr: string, tags: Record<string, string>): Member => ({ name, addr, tags, status: 'alive', incarnation: 1 }) as unknown as Member;
const snapshot = (members: Member[]) => createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: '', source: 'test' }, members);

describe('routingOf', () => {
  it('takes PORT or HOST:PORT from the tag, the gossip address otherwise', () => {
    const s = snapshot([member('a', '10.0.0.1:7946', { http: '8080' }), member('b', '10.0.0.2:7946', { http: '192.168.1.2:9090' })]);
    const { members } = routingOf(s, { algorithm: 'ringpop', nodeKey: 'name' }, 'http://{host}:{port}/kv/{key}', 'http');
    expect([...members].sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'a', host: '10.0.0.1', port: 8080 },
      { name: 'b', host: '192.168.1.2', port: 9090 },
    ]);
    const plain = routingOf(s, { algorithm: 'ringpop', nodeKey: 'name' }, 'http://{host}:7000/kv/{key}', undefined);
    expect(plain.members.map((m) => m.port).sort()).toEqual([7946, 7946]);
  });

  it('places nodes by the tag when asked (the demo service ring) and refuses members without a port', () => {
    const s = snapshot([member('a', '10.0.0.1:7946', { http: '127.0.0.1:1' }), member('b', '10.0.0.2:7946', { http: '127.0.0.1:2' })]);
    const { ring } = routingOf(s, { algorithm: 'ringpop', nodeKey: 'tag:http' }, 'http://{host}:{port}/{key}', 'http');
    expect(ring.nodes.map((n) => n.id).sort()).toEqual(['a', 'b']);
    expect(() => routingOf(snapshot([member('a', '10.0.0.1:7946', { http: 'x' }), member('b', '10.0.0.2:7946', {})]), { algorithm: 'ringpop', nodeKey: 'name' }, 'http://{host}:{port}/{key}', 'http')).toThrow(/has no port in tag "http"/);
    expect(() => routingOf(s, { algorithm: 'ringpop' }, 'http://{host}:{port}/{key}', undefined)).toThrow(/no --port-tag/);
  });
});
