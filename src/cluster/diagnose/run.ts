/**
 * The live part of `diagnose`: polls every member's view for the window (at least every
 * interval), then diagnoses what the views and the accusations heard in that window show.
 */
import type { ClusterObserver } from '../observer.js';
import type { ClusterInfo } from '../snapshot.js';
import { ViewPoller } from '../view-poller.js';
import { ViewTimeline } from '../view-timeline.js';
import { type Diagnosis, diagnose } from './index.js';

export interface DiagnoseRunOptions {
  durationMs: number;
  intervalMs: number;
  /** Called with each poll's timeline, for live displays. */
  onPoll?: (timeline: ViewTimeline) => void;
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
  poller.start();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  poller.stop();
  const ended = Date.now();
  const accusations = observer.accusations ? observer.accusations().filter((a) => a.at >= started && a.at <= ended) : null;
  const result = diagnose({ timeline, merged: observer.members(), accusations, protocol: observer.protocol });
  return { startedAt: new Date(started).toISOString(), durationMs: ended - started, intervalMs: options.intervalMs, ...result };
}
