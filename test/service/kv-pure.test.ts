// The demo service's pure parts: the cold-loading store (with an injected wait), ownership
// (the same answer `ringside owner --node-key tag:http` computes), and its argv round trip.
import { describe, expect, it } from 'vitest';
import { staticMember } from '../../src/cluster/member.js';
import { createSnapshot } from '../../src/cluster/snapshot.js';
import { clusterRing } from '../../src/cluster/cluster-ring.js';
import { parseServiceArgs, serviceArgs } from '../../src/sandbox/service/args.js';
import { createKvStore } from '../../src/sandbox/service/kv-store.js';
import { ownershipOf } from '../../src/sandbox/service/ownership.js';

describe('kv store', () => {
  it('loads a key once, cold, shares a load between concurrent first requests, then serves it warm', async () => {
    const waits: number[] = [];
    let release: () => void = () => undefined;
    const wait = (ms: number) => {
      waits.push(ms);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const store = createKvStore({ node: 'n1', coldMs: 250, wait, now: () => new Date(0) });
    const first = store.get('k');
    const second = store.get('k');
    await Promise.resolve();
    expect(waits).toEqual([250]);
    expect(store.size()).toBe(0);
    release();
    expect(await first).toEqual({ entry: { key: 'k', value: 'value-of:k', loadedBy: 'n1', loadedAt: '1970-01-01T00:00:00.000Z' }, cold: true });
    expect((await second).cold).toBe(true);
    expect(await store.get('k')).toMatchObject({ cold: false });
    expect(waits).toEqual([250]);
    expect([store.size(), store.coldLoads()]).toEqual([1, 1]);
  });
});

describe('ownership', () => {
  const members = [1, 2, 3, 4, 5].map((i) => staticMember(`node-${i}`, { host: '10.0.0.1', port: 7946 + i }, { http: `10.0.1.${i}:8080`, zone: 'a' }));
  const keys = Array.from({ length: 200 }, (_, i) => `user:${i}`);

  it('places nodes by their http tag, exactly as the CLI ring with --node-key tag:http does', () => {
    const own = ownershipOf(members)!;
    const { ring } = clusterRing(createSnapshot({ protocol: 'serf', mode: 'passive', seeds: [], observedAt: '', source: 'live' }, members), { algorithm: 'ringpop', nodeKey: 'tag:http' });
    for (const key of keys) {
      const owner = own.ownerOf(key);
      expect(owner.name, key).toBe(ring.owner(key));
      expect(owner.http).toBe(members.find((m) => m.name === owner.name)?.tags.http);
    }
    expect(new Set(keys.map((k) => own.ownerOf(k).name)).size).toBe(5);
  });

  it('leaves out members without the tag and members that left; none serving is null', () => {
    const mixed = [...members.slice(0, 3), staticMember('no-service', { host: '10.0.0.9', port: 7946 }), { ...members[3]!, status: 'left' as const }];
    expect(ownershipOf(mixed)?.nodes.sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(ownershipOf([staticMember('bare', { host: '10.0.0.9', port: 7946 })])).toBeNull();
  });
});

describe('service argv', () => {
  it('round-trips and rejects what it cannot run', () => {
    const args = { name: 'sandbox-1', listen: '127.0.0.1:8080', join: ['127.0.0.1:7946'], coldMs: 25, keyringFile: '/tmp/k.json' };
    expect(parseServiceArgs(serviceArgs(args))).toEqual(args);
    expect(() => parseServiceArgs(['--name=a', '--listen=x:1'])).toThrow(/required/);
    expect(() => parseServiceArgs(['--name=a', '--listen=x:1', '--join=y:2', '--cold-ms=-3'])).toThrow(/cold-ms/);
    expect(() => parseServiceArgs(['stray'])).toThrow(/unexpected/);
  });
});
