/**
 * POSIX shell quoting, for the two places a command must pass through a shell: OpenSSH joins the
 * remote command's words into one string for the remote shell, and the dead-man timer is a
 * script. Every word is quoted on its own, so no user input can become shell syntax.
 */
import type { Argv } from '../faults/types.js';

const SAFE = /^[A-Za-z0-9_\-.,:/=@%+]+$/;

export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a NUL byte cannot pass through a shell');
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: Argv): string {
  return argv.map(shellQuote).join(' ');
}
