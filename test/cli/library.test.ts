// The library as a script imports it: by package name and subpath, through package.json "exports"
// (the built dist/), with the API CLI.md and docs/library.md show.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRing, planChange, planFault } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe("import { createRing } from 'ringside'", () => {
  it('answers owner, owners and ownership like the CLI engine', () => {
    const script = `
      import { createRing } from 'ringside';
      const ring = createRing({ algorithm: 'ringpop', nodes: ['10.0.0.1:3000', '10.0.0.2:3000', '10.0.0.3:3000'] });
      console.log(JSON.stringify({ owner: ring.owner('user:42'), owners: ring.owners('user:42', 3), ownership: [...ring.ownership()] }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
    const ring = createRing({ algorithm: 'ringpop', nodes: ['10.0.0.1:3000', '10.0.0.2:3000', '10.0.0.3:3000'] });
    expect(out).toEqual({ owner: ring.owner('user:42'), owners: ring.owners('user:42', 3), ownership: [...ring.ownership()] });
    expect(new Set(out.owners).size).toBe(3);
  });
});

const tmp = join(root, 'test', '.tmp', 'library');

/** The packages (by their node_modules name) that importing `specifier` loads in a fresh process. */
function packagesLoadedBy(specifier: string): string[] {
  mkdirSync(tmp, { recursive: true });
  const log = join(tmp, `resolved-${specifier.replace(/\W/g, '_')}.log`);
  rmSync(log, { force: true });
  const hook = pathToFileURL(join(root, 'test', 'support', 'resolve-log.mjs')).href;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`;
  execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', `await import(${JSON.stringify(specifier)});`], {
    cwd: root,
    env: { ...process.env, RS_RESOLVE_LOG: log },
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  expect(urls.some((url) => url.includes('/dist/bundle/'))).toBe(true);
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    return match ? [match[1] as string] : [];
  });
  return [...new Set(names)].sort();
}

describe('subpath exports load only what their area needs', () => {
  const dependencies = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  const direct = (specifier: string) => packagesLoadedBy(specifier).filter((name) => dependencies.includes(name));

  it.each([
    ['ringside/ring', []],
    ['ringside/cluster', []],
    ['ringside/probes', ['hdr-histogram-js']],
    ['ringside/gate', ['hdr-histogram-js']],
    ['ringside/chaos', ['hdr-histogram-js', 'yaml']], // execa on the first command it runs
    ['ringside', ['blessed', 'hdr-histogram-js', 'undici', 'yaml']],
  ])('%s loads %j of the dependencies', (specifier, expected) => {
    expect(direct(specifier)).toEqual(expected);
  });

  it('ringside/ring and ringside/cluster load no third-party module at all, not even indirectly', () => {
    expect(packagesLoadedBy('ringside/ring')).toEqual([]);
    expect(packagesLoadedBy('ringside/cluster')).toEqual([]);
  });

  it('the root re-exports every subpath', async () => {
    const rootModule = await import('../../src/index.js');
    const areas = {
      ring: await import('../../src/lib/ring.js'),
      cluster: await import('../../src/lib/cluster.js'),
      probes: await import('../../src/lib/probes.js'),
      gate: await import('../../src/lib/gate.js'),
      chaos: await import('../../src/lib/chaos.js'),
    };
    for (const [area, sub] of Object.entries(areas)) {
      expect(Object.keys(sub).length, area).toBeGreaterThan(3);
      for (const [name, value] of Object.entries(sub)) expect((rootModule as Record<string, unknown>)[name], `${area}: ${name}`).toBe(value);
    }
  });
});

