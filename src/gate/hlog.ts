/**
 * Reads an HdrHistogram interval log (.hlog, ANCHORS.md §5) for the gate: every interval line is
 * a complete histogram, so adding the lines of one tag reconstructs that tag's whole run exactly.
 * Tags are probe names; untagged lines belong to the probe `default`. Values are microseconds
 * (what `ringside bench --hlog` writes). Pure: text in, histograms out.
 */
import type { Histogram } from 'hdr-histogram-js';
import { decodeHistogram } from './encoded-histogram.js';
import { fileError } from '../errors.js';

export const UNTAGGED = 'default';

/** Sums the interval histograms of an .hlog by tag. */
export function readHlog(text: string, file: string): Map<string, Histogram> {
  const byTag = new Map<string, Histogram>();
  let intervals = 0;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('"StartTimestamp"') || line.startsWith('StartTimestamp')) continue;
    let tag = UNTAGGED;
    let rest = line;
    if (rest.startsWith('Tag=')) {
      const comma = rest.indexOf(',');
      if (comma < 0) throw bad(file, index, 'a Tag= without an interval');
      tag = rest.slice(4, comma);
      rest = rest.slice(comma + 1);
    }
    const fields = rest.split(',');
    if (fields.length !== 4 || fields.slice(0, 3).some((f) => !Number.isFinite(Number(f)))) throw bad(file, index, 'not "start,length,max,histogram"');
    let histogram: Histogram;
    try {
      histogram = decodeHistogram(fields[3] as string);
    } catch (error) {
      throw bad(file, index, `its histogram cannot be decoded: ${(error as Error).message}`);
    }
    const sum = byTag.get(tag);
    if (sum === undefined) {
      histogram.autoResize = true; // later intervals may hold larger values
      byTag.set(tag, histogram);
    } else sum.add(histogram);
    intervals++;
  }
  if (intervals === 0) throw fileError(`${file} holds no histogram intervals`, 'give an .hlog written by ringside bench --hlog or HdrHistogram');
  return byTag;
}

function bad(file: string, index: number, why: string): Error {
  return fileError(`${file} line ${index + 1} is not an HdrHistogram interval line: ${why}`, 'give an .hlog written by ringside bench --hlog or HdrHistogram');
}
