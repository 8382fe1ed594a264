/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after vitest's own
 * summary, so CI logs state the count in a runner-neutral form. Under CI (`CI` set and not
 * "false"/"0") a skipped test fails the run: the suite installs everything it needs there and
 * runs as root, so a skip means a claim went unchecked. The line then says so.
 */
import type { Reporter, TestModule } from 'vitest/node';

export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped.push(`${module.moduleId.split('/test/').at(-1)} > ${test.fullName}`);
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    const failsOnSkip = underCi() && skipped.length > 0;
    if (failsOnSkip) process.exitCode = 1;
    // After vitest's own summary, which the default reporter prints once this hook returns.
    const lines = [
      ...(failsOnSkip ? [`under CI a skipped test fails the run; skipped:`, ...skipped.map((s) => `  ${s}`)] : []),
      `tests: ${passed} passed, ${failed} failed, ${skipped.length} skipped${failsOnSkip ? ' (failed: skips under CI)' : ''}`,
    ];
    process.once('exit', () => {
      if (failsOnSkip) process.exitCode = 1;
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  }
}
