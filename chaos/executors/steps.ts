/** Runs plan steps on an executor, honouring their guards; a failing command is an error. */
import { RingsideError } from '../../src/errors.js';
import type { Step } from '../faults/types.js';
import { shellCommand } from './quote.js';
import type { Executor } from './types.js';

export const MAX_REPEAT = 100;

export class StepError extends RingsideError {
  constructor(
    readonly executor: string,
    readonly argv: readonly string[],
    readonly stderr: string,
  ) {
    const reason = stderr.trim().split('\n')[0] || 'failed';
    super('RS_CHAOS_FAILED', `${argv.join(' ')} failed on ${executor}: ${reason}`, 'nothing was left behind; check the host');
  }
}

/** Runs one step; returns false when a guard skipped it. */
export async function runStep(executor: Executor, step: Step): Promise<boolean> {
  if (step.unless && (await executor.run(step.unless)).code === 0) return false;
  for (let i = 0; i < (step.repeat ? MAX_REPEAT : 1); i++) {
    if (step.onlyIf && (await executor.run(step.onlyIf)).code !== 0) return i > 0;
    const result = await executor.run(step.run);
    if (result.code !== 0) throw new StepError(executor.name, step.run, result.stderr);
    if (!step.onlyIf) break;
  }
  return true;
}

/** Runs steps in order, stopping at the first failure. */
export async function runSteps(executor: Executor, steps: readonly Step[]): Promise<void> {
  for (const step of steps) await runStep(executor, step);
}

/** Runs every step even when some fail (reverting must go as far as it can); returns the errors. */
export async function runAllSteps(executor: Executor, steps: readonly Step[]): Promise<string[]> {
  const errors: string[] = [];
  for (const step of steps) {
    try {
      await runStep(executor, step);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return errors;
}

/**
 * One line per step, each command shell-quoted so it can be pasted as is:
 * `[unless iptables -w 5 -C ...] iptables -w 5 -I ...`.
 */
export function describeStep(step: Step, wrap: (argv: readonly string[]) => string[] = (a) => [...a]): string {
  const q = (argv: readonly string[]): string => shellCommand(wrap(argv));
  const guard = step.onlyIf ? `[if ${q(step.onlyIf)}] ` : step.unless ? `[unless ${q(step.unless)}] ` : '';
  return `${guard}${q(step.run)}${step.repeat ? ' [repeat while the guard holds]' : ''}`;
}
