import { Flags } from '@oclif/core';
import { RingsideCommand } from '../cli/base-command.js';
import { RingsideError } from '../errors.js';
import { DEFAULT_MAX_REGRESSION, DEFAULT_MIN_COUNT, DEFAULT_PERCENTILES, DEFAULT_SLACK, type GateResult, renderGateTable, runGate } from '../gate/index.js';

export default class Gate extends RingsideCommand {
  static override summary = 'Fail CI when latency regresses against a baseline or breaks a threshold';
  static override description =
    'Compares a current bench result (or .hlog) with a baseline. Percentiles come from the HDR histograms when the files carry them. Exit 0 when every check passes, 1 when one fails, 2 on bad input. With $GITHUB_STEP_SUMMARY set, the Markdown summary is appended to it.';
  static override examples = [
    '<%= config.bin %> gate --baseline main.json --current pr.json',
    '<%= config.bin %> gate --baseline main.json --current pr.json --threshold "first-connection.p99<200ms" --threshold "warm.errors<1%" --junit gate.xml',
    '<%= config.bin %> gate --baseline main.hlog --current pr.hlog --max-regression 20% --percentiles p50,p999 --slack 2ms',
  ];

  static override flags = {
    baseline: Flags.string({ helpValue: 'FILE', required: true, description: 'the reference run: bench result JSON or .hlog' }),
    current: Flags.string({ helpValue: 'FILE', required: true, description: 'the run under test: bench result JSON or .hlog' }),
    threshold: Flags.string({ helpValue: 'PROBE.STAT<LIMIT', multiple: true, description: 'absolute limit on the current run, e.g. first-connection.p99<200ms, warm.errors<1%, warm.rate>=900 (ops < <= > >=)' }),
    'max-regression': Flags.string({ helpValue: 'PERCENT|off', default: DEFAULT_MAX_REGRESSION, description: 'allowed increase of each --percentiles value over the baseline' }),
    percentiles: Flags.string({ helpValue: 'LIST', default: DEFAULT_PERCENTILES, description: 'statistics compared with the baseline: pNN (p999 = 99.9), max, mean' }),
    'min-count': Flags.integer({ helpValue: 'N', min: 0, default: DEFAULT_MIN_COUNT, description: 'skip regression checks for probes with fewer requests than this in either run' }),
    slack: Flags.string({ helpValue: 'DURATION', default: DEFAULT_SLACK, description: 'absolute noise floor: increases smaller than this never count as regressions' }),
    junit: Flags.string({ helpValue: 'FILE', description: 'write JUnit XML, one testcase per check' }),
    markdown: Flags.string({ helpValue: 'FILE', description: 'write the Markdown summary' }),
  };

  async run(): Promise<GateResult> {
    const { flags } = await this.parse(Gate);
    const result = await runGate({
      baselineFile: flags.baseline,
      currentFile: flags.current,
      thresholds: flags.threshold ?? [],
      maxRegression: flags['max-regression'],
      percentiles: flags.percentiles,
      minCount: flags['min-count'],
      slack: flags.slack,
      ...(flags.junit !== undefined ? { junitFile: flags.junit } : {}),
      ...(flags.markdown !== undefined ? { markdownFile: flags.markdown } : {}),
    });
    this.output(result, flags.json, renderGateTable);
    if (!result.passed) {
      const failed = result.checks.filter((c) => c.status === 'fail').map((c) => c.name);
      const shown = failed.length > 3 ? `${failed.slice(0, 3).join(', ')} and ${failed.length - 3} more` : failed.join(', ');
      throw new RingsideError('RS_CHECK_FAILED', `gate failed: ${shown}`, flags.json ? 'see the checks in the JSON' : 'see the table above');
    }
    return result;
  }
}
