/**
 * Per-probe recording inside a worker: completed requests go into the corrected (from the
 * intended send time) and uncorrected (from the actual send) histograms; failures only into
 * the error counts. Each interval is cut, encoded and handed to the coordinator, which merges
 * workers exactly.
 */
import type { Histogram } from 'hdr-histogram-js';
import { zeroErrors } from './error-kind.js';
import { createHistogram, encodeHistogram } from './histogram.js';
import type { ErrorCounts, ErrorKind } from './types.js';

/** What a worker sends for one probe and one interval (plain data, histograms encoded). */
export interface IntervalMessage {
  probe: string;
  tick: number;
  /** Requests handed to the connection (or opened one) in this interval, answered or not. */
  sent: number;
  count: number;
  errorsByKind: ErrorCounts;
  corrected: string;
  uncorrected: string;
  phases?: Record<string, string>;
}

export const PHASES = ['connect', 'tls', 'ttfb', 'total'] as const;
export type Phase = (typeof PHASES)[number];

export class ProbeRecorder {
  private corrected = createHistogram();
  private uncorrected = createHistogram();
  private phases: Map<Phase, Histogram> | undefined;
  private sent = 0;
  private count = 0;
  private errors = zeroErrors();

  constructor(
    readonly probe: string,
    withPhases = false,
  ) {
    if (withPhases) this.phases = new Map(PHASES.map((p) => [p, createHistogram()]));
  }

  /** A request went out (counted for live progress; its outcome comes later). */
  submitted(): void {
    this.sent++;
  }

  /** A complete response; times in ns on one clock. */
  success(intendedNs: number, sentNs: number, endNs: number): void {
    this.count++;
    this.corrected.recordValue(Math.max(0, Math.round((endNs - intendedNs) / 1000)));
    this.uncorrected.recordValue(Math.max(0, Math.round((endNs - sentNs) / 1000)));
  }

  phase(phase: Phase, durationNs: number): void {
    this.phases?.get(phase)?.recordValue(Math.max(0, Math.round(durationNs / 1000)));
  }

  failure(kind: ErrorKind): void {
    this.errors[kind]++;
  }

  /** Cuts the interval: returns its data and starts a new one. */
  cut(tick: number): IntervalMessage {
    const message: IntervalMessage = {
      probe: this.probe,
      tick,
      sent: this.sent,
      count: this.count,
      errorsByKind: this.errors,
      corrected: encodeHistogram(this.corrected),
      uncorrected: encodeHistogram(this.uncorrected),
    };
    if (this.phases) {
      message.phases = {};
      for (const [phase, histogram] of this.phases) {
        if (histogram.totalCount > 0) message.phases[phase] = encodeHistogram(histogram);
        histogram.reset();
      }
    }
    this.corrected.reset();
    this.uncorrected.reset();
    this.sent = 0;
    this.count = 0;
    this.errors = zeroErrors();
    return message;
  }
}
