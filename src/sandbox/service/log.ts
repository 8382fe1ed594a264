/** The last line a sandbox process logged (why it could not start), for one-line errors. */
import { readFileSync } from 'node:fs';

export function lastLines(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    return lines.at(-1) ?? 'no output';
  } catch {
    return 'no log';
  }
}
