// The summary reporter's promise: under CI a skipped test fails the run, and the line says why.
// Runs vitest itself on a fixture suite with one skipped case.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { underCi } from './summary-reporter.js';

const config = fileURLToPath(new URL('./fixtures/one-skip/vitest.config.ts', import.meta.url));
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

function runFixture(env: Record<string, string>): { code: number | null; summary: string; out: string } {
  const r = spawnSync(process.execPath, [vitest, 'run', '--config', config], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  const out = `${r.stdout}${r.stderr}`;
  return { code: r.status, summary: out.split('\n').find((l) => l.startsWith('tests: ')) ?? '', out };
}

describe('summary reporter', () => {
  it('under CI=true, one skipped case makes the run exit non-zero and names the skip', () => {
    const r = runFixture({ CI: 'true', RINGSIDE_FIXTURE_SKIP: '1' });
    expect(r.code, r.out).toBe(1);
    expect(r.summary).toBe('tests: 1 passed, 0 failed, 1 skipped (failed: skips under CI)');
    expect(r.out).toContain('one-skip.fixture.ts > skips unless told not to');
  });

  it('outside CI the same skip is counted, not failed', () => {
    const r = runFixture({ CI: 'false', RINGSIDE_FIXTURE_SKIP: '1' });
    expect(r.code, r.out).toBe(0);
    expect(r.summary).toBe('tests: 1 passed, 0 failed, 1 skipped');
  });

  it('under CI with nothing skipped the run passes', () => {
    const r = runFixture({ CI: 'true', RINGSIDE_FIXTURE_SKIP: '0' });
    expect(r.code, r.out).toBe(0);
    expect(r.summary).toBe('tests: 2 passed, 0 failed, 0 skipped');
  });

  it('reads CI as CI runners set it', () => {
    expect([underCi({ CI: 'true' }), underCi({ CI: '1' }), underCi({ CI: 'false' }), underCi({ CI: '0' }), underCi({ CI: '' }), underCi({})]).toEqual([true, true, false, false, false, false]);
  });
});
