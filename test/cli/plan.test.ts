// `ringside plan` as CLI.md specifies it: fields, optional sections, and the human rendering.
import { afterAll, describe, expect, it } from 'vitest';
import { planChange } from '../../src/plan/plan.js';
import { createRing } from '../../src/ring/create-ring.js';
import { runCli, runJson, tempFiles } from '../support/cli.js';

const files = tempFiles({
  'cluster.txt': '10.0.0.1:3000 a\n10.0.0.2:3000 b\n10.0.0.3:3000 c\n10.0.0.4:3000 d\n',
  'target.txt': '10.0.0.1:3000 a\n10.0.0.2:3000 b\n10.0.0.4:3000 d\n10.0.0.5:3000 e\n10.0.0.6:3000 f\n',
  'keys.txt': Array.from({ length: 300 }, (_, i) => `user:${i}`).join('\n'),
});
afterAll(files.cleanup);
const cluster = files.path('cluster.txt');

interface PlanJson {
  movedFraction: number;
  idealFraction: number;
  exact: boolean;
  transfers: { from: string; to: string; fraction: number; ranges: number | null; bytes?: number }[];
  nodes: { node: string; addr: string; before: number; after: number; status: string }[];
  keys?: { key: string; from: string; to: string }[];
  keysTotal?: number;
  keysMoved?: number;
  steps?: { change: string; movedFraction: number; transfers: unknown[] }[];
  change: { added: string[]; removed: string[]; updated: string[] };
}

describe('ringside plan', () => {
  it('plans an add by address and prints what the library computes', async () => {
    const out = await runJson<PlanJson>(['plan', '--add', '10.0.0.9:3000', '--members', cluster]);
    const lib = planChange({
      ring: { algorithm: 'ringpop' },
      replicas: 1,
      before: ['a', 'b', 'c', 'd'].map((id, i) => ({ id, key: `10.0.0.${i + 1}:3000` })),
      changes: [{ kind: 'add', node: { id: '10.0.0.9:3000', key: '10.0.0.9:3000', weight: 1 } }],
    });
    expect(out.movedFraction).toBe(lib.movedFraction);
    expect(out.idealFraction).toBeCloseTo(0.2, 12);
    expect(out.change).toEqual({ added: ['10.0.0.9:3000'], removed: [], updated: [] });
    expect(out.transfers.every((t) => t.to === '10.0.0.9:3000' && t.ranges !== null && t.ranges > 0)).toBe(true);
    expect(out.nodes.find((n) => n.node === '10.0.0.9:3000')).toMatchObject({ addr: '10.0.0.9:3000', before: 0, status: 'added' });
    expect(out.keys).toBeUndefined();
    expect(out.steps).toBeUndefined();
  });

  it('names added nodes, removes by name or address, lists moved keys, bytes and steps', async () => {
    const out = await runJson<PlanJson>([
      'plan',
      '--add',
      'e=10.0.0.5:3000',
      '--remove',
      '10.0.0.3:3000',
      '--keys-file',
      files.path('keys.txt'),
      '--data-bytes',
      '2TB',
      '--step-by-step',
      '--members',
      cluster,
    ]);
    expect(out.change).toEqual({ added: ['e'], removed: ['c'], updated: [] });
    expect(out.steps?.map((s) => s.change)).toEqual(['add e', 'remove c']);
    expect(out.transfers.every((t) => t.bytes === Math.round(t.fraction * 2e12))).toBe(true);
    // The moved keys, exactly: every key (of the 300) whose owner differs between the rings before and after.
    const ring = (nodes: [string, string][]) => createRing({ algorithm: 'ringpop', nodes: nodes.map(([id, addr]) => ({ id, key: `${addr}:3000` })) });
    const before = ring([['a', '10.0.0.1'], ['b', '10.0.0.2'], ['c', '10.0.0.3'], ['d', '10.0.0.4']]);
    const after = ring([['a', '10.0.0.1'], ['b', '10.0.0.2'], ['d', '10.0.0.4'], ['e', '10.0.0.5']]);
    const moved = Array.from({ length: 300 }, (_, i) => `user:${i}`)
      .map((key) => ({ key, from: before.owner(key), to: after.owner(key) }))
      .filter((k) => k.from !== k.to);
    expect(moved).toHaveLength(123);
    expect(moved.every((k) => k.from === 'c' || k.to === 'e')).toBe(true);
    expect(out.keys?.map(({ key, from, to }) => ({ key, from, to }))).toEqual(moved);
    expect([out.keysTotal, out.keysMoved]).toEqual([300, 123]);
  });

  it('plans the change to a target membership', async () => {
    const out = await runJson<PlanJson>(['plan', '--to-snapshot', files.path('target.txt'), '--members', cluster]);
    expect(out.change).toEqual({ added: ['e', 'f'], removed: ['c'], updated: [] });
    expect(out.nodes.map((n) => n.node).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('prints a summary, transfers and ownership for people', async () => {
    const result = await runCli(['plan', '--remove', 'b', '--members', cluster, '--data-bytes', '100GB']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^plan: remove b \(ringpop, replicas 1, exact\)/);
    expect(result.stdout).toMatch(/moves \d+\.\d{3}% of the data \(\d+(\.\d+)? GB\); ideal \(perfectly balanced before and after\) 25\.000%/);
    expect(result.stdout).toMatch(/\nFROM\s+TO\s+SHARE\s+RANGES\s+BYTES\n(b\s+[acd]\s+.*\n){3}/);
  });
});
