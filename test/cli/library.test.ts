// The library as a script imports it: by package name, through package.json "exports" (the built
// dist/), with the API CLI.md shows.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRing } from '../../src/index.js';

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
