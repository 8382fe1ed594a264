/**
 * Where the faults pane gets the active faults: chaos's own journal (`listActiveFaults`, the
 * local journal only, no host is contacted), polled once a second by the pane.
 */
import { existsSync } from 'node:fs';
import { listActiveFaults } from '../chaos/status.js';
import type { FaultsFeed } from './feeds.js';

export const FAULTS_UNAVAILABLE = 'chaos journal not available in this build';

export interface FaultsSourceOptions {
  /** Where the chaos journal lives (chaos's default when absent). */
  journalDir?: string;
}

/**
 * A journal directory given explicitly that does not exist is most likely a typo: the pane says
 * so (until chaos creates it with its first fault) instead of showing "no active fault". Chaos's
 * default directory not existing just means no fault was ever applied here.
 */
export function createFaultsFeed(options: FaultsSourceOptions = {}): FaultsFeed | undefined {
  const dir = options.journalDir;
  if (dir === undefined) return () => listActiveFaults();
  return async () => {
    if (!existsSync(dir)) throw new Error(`${dir} does not exist (yet)`);
    return listActiveFaults({ journalDir: dir });
  };
}
