/**
 * Where the faults pane gets the active faults: chaos's own journal (`listActiveFaults`, the
 * local journal only, no host is contacted), polled once a second by the pane.
 */
import { listActiveFaults } from '../chaos/status.js';
import type { FaultsFeed } from './feeds.js';

export const FAULTS_UNAVAILABLE = 'chaos journal not available in this build';

export interface FaultsSourceOptions {
  /** Where the chaos journal lives (chaos's default when absent). */
  journalDir?: string;
}

export function createFaultsFeed(options: FaultsSourceOptions = {}): FaultsFeed | undefined {
  return () => listActiveFaults(options.journalDir !== undefined ? { journalDir: options.journalDir } : {});
}
