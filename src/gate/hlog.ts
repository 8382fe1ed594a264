/**
 * An HdrHistogram interval log (.hlog, ANCHORS.md §5) as the gate sees it: every interval line is
 * a complete histogram, so adding the lines of one probe reconstructs that probe's whole run
 * exactly. Tags are `probe=<name>` (what `ringside bench --hlog` writes) or any other tag, taken
 * as the probe's name; untagged lines belong to the probe `default`. Values are microseconds.
 */
import type { Histogram } from 'hdr-histogram-js';
import { fileError } from '../errors.js';
import { createHistogram } from '../probes/histogram.js';
import { probeOfTag, readHlog } from '../probes/hlog.js';

export const UNTAGGED = 'default';

/** Sums the interval histograms of an .hlog by probe. */
export function sumHlogByProbe(text: string, file: string): Map<string, Histogram> {
  const { intervals } = readHlog(text, file);
  if (intervals.length === 0) throw fileError(`${file} holds no histogram intervals`, 'give an .hlog written by ringside bench --hlog or HdrHistogram');
  const byProbe = new Map<string, Histogram>();
  for (const interval of intervals) {
    const probe = interval.tag === '' ? UNTAGGED : probeOfTag(interval.tag);
    let sum = byProbe.get(probe);
    if (sum === undefined) byProbe.set(probe, (sum = createHistogram()));
    sum.add(interval.histogram);
  }
  return byProbe;
}
