/**
 * Probe interval records -> phases (pure). A record covers about one second; one that straddles a
 * phase boundary goes wholly to the phase it overlaps most (ties: the earlier phase), so every
 * record lands in exactly one phase and the phases' counts add up to the run's. A record outside
 * every phase (the probe's start before the first phase, its drain after the last) goes to the
 * nearest phase. Figures per phase and probe come from the exact sum of the records' histograms.
 */
import type { Histogram } from 'hdr-histogram-js';
import { createHistogram, encodeHistogram } from '../../src/probes/histogram.js';
import type { IntervalRecord } from '../../src/probes/types.js';
import type { PhaseWindow, ProbeFigures, ProbePhaseResult } from './probes.js';

/** An interval record of the probes library (epoch ms, its own histogram). */
export type TimedInterval = IntervalRecord;

/** The index of the phase an interval belongs to, or -1 when there is no phase. */
export function phaseIndexOf(interval: { startMs: number; endMs: number }, phases: readonly PhaseWindow[]): number {
  let best = -1;
  let bestOverlap = 0;
  phases.forEach((p, i) => {
    const overlap = Math.min(interval.endMs, p.endMs) - Math.max(interval.startMs, p.startMs);
    if (overlap > bestOverlap) {
      best = i;
      bestOverlap = overlap;
    }
  });
  if (best >= 0) return best;
  const mid = (interval.startMs + interval.endMs) / 2;
  let bestDistance = Number.POSITIVE_INFINITY;
  phases.forEach((p, i) => {
    const distance = mid < p.startMs ? p.startMs - mid : mid >= p.endMs ? mid - p.endMs : 0;
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

/** Figures of a merged histogram; percentiles are null when nothing came back. */
export function figuresOf(histogram: Histogram, errors: number, intervals: number): ProbeFigures {
  const none = histogram.totalCount === 0;
  const max = usToMs(histogram.maxValue);
  // A percentile is the top of its HDR bucket (within 0.1%); no recorded value is above the max.
  const at = (p: number): number | null => (none ? null : Math.min(max, usToMs(histogram.getValueAtPercentile(p))));
  return {
    count: histogram.totalCount,
    errors,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: none ? null : max,
    histogram: encodeHistogram(histogram),
    intervals,
  };
}

interface Acc {
  histogram: Histogram;
  errors: number;
  intervals: number;
}

/** Every phase (in order) with its figures per probe; probes seen in the run appear in every phase, empty where they sent nothing. */
export function assignIntervals(intervals: readonly TimedInterval[], phases: readonly PhaseWindow[]): Record<string, ProbePhaseResult> {
  const probes = [...new Set(intervals.map((i) => i.probe))].sort();
  const acc = phases.map(() => new Map<string, Acc>(probes.map((p) => [p, { histogram: createHistogram(), errors: 0, intervals: 0 }])));
  for (const interval of intervals) {
    const index = phaseIndexOf(interval, phases);
    const a = acc[index]?.get(interval.probe);
    if (!a) continue;
    a.histogram.add(interval.histogram);
    a.errors += interval.errors;
    a.intervals++;
  }
  return Object.fromEntries(phases.map((p, i) => [p.name, Object.fromEntries([...(acc[i] as Map<string, Acc>)].map(([probe, a]) => [probe, figuresOf(a.histogram, a.errors, a.intervals)]))]));
}

/** An hlog tag for a phase and probe: no spaces or commas (phase names are [A-Za-z0-9_-]). */
export function phaseTag(phase: string, probe: string): string {
  return `phase=${phase}/probe=${probe}`;
}
