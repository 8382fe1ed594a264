// The commands' data as users and scripts see it (--json), checked against the library and
// against CLI.md's contract; and the human output for the same data.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';
import { runCli, runJson, tempFiles } from '../support/cli.js';

const { Murmur3Tokenizer } = createRequire(import.meta.url)('cassandra-driver/lib/tokenizer.js') as {
  Murmur3Tokenizer: new () => { hash(value: Buffer): { getValue(): { toString(): string } } };
};
const murmur3Tokenizer = new Murmur3Tokenizer();

const files = tempFiles({
  'cluster.txt': [
    '# a test cluster',
    '10.0.0.1:3000 node-a zone=a weight=1 tokens=-4611686018427387904,0',
    '',
    '10.0.0.2:3000 node-b zone=b weight=2   # trailing comment',
    '10.0.0.3:3000 node-c zone=a weight=1',
    '10.0.0.4:3000 node-d zone=b weight=1',
  ].join('\n'),
  'status.json': JSON.stringify([
    { name: 'up', addr: '10.1.0.1:7946', status: 'alive' },
    { name: 'slow', addr: '10.1.0.2:7946', status: 'suspect' },
    { name: 'gone', addr: '10.1.0.3:7946', status: 'failed' },
    { name: 'bye', addr: '10.1.0.4:7946', status: 'left' },
    { name: 'me', addr: '10.1.0.5:7946', tags: { ringside: 'observer' } },
  ]),
  'keys.txt': '# keys\nuser:1\n\nuser:2\n  user:3  \n#user:4\n',
});
afterAll(files.cleanup);
const cluster = files.path('cluster.txt');
const nodes = ['10.0.0.1:3000', '10.0.0.2:3000', '10.0.0.3:3000', '10.0.0.4:3000'];
const names = new Map(nodes.map((addr, i) => [addr, `node-${'abcd'[i]}`]));

interface OwnerJson {
  key: string;
  hash: number | string;
  owners: string[];
  addrs: string[];
}

describe('ringside owner', () => {
  it('answers as the library does, owners in preference order with their addresses', async () => {
    const out = await runJson<OwnerJson[]>(['owner', 'user:1', 'user:2', '--replicas', '2', '--members', cluster]);
    const ring = createRing({ algorithm: 'ringpop', nodes });
    expect(out).toEqual(
      ['user:1', 'user:2'].map((key) => {
        const addrs = ring.owners(key, 2);
        return { key, hash: ring.keyHash(key), owners: addrs.map((a) => names.get(a)), addrs };
      }),
    );
  });

  it('reads keys from a file (comments and blank lines skipped) after the arguments', async () => {
    const out = await runJson<OwnerJson[]>(['owner', 'first', '--keys-file', files.path('keys.txt'), '--members', cluster]);
    expect(out.map((o) => o.key)).toEqual(['first', 'user:1', 'user:2', 'user:3']);
  });

  it('prints 64-bit hashes as exact decimal strings', async () => {
    const [jump] = await runJson<OwnerJson[]>(['owner', 'user:1', '--ring', 'jump', '--members', cluster]);
    const [murmur] = await runJson<OwnerJson[]>(['owner', 'user:1', '--ring', 'murmur3', '--members', cluster]);
    expect(jump?.hash).toBe(createRing({ algorithm: 'jump', nodes: ['x'] }).keyHash('user:1').toString());
    // The DataStax driver's Murmur3Tokenizer gives the expected token.
    expect(murmur?.hash).toBe(String(murmur3Tokenizer.hash(Buffer.from('user:1')).getValue()));
    expect(typeof createRing({ algorithm: 'ringpop', nodes: ['x'] }).keyHash('user:1')).toBe('number');
  });

  it('uses the tokens tag for murmur3 and the weight tag when asked', async () => {
    const [k] = await runJson<OwnerJson[]>(['owner', 'user:1', '--ring', 'murmur3', '--num-tokens', '4', '--members', cluster]);
    const ring = createRing({
      algorithm: 'murmur3',
      numTokens: 4,
      nodes: [{ id: 'node-a', tokens: [-4611686018427387904n, 0n] }, 'node-b', 'node-c', 'node-d'],
    });
    expect(k?.owners).toEqual([ring.owner('user:1')]);
    const weighted = await runJson<{ nodes: { node: string; weight: number }[] }>(['ring', '--ring', 'maglev', '--weight-tag', 'weight', '--members', cluster]);
    expect(weighted.nodes.map((n) => n.weight)).toEqual([1, 2, 1, 1]);
  });

  it('takes keys that start with - after --', async () => {
    const result = await runCli(['owner', '--json', '--members', cluster, '--', '-weird-key', '--also']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as OwnerJson[]).map((o) => o.key)).toEqual(['-weird-key', '--also']);
  });

  it('prints a table for people', async () => {
    const result = await runCli(['owner', 'user:1', '--members', cluster]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^KEY\s+HASH\s+OWNERS\nuser:1\s+\d+\s+node-[a-d] \(10\.0\.0\.\d:3000\)\n$/);
  });
});

