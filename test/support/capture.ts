/**
 * Saves real output of a live test for the docs: with RINGSIDE_CAPTURE_DIR set, `capture(name,
 * text)` writes the text to that directory (the README's partition and gray-failure sections are
 * pasted from these files, never written by hand). Without it, nothing is written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function capture(name: string, text: string): void {
  const dir = process.env['RINGSIDE_CAPTURE_DIR'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
}
