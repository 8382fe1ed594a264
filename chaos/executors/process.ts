/**
 * Runs a local argv with execa: no shell, no rejection on exit codes, errors as exit 127. execa is
 * loaded on first use (it is ESM-only, and a command that runs nothing should not pay for it).
 */
import type { Argv } from '../faults/types.js';
import type { ExecResult, RunOptions } from './types.js';

export async function runArgv(argv: Argv, options: Pick<RunOptions, 'input' | 'timeoutMs' | 'onStdoutLine' | 'signal'> = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty argv');
  const { input, timeoutMs = 60_000, onStdoutLine, signal } = options;
  const { execa } = await import('execa');
  const result = await execa(file, args, {
    reject: false,
    stdin: input === undefined ? 'ignore' : 'pipe',
    ...(input !== undefined ? { input } : {}),
    // Each line goes to the callback as it arrives, and on into the collected stdout unchanged.
    ...(onStdoutLine !== undefined
      ? {
          stdout: function* (line: unknown) {
            onStdoutLine(String(line));
            yield line;
          },
        }
      : {}),
    ...(signal !== undefined ? { cancelSignal: signal } : {}),
    timeout: timeoutMs,
    stripFinalNewline: false,
    encoding: 'utf8',
  });
  const code = typeof result.exitCode === 'number' ? result.exitCode : 127;
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const reason = result.failed && result.exitCode === undefined ? (result.originalMessage ?? result.shortMessage ?? '') : '';
  return { code, stdout: typeof result.stdout === 'string' ? result.stdout : '', stderr: stderr || reason };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
