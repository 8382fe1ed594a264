/**
 * `--hlog FILE` of `bench`: an HdrHistogram interval log written as a run goes (a local run, or
 * shards merged as they stream back): the header when the schedule starts, one line per probe and
 * interval (tag probe=<name>).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileError } from '../errors.js';
import { hlogHeader, hlogLine, HLOG_TAG_PREFIX } from '../probes/hlog.js';
import type { BenchRun } from '../probes/run.js';

export interface IntervalLog {
  /** Logs the run's start and intervals. */
  follow(run: Pick<BenchRun, 'on'>): void;
  close(): void;
}

/** Opens FILE before anything runs (one line on failure, exit 2). */
export function openIntervalLog(path: string): IntervalLog {
  const fd = openFile(path);
  let open = true;
  return {
    follow: (run) => {
      let baseSec = 0;
      run.on('start', ({ startedAt }) => {
        baseSec = startedAt.getTime() / 1000;
        writeSync(fd, hlogHeader({ startTimeSec: baseSec }));
      });
      run.on('interval', (r) => writeSync(fd, hlogLine(baseSec, { tag: `${HLOG_TAG_PREFIX}${r.probe}`, startSec: r.startMs / 1000, endSec: r.endMs / 1000, histogram: r.histogram })));
    },
    close: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw fileError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the directory exists and is writable', error);
  }
}
