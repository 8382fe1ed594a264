/**
 * The directory of ringside's package.json, found from a module's own URL: the files a module
 * starts or reads (the probe worker, the demo service, the shipped scenarios) are named from
 * there, because a module's own location differs between the sources (tests), dist/src and the
 * start-up bundle in dist/bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ringside') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`ringside's package.json is not above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
