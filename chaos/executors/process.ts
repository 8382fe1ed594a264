/** Runs a local argv with execa: no shell, no rejection on exit codes, errors as exit 127. */
import { execa } from 'execa';
import type { Argv } from '../faults/types.js';
import type { ExecResult } from './types.js';

export async function runArgv(argv: Argv, input?: string, timeoutMs = 60_000): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty argv');
  const result = await execa(file, args, {
    reject: false,
    stdin: input === undefined ? 'ignore' : 'pipe',
    ...(input !== undefined ? { input } : {}),
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
