/**
 * The process entry point behind bin/run.js: runs the oclif command and owns the error path, so
 * every failure is one line on stderr with the documented exit code.
 */
import { Config, flush, run } from '@oclif/core';
import { describeError } from './errors.js';

/** The command the arguments name (`sandbox up` as well as `owner`), for the help hint. */
async function commandOf(argv: string[], root: string): Promise<string | undefined> {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  try {
    const config = await Config.load(root);
    for (let n = words.length; n > 0; n--) {
      const id = words.slice(0, n).join(':');
      if (config.findCommand(id)) return words.slice(0, n).join(' ');
    }
  } catch {
    // fall back to the first word
  }
  return words[0];
}

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
    const command = await commandOf(argv, root);
    const { line, exitCode } = describeError(error, command);
    if (line) process.stderr.write(`ringside: ${line}\n`);
    if (argv.includes('--debug') && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCode;
  }
}
