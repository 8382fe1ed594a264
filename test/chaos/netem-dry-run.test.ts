// netem is absent from this kernel (no sch_netem), so the netem faults cannot be applied here; their
// exact tc argv is checked through the CLI as a user runs it (--dry-run changes nothing), for every
// command that builds one, beside the planner's own vector tests in faults.test.ts.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface Step {
  run: string[];
}
interface DryRun {
  kind: string;
  dryRun: boolean;
  hosts: Array<{ on: string; apply: Step[]; revert: Step[] }>;
}

const cases: Array<[string[], string[]]> = [
  [['delay', '--delay', '100ms', '--jitter', '10ms', '--correlation', '25', '--distribution', 'normal'], ['delay', '100ms', '10ms', '25%', 'distribution', 'normal']],
  [['duplicate', '--percent', '5', '--correlation', '10'], ['duplicate', '5%', '10%']],
  [['corrupt', '--percent', '0.1'], ['corrupt', '0.1%']],
  [['loss', '--percent', '30', '--via', 'tc'], ['loss', 'random', '30%']],
  [['reorder', '--percent', '25', '--delay', '10ms'], ['delay', '10ms', 'reorder', '25%']],
];

describe('netem faults through the CLI, --dry-run (netem cannot run on this kernel)', () => {
  it.each(cases)('chaos %j builds exactly one netem qdisc and its inverse', async (args, netem) => {
    const r = await runCli(['chaos', ...args, '--on', 'local', '--dev', 'lo', '--id', 'drytest1', '--dry-run', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DryRun;
    expect(report.dryRun).toBe(true);
    const host = report.hosts[0]!;
    const adds = host.apply.filter((s) => s.run[0] === 'tc' && s.run[2] === 'add');
    expect(adds).toHaveLength(1);
    const add = adds[0]!.run;
    expect(add.slice(0, 6)).toEqual(['tc', 'qdisc', 'add', 'dev', 'lo', 'root']);
    expect(add[6]).toBe('handle');
    expect(add[7]).toMatch(/^52[0-9a-f]{2}:$/);
    expect(add.slice(8)).toEqual(['netem', ...netem]);
    const dels = host.revert.filter((s) => s.run[0] === 'tc');
    expect(dels.map((s) => s.run)).toEqual([['tc', 'qdisc', 'del', 'dev', 'lo', 'root', 'handle', add[7]]]);
  });
});
