/** Reading the files operators name on the command line, with one-line errors that say why not. */
import { readFile } from 'node:fs/promises';
import { fileError } from './errors.js';

/** The file's text; a missing, unreadable or directory path is a file error (exit 2) naming `what`. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (error as Error).message})`;
    throw fileError(`${what} ${path} ${reason}`, 'check the path', error);
  }
}
