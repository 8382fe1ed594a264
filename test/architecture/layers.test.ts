// DESIGN.md's "layers point down", checked on the source: every relative import (static, type-only
// and dynamic) of src/, chaos/ and dashboards/ goes to the same layer or one below, src/ring is
// pure placement math, protocols never reach the live-source layer, and there is no import cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Relative imports and re-exports of one file, resolved to repository paths (`.js` -> `.ts`). */
function importsOf(file: string): Edge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(/^\s*(import|export)(\s+type)?\b[^'";]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/gm)) {
    const spec = (m[3] ?? m[4]) as string;
    edges.push({ from: file, to: relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts'), typeOnly: m[2] !== undefined });
  }
  return edges;
}

/** The layer of a file: higher layers may import lower ones, never the reverse. */
function layerOf(file: string): { rank: number; name: string } {
  const rules: [RegExp, number, string][] = [
    [/^src\/(errors|units|utf8-order|files|table|keys-file|package-root)\.ts$/, 0, 'base'],
    [/^src\/ring\//, 1, 'ring'],
    [/^src\/cluster\/(live|source|ringpop-owners)\.ts$|^src\/cluster\/diagnose\//, 4, 'live source'],
    [/^src\/cluster\//, 2, 'cluster model'],
    [/^src\/(protocols|probes|plan)\//, 3, 'protocols/probes/plan'],
    [/^src\/(gate|sandbox)\/|^chaos\/|^dashboards\//, 5, 'gate/sandbox/chaos/dashboards'],
    [/^src\/(cli|commands|lib)\/|^src\/index\.ts$/, 6, 'cli/commands/library entries'],
  ];
  for (const [pattern, rank, name] of rules) if (pattern.test(file)) return { rank, name };
  throw new Error(`no layer for ${file}: add it to the rules`);
}

const files = ['src', 'chaos', 'dashboards'].flatMap(sources);
const edges = files.flatMap(importsOf);

describe('layers point down (DESIGN.md principle 9)', () => {
  it('reads the import graph', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(edges.length).toBeGreaterThan(500);
    for (const edge of edges) expect(files, `${edge.from} imports a missing ${edge.to}`).toContain(edge.to);
  });

  it('no file imports a higher layer', () => {
    const upward = edges.filter((e) => layerOf(e.to).rank > layerOf(e.from).rank).map((e) => `${e.from} (${layerOf(e.from).name}) -> ${e.to} (${layerOf(e.to).name})`);
    expect(upward).toEqual([]);
  });

  it('src/ring imports nothing outside itself but the base errors and byte order, and no package', () => {
    const ringFiles = files.filter((f) => f.startsWith('src/ring/'));
    const outside = edges.filter((e) => e.from.startsWith('src/ring/') && !e.to.startsWith('src/ring/') && !['src/errors.ts', 'src/utf8-order.ts'].includes(e.to));
    expect(outside).toEqual([]);
    for (const file of [...ringFiles, 'src/errors.ts', 'src/utf8-order.ts']) {
      const packages = [...readFileSync(join(root, file), 'utf8').matchAll(/from\s+'([^.'][^']*)'/g)].map((m) => m[1]).filter((p): p is string => p !== undefined && !['node:crypto', 'node:module'].includes(p));
      expect(packages, file).toEqual([]);
    }
    expect(edges.filter((e) => (e.from === 'src/errors.ts' || e.from === 'src/utf8-order.ts'))).toEqual([]);
  });

  it('protocols never import the live-source layer', () => {
    const live = edges.filter((e) => e.from.startsWith('src/protocols/') && layerOf(e.to).name === 'live source');
    expect(live).toEqual([]);
  });

  it('has no import cycle, type-only imports included', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const e of edges) graph.get(e.from)?.push(e.to);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
