/**
 * Turns anything thrown into the one line CLI.md promises (`ringside: <what> (<what to do>)`)
 * and an exit code. Stack traces only with --debug.
 */
import { EXIT, RingsideError } from '../errors.js';

interface OclifError extends Error {
  code?: string;
  oclif?: { exit?: number };
}

// oclif's own errors (parser, unknown command) carry ANSI colour and several lines.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function lines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function firstLine(text: string): string {
  return lines(text)[0] ?? 'unknown error';
}

/** oclif's parse errors put the reason on the second line ("Parsing --x" / "Expected ..."). */
function oclifMessage(text: string): string {
  const [first = 'bad usage', ...rest] = lines(text).filter((line) => !/^See more help/i.test(line));
  const message = rest.length > 0 ? `${first.replace(/:$/, '')}: ${rest.join('; ')}` : first;
  return message.replace(/^Error:\s*/, '').replace(/^The following errors? occurred:\s*/i, '').replace(/\.$/, '');
}

export interface Reported {
  line: string;
  exitCode: number;
}

export function describeError(error: unknown, command?: string): Reported {
  if (error instanceof RingsideError) return { line: error.line, exitCode: error.exitCode };
  const e = error as OclifError;
  if (e?.code === 'EEXIT') return { line: '', exitCode: e.oclif?.exit ?? 0 };
  if (e?.oclif?.exit !== undefined) {
    // Parse errors and unknown commands: bad usage.
    const message = oclifMessage(e.message);
    const known = command !== undefined && !/^command .* not found/.test(message);
    const help = known ? `see ringside ${command} --help` : 'see ringside --help';
    return { line: `${message} (${help})`, exitCode: EXIT.badInput };
  }
  const message = e instanceof Error ? firstLine(e.message) : String(error);
  return { line: `internal error: ${message} (rerun with --debug and report it)`, exitCode: EXIT.checkFailed };
}
