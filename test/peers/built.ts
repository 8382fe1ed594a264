/**
 * Where the peers built by scripts/build-peers.js live (test/peers/.bin). `npm test` builds them
 * in its pretest step; a missing one is an error naming the command that builds it, never a skip.
 */
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PEER_BIN_DIR = fileURLToPath(new URL('./.bin/', import.meta.url));

/** The absolute path of a built peer file (e.g. `serf-v0.10.4/serf`), or an error saying how to build it. */
export function builtPeer(path: string): string {
  const file = `${PEER_BIN_DIR}${path}`;
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new Error(`test peer ${path} is not built: run "node scripts/build-peers.js" (npm test does it before the suite)`);
  }
  return file;
}
