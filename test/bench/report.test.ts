// The benchmark goals are checked, not labels: bench/report.js evaluates every goal of the table on
// a results document (here a fixture, and the committed bench/.results/latest.json), a missed goal
// makes `--check` fail and says by how much, and the Markdown table scripts/bench-table.js prints
// lists every benchmark and every goal. No benchmark runs here: these are the pure parts.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type BenchResults, COLUMNS, ROWS, SCHEMA, evaluateGoals, failedGoals, markdownTable, median, spread, tableRows } from '../../bench/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtureFile = join(root, 'test/bench/fixtures/results.json');
const fixture = (): BenchResults => JSON.parse(readFileSync(fixtureFile, 'utf8')) as BenchResults;
const scratch = mkdtempSync(join(tmpdir(), 'ringside-bench-report-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function withSamples(change: (samples: BenchResults['samples']) => void, results = fixture()): BenchResults {
  change(results.samples);
  return results;
}

function benchTable(results: BenchResults, ...args: string[]): { status: number | null; stdout: string } {
  const file = join(scratch, `results-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(results));
  const run = spawnSync(process.execPath, [join(root, 'scripts/bench-table.js'), file, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

describe('medians and spreads', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(spread([])).toBeNull();
    expect(spread(undefined)).toBeNull();
  });
});

describe('goals', () => {
  it('are all met on the fixture, which meets each by a margin', () => {
    const outcomes = evaluateGoals(fixture());
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'met'));
    expect(outcomes.map((o) => o.id)).toEqual(ROWS.filter((r) => r.goal).map((r) => r.id));
    expect(failedGoals(fixture())).toEqual([]);
  });

  it('fail when ringside is slower than the goal, with the shortfall', () => {
    // 12 M/s beside ringpop's median 3 M/s: 4x, short of 5x by 1x.
    const results = withSamples((s) => void (s.lookupsPerSec!.ringside = [12e6, 12e6, 12e6]));
    const [failed, ...others] = failedGoals(results);
    expect(others).toEqual([]);
    expect(failed).toMatchObject({ id: 'lookups', status: 'missed' });
    expect(failed!.value).toBeCloseTo(4, 6);
    expect(failed!.note).toBe('measured 4.00x, short by 1.00x (20% of the goal)');
  });

  it('are checked on the median, not the best run', () => {
    // The best plan run is under 200 ms, the median is not.
    const results = withSamples((s) => void (s.planMs!.ringside = [150, 250, 260]));
    expect(failedGoals(results).map((g) => [g.id, g.note])).toEqual([['plan', 'measured 250.0 ms, over by 50.0 ms (25% of the goal)']]);
  });

  it('compare with the named peer (p50 at most 2x wrk) and with another row (worker scaling)', () => {
    const slow = withSamples((s) => void (s.probeP50Us!.ringside = [150, 150, 150]));
    expect(failedGoals(slow).map((g) => g.id)).toEqual(['probeP50']);
    const flat = withSamples((s) => void (s.probeRps10w2!.ringside = [57000, 57000, 57000]));
    expect(failedGoals(flat).map((g) => [g.id, g.status])).toEqual([['probeRps10w2', 'missed']]);
  });

  it('needing more cores than the machine has are not applicable, said so, and do not fail', () => {
    const results = fixture();
    results.machine = { ...results.machine, cores: 2 };
    results.samples.probeRps10w2!.ringside = [40000, 41000, 39000];
    const scaling = evaluateGoals(results).find((g) => g.id === 'probeRps10w2');
    expect(scaling).toMatchObject({ status: 'not-applicable' });
    expect(scaling!.note).toContain('needs 4 cores, this machine has 2');
    expect(failedGoals(results)).toEqual([]);
  });

  it('that were not measured fail too (a missing peer is not a pass)', () => {
    const results = withSamples((s) => void delete s.probeP50Us!.wrk);
    expect(failedGoals(results).map((g) => [g.id, g.status])).toEqual([['probeP50', 'unmeasured']]);
  });
});

describe('scripts/bench-table.js', () => {
  it('prints a Markdown table with every benchmark and every goal', () => {
    const { status, stdout } = benchTable(fixture());
    expect(status).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.startsWith('|'));
    expect(lines[0]).toBe(`| ${COLUMNS.join(' | ')} |`);
    expect(COLUMNS).toEqual(['benchmark', 'ringside', 'peer', 'ratio', 'goal', 'met?']);
    const body = lines.slice(2);
    expect(body).toHaveLength(ROWS.length);
    for (const [i, row] of ROWS.entries()) {
      const cells = body[i]!.split(' | ');
      expect(cells[0]).toBe(`| ${row.benchmark.trim()}`);
      if (row.goal) expect(cells.slice(4).join(' | ')).toBe(`${row.goal.text} | yes |`);
    }
    expect(markdownTable(fixture())).toBe(lines.join('\n'));
  });

  it('shows the median with min-max and the number of runs, and the ratio to the peer', () => {
    const lookups = tableRows(fixture())[ROWS.findIndex((r) => r.id === 'lookups')]!;
    expect(lookups.slice(1, 4)).toEqual(['17.00 M/s (16.00–18.00, n=3)', 'ringpop 10.21.0 HashRing: 3.00 M/s (2.90–3.10, n=3)', '5.67x faster']);
  });

  it('--check exits 0 when every goal is met and 1, naming the goal and the shortfall, when one is missed', () => {
    expect(benchTable(fixture(), '--check').status).toBe(0);
    const missed = benchTable(withSamples((s) => void (s.dashMainThreadCpuPercent!.ringside = [100, 101, 99])), '--check');
    expect(missed.status).toBe(1);
    expect(missed.stdout).toMatch(/^FAILED {2}`dash` with 1,000 members .*: goal < 10% of a core; measured 100\.0%, over by 90\.0% \(900% of the goal\)$/m);
    expect(missed.stdout).toContain('| < 10% of a core | **no**: measured 100.0%');
  });

  it('refuses a file that is not a results document', () => {
    expect(benchTable({ ...fixture(), schema: 'something else' }).status).toBe(2);
  });
});

describe('the committed run (bench/.results/latest.json)', () => {
  const committed = (): BenchResults => JSON.parse(readFileSync(join(root, 'bench/.results/latest.json'), 'utf8')) as BenchResults;

  it('is a full run with every figure of the table measured, at least 3 runs each and 5 kills', () => {
    const results = committed();
    expect(results.schema).toBe(SCHEMA);
    for (const row of ROWS) {
      for (const path of [row.ringside, ...row.peers.map((p) => p.series)]) {
        const [series, side] = path.split('.') as [string, string];
        expect(results.samples[series]?.[side]?.length ?? 0, path).toBeGreaterThanOrEqual(3);
      }
    }
    expect(results.samples.detectionLagMs!.passive!.length).toBeGreaterThanOrEqual(5);
  });

  it('prints as the table the docs quote', () => {
    const stdout = execFileSync(process.execPath, [join(root, 'scripts/bench-table.js')], { encoding: 'utf8' });
    expect(stdout).toContain(markdownTable(committed()));
  });
});

describe('docs/benchmarks.md', () => {
  it('quotes exactly the table of the committed bench/.results/latest.json', () => {
    const docs = readFileSync(join(root, 'docs/benchmarks.md'), 'utf8');
    const latest = JSON.parse(readFileSync(join(root, 'bench/.results/latest.json'), 'utf8')) as BenchResults;
    const quoted = /<!-- generated by node scripts\/bench-table\.js from bench\/\.results\/latest\.json -->\n([\s\S]*?)\n<!-- end of generated table -->/.exec(docs)?.[1];
    expect(quoted?.split('\n').slice(2).join('\n')).toBe(markdownTable(latest));
  });
});
