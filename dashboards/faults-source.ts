/**
 * Where the faults pane gets the active faults. chaos/index.ts (built beside this branch)
 * exports `listActiveFaults(options?: { journalDir?: string }): Promise<ActiveFault[]>`; once it
 * is merged, this adapter returns it bound to the options:
 *
 *   return () => listActiveFaults(options.journalDir !== undefined ? { journalDir: options.journalDir } : {});
 *
 * Until then it returns undefined and the faults pane says FAULTS_UNAVAILABLE.
 */
import type { FaultsFeed } from './feeds.js';

export const FAULTS_UNAVAILABLE = 'chaos journal not available in this build';

export interface FaultsSourceOptions {
  /** Where the chaos journal lives (chaos's default when absent). */
  journalDir?: string;
}

export function createFaultsFeed(options: FaultsSourceOptions = {}): FaultsFeed | undefined {
  void options;
  return undefined;
}