/** The ```ts blocks of a Markdown file. */
function tsBlocks(file: string): string[] {
  return [...readFileSync(join(root, file), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('the library examples in README.md and docs/library.md', () => {
  const examples = join(tmp, 'examples');
  const blocks = [...tsBlocks('README.md').map((code, i) => ({ name: `readme-${i}`, code })), ...tsBlocks('docs/library.md').map((code, i) => ({ name: `library-${i}`, code }))];

  it('type-check against the built package and run where they need no cluster', () => {
    // README: one block; docs/library.md: one per subpath.
    expect(blocks.map((b) => b.name)).toEqual(['readme-0', 'library-0', 'library-1', 'library-2', 'library-3', 'library-4']);
    rmSync(examples, { recursive: true, force: true });
    mkdirSync(examples, { recursive: true });
    for (const { name, code } of blocks) writeFileSync(join(examples, `${name}.ts`), `${code}\nexport {};\n`);
    writeFileSync(
      join(examples, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], outDir: 'out', rootDir: '.', skipLibCheck: true },
        include: ['*.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = spawnSync(process.execPath, [tsc, '-p', join(examples, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);

    // The ring example prints what the engine answers in this process.
    const ringOut = execFileSync(process.execPath, [join(examples, 'out', 'library-0.js')], { cwd: root, encoding: 'utf8' });
    const nodes = ['10.0.0.1:7946', '10.0.0.2:7946', '10.0.0.3:7946'];
    const ring = createRing({ algorithm: 'ringpop', nodes });
    const plan = planChange({ ring: { algorithm: 'ringpop' }, replicas: 2, before: nodes, changes: [{ kind: 'remove', id: '10.0.0.3:7946' }] });
    expect(ringOut).toBe(`${format(ring.owner('user:42'), ring.owners('user:42', 2), ring.ownership())}\n${plan.movedFraction} ${plan.idealFraction}\n`);
    expect(plan.movedFraction).toBeGreaterThan(0);

    // The chaos example prints the plan's iptables commands and no active fault.
    const state = join(tmp, 'state');
    const chaosOut = execFileSync(process.execPath, [join(examples, 'out', 'library-4.js')], { cwd: root, encoding: 'utf8', env: { ...process.env, RINGSIDE_STATE_DIR: state } }).trim().split('\n');
    const faultPlan = planFault({ kind: 'loss', percent: 10, via: 'iptables', direction: 'both', target: { hosts: ['10.0.0.2'], ports: ['7946'], protocol: 'udp' } }, 'drill1');
    expect(chaosOut).toEqual([...[...faultPlan.apply, ...faultPlan.revert].map((step) => step.run.join(' ')), '[]']);
    expect(chaosOut.some((line) => line.startsWith('iptables') && line.includes('RINGSIDE-drill1'))).toBe(true);
  });
});

describe('errors across subpaths', () => {
  it('an error thrown by one subpath is instanceof the RingsideError of another (each subpath is its own bundle)', () => {
    const script = `
      import { RingsideError as RingError } from 'ringside/ring';
      import { parseMembers, RingsideError as ClusterError } from 'ringside/cluster';
      import { RingsideError as RootError } from 'ringside';
      let thrown;
      try { parseMembers('10.0.0.1:notaport', 'members.txt'); } catch (error) { thrown = error; }
      console.log(JSON.stringify({
        distinctClasses: RingError !== ClusterError,
        ring: thrown instanceof RingError, cluster: thrown instanceof ClusterError, root: thrown instanceof RootError,
        plain: new Error('x') instanceof RingError, exitCode: thrown.exitCode, message: thrown.message,
      }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as Record<string, unknown>;
    expect(out).toMatchObject({ distinctClasses: true, ring: true, cluster: true, root: true, plain: false, exitCode: 2 });
    expect(out.message).toContain('notaport');
  });
});

describe('the built root package', () => {
  it("exports every name of every subpath (names several subpaths share are not left out of 'ringside')", () => {
    const script = `
      const root = await import('ringside');
      const missing = [];
      let names = 0;
      for (const area of ['ring', 'cluster', 'probes', 'gate', 'chaos']) {
        for (const name of Object.keys(await import('ringside/' + area))) { names++; if (!(name in root)) missing.push(area + ':' + name); }
      }
      console.log(JSON.stringify({ names, missing }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' })) as { names: number; missing: string[] };
    expect(out.missing).toEqual([]);
    expect(out.names).toBeGreaterThan(100);
  });
});
