/**
 * The process entry point behind bin/run.js: runs the oclif command and owns the error path, so
 * every failure is one line on stderr with the documented exit code.
 */
import { flush, run } from '@oclif/core';
import { describeError } from './errors.js';

export async function main(argv: string[], root: string): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // `ringside ... | head` closes the pipe early: not an error.
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await run(argv, root);
    await flush();
  } catch (error) {
    const command = argv.find((arg) => !arg.startsWith('-'));
    const { line, exitCode } = describeError(error, command);
    if (line) process.stderr.write(`ringside: ${line}\n`);
    if (argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }
}
