/** Key files (`--keys-file`): one key per line; blank lines and lines starting with # are skipped. */
import { readTextFile } from './files.js';

export function parseKeys(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export async function readKeysFile(path: string): Promise<string[]> {
  return parseKeys(await readTextFile(path, 'keys file'));
}