interface RingJson {
  algorithm: string;
  vnodes: number | null;
  exact: boolean;
  sampleSize: number | null;
  nodes: { node: string; addr: string; points: number | null; ownership: number; load: number; effectiveOwnership?: number }[];
  imbalance: { maxOverMean: number; stddev: number };
  excluded: { name: string; reason: string }[];
}

describe('ringside ring', () => {
  it('reports exact ownership per node that adds up to 1, as CLI.md specifies', async () => {
    const out = await runJson<RingJson>(['ring', '--members', cluster]);
    expect(out.algorithm).toBe('ringpop');
    expect(out.vnodes).toBe(100);
    expect(out.exact).toBe(true);
    expect(out.nodes.map((n) => [n.node, n.addr, n.points])).toEqual(nodes.map((a) => [names.get(a), a, 100]));
    expect(out.nodes.reduce((s, n) => s + n.ownership, 0)).toBeCloseTo(1, 12);
    const shares = createRing({ algorithm: 'ringpop', nodes }).ownership();
    for (const n of out.nodes) expect(n.ownership).toBe(shares.get(n.addr));
    expect(out.imbalance.maxOverMean).toBeCloseTo(Math.max(...out.nodes.map((n) => n.ownership)) * 4, 12);
  });

  it('says when ownership is estimated, and from how many samples', async () => {
    const out = await runJson<RingJson>(['ring', '--ring', 'rendezvous', '--samples', '20000', '--members', cluster]);
    expect(out.exact).toBe(false);
    expect(out.sampleSize).toBe(20000);
    expect(out.nodes.every((n) => n.points === null)).toBe(true);
  });

  it('reports effective ownership with replicas (it sums to the replica count)', async () => {
    const out = await runJson<RingJson>(['ring', '--ring', 'ketama', '--replicas', '3', '--members', cluster]);
    expect(out.nodes.reduce((s, n) => s + (n.effectiveOwnership ?? 0), 0)).toBeCloseTo(3, 9);
  });

  it('leaves failed, left and observer members out of the ring, and says why', async () => {
    const out = await runJson<RingJson>(['ring', '--members', files.path('status.json')]);
    expect(out.nodes.map((n) => n.node)).toEqual(['up', 'slow']);
    expect(out.excluded).toEqual([
      { name: 'gone', reason: 'failed' },
      { name: 'bye', reason: 'left' },
      { name: 'me', reason: 'ringside observer' },
    ]);
  });

  it('keeps only members matching every --filter', async () => {
    const out = await runJson<RingJson>(['ring', '--filter', 'zone=a', '--members', cluster]);
    expect(out.nodes.map((n) => n.node)).toEqual(['node-a', 'node-c']);
  });

  it('places nodes by name, address or a tag (--node-key)', async () => {
    const byName = await runJson<RingJson>(['ring', '--node-key', 'name', '--members', cluster]);
    const expected = createRing({ algorithm: 'ringpop', nodes: ['node-a', 'node-b', 'node-c', 'node-d'] }).ownership();
    for (const n of byName.nodes) expect(n.ownership).toBe(expected.get(n.node));
  });

  it('prints a table for people, with the imbalance', async () => {
    const result = await runCli(['ring', '--members', cluster]);
    expect(result.stdout).toMatch(/^ringpop ring \(fingerprint32, 100 points\/node\): 4 nodes, ownership exact/);
    expect(result.stdout).toMatch(/node-a\s+10\.0\.0\.1:3000\s+100\s+\d+\.\d\d%\s+\d\.\d\dx/);
    expect(result.stdout).toMatch(/imbalance: max \d\.\d\dx of fair share/);
  });
});

describe('ringside snapshot', () => {
  it('writes a versioned snapshot that reads back to the same answers', async () => {
    const out = files.path('snap.json');
    const written = await runJson<{ schemaVersion: number; kind: string; cluster: { protocol: string; mode: string; source: string }; members: unknown[] }>(['snapshot', '-o', out, '--members', cluster]);
    const onDisk = JSON.parse(readFileSync(out, 'utf8'));
    expect(onDisk).toEqual(written);
    expect(onDisk.schemaVersion).toBe(1);
    expect(onDisk.kind).toBe('ringside.snapshot');
    expect(onDisk.cluster).toMatchObject({ protocol: 'static', mode: 'offline', seeds: [] });
    expect(onDisk.cluster.source).toBe(`members-file:${cluster}`);
    expect(onDisk.members[1]).toEqual({ name: 'node-b', addr: '10.0.0.2:3000', port: 3000, status: 'alive', nativeStatus: 'alive', incarnation: 0, tags: { zone: 'b', weight: '2' }, protocol: {} });
    const fromFile = await runJson<OwnerJson[]>(['owner', 'user:1', 'user:2', '--members', cluster, '--ring', 'maglev']);
    const fromSnapshot = await runJson<OwnerJson[]>(['owner', 'user:1', 'user:2', '--snapshot', out, '--ring', 'maglev']);
    expect(fromSnapshot).toEqual(fromFile);
  });
});

describe('ringside --help', () => {
  it('lists the commands and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['owner', 'ring', 'plan', 'snapshot']) expect(result.stdout).toMatch(new RegExp(`\\n\\s+${command}\\s`));
  });
});
