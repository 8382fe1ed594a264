/**
 * The live part of `diagnose`: polls every member's view for the window (at least every
 * interval), then diagnoses what the views and the accusations heard in that window show.
 */
import type { ClusterObserver } from '../observer.js';
import type { ClusterInfo } from '../snapshot.js';
import { ViewPoller } from '../view-poller.js';
import { ViewTimeline } from '../view-timeline.js';
import { type Diagnosis, diagnose, type Finding } from './index.js';

export interface DiagnoseRunOptions {
  durationMs: number;
  intervalMs: number;
  /** Called with each poll's timeline, for live displays. */
  onPoll?: (timeline: ViewTimeline) => void;
  /** Called about once a second with the polls so far and what they show so far, for live displays. */
  onProgress?: (progress: DiagnoseProgress) => void;
}

/** The window so far: how long, how many polls of how many views, and the findings they make. */
export interface DiagnoseProgress {
  elapsedMs: number;
  durationMs: number;
  polls: number;
  views: number;
  findings: Finding[];
}

export interface DiagnoseRun extends Diagnosis {
  startedAt: string;
  durationMs: number;
  intervalMs: number;
}

/** What `ringside diagnose --json` prints. */
export interface DiagnoseResult extends DiagnoseRun {
  cluster: ClusterInfo;
}

export async function runDiagnosis(observer: ClusterObserver, options: DiagnoseRunOptions): Promise<DiagnoseRun> {
  const timeline = new ViewTimeline();
  const started = Date.now();
  const poller = new ViewPoller(observer, {
    intervalMs: options.intervalMs,
    onView: (view) => {
      timeline.add(view);
      options.onPoll?.(timeline);
    },
  });
  const diagnoseUntil = (ended: number): Diagnosis => {
    const accusations = observer.accusations ? observer.accusations().filter((a) => a.at >= started && a.at <= ended) : null;
    return diagnose({ timeline, merged: observer.members(), accusations, protocol: observer.protocol });
  };
  const onProgress = options.onProgress;
  const progress = onProgress
    ? setInterval(() => {
        const now = Date.now();
        const { polls, views, findings } = diagnoseUntil(now);
        onProgress({ elapsedMs: now - started, durationMs: options.durationMs, polls, views, findings });
      }, 1000)
    : undefined;
  poller.start();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  clearInterval(progress);
  poller.stop();
  const ended = Date.now();
  const result = diagnoseUntil(ended);
  return { startedAt: new Date(started).toISOString(), durationMs: ended - started, intervalMs: options.intervalMs, ...result };
}
