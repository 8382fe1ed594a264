/**
 * HdrHistogram interval logs (`.hlog`, HistogramLogWriter format 1.3), the format jHiccup,
 * cassandra-stress and HdrHistogram's own HistogramLogProcessor and HistogramLogAnalyzer read.
 * One line per probe and interval, tagged `probe=<name>` (or by phase in `chaos run`); values
 * are microseconds, the Interval_Max column is in milliseconds (maxValueUnitRatio 1000; give
 * HistogramLogProcessor `-outputValueUnitRatio 1000` for milliseconds). Lines are written and
 * read with hdr-histogram-js's HistogramLogWriter and HistogramLogReader.
 */
import { type Histogram, HistogramLogReader, HistogramLogWriter } from 'hdr-histogram-js';
import { fileError } from '../errors.js';
import { checkEncodedHistogram } from './encoded-histogram.js';
import { createHistogram } from './histogram.js';

export const HLOG_TAG_PREFIX = 'probe=';

export interface HlogInterval {
  tag: string;
  /** Absolute, seconds since the epoch. */
  startSec: number;
  endSec: number;
  histogram: Histogram;
}

export interface HlogHeader {
  startTimeSec: number;
  comment?: string;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

export function hlogHeader({ startTimeSec, comment }: HlogHeader): string {
  return [
    `#${comment ?? 'ringside bench'}`,
    '#[Histogram log format version 1.3]',
    `#[StartTime: ${seconds(startTimeSec)} (seconds since epoch), ${new Date(startTimeSec * 1000).toString()}]`,
    `#[BaseTime: ${seconds(startTimeSec)} (seconds since epoch)]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    '',
  ].join('\n');
}

/** One interval line (timestamps relative to the header's BaseTime). */
export function hlogLine(baseTimeSec: number, interval: HlogInterval): string {
  if (/[\s,]/.test(interval.tag)) throw new Error(`hlog tag "${interval.tag}" has a space or comma`);
  let line = '';
  const writer = new HistogramLogWriter((text) => (line += text));
  const previous = interval.histogram.tag;
  interval.histogram.tag = interval.tag;
  try {
    writer.outputIntervalHistogram(interval.histogram, interval.startSec - baseTimeSec, interval.endSec - baseTimeSec, 1000);
  } finally {
    interval.histogram.tag = previous;
  }
  return line;
}

export function looksLikeHlog(text: string): boolean {
  return /^#\[Histogram log format version|^#\[StartTime:|^(Tag=[^,]*,)?\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?,HIST/m.test(text);
}

/** Every interval of a log, with absolute times. */
export function readHlog(text: string, file = 'hlog'): { startTimeSec: number; intervals: HlogInterval[] } {
  if (!looksLikeHlog(text)) throw fileError(`${file} is not an HdrHistogram interval log`, 'give a .hlog written by ringside bench --hlog or another HistogramLogWriter');
  // hdr-histogram-js trusts each line's payload length (a corrupt one hangs it): check them first.
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('"StartTimestamp"') || line.startsWith('StartTimestamp')) continue;
    const fields = line.replace(/^Tag=[^,]*,/, '').split(',');
    if (fields.length !== 4 || fields.slice(0, 3).some((f) => f.trim() === '' || !Number.isFinite(Number(f)))) {
      throw fileError(`${file} line ${index + 1} is not an interval line ("start,length,max,histogram")`, 'give a .hlog written by ringside bench --hlog or another HistogramLogWriter');
    }
    try {
      checkEncodedHistogram(fields[3] as string);
    } catch (error) {
      throw fileError(`${file} line ${index + 1}: its histogram cannot be decoded: ${(error as Error).message}`, 'check the file is complete', error);
    }
  }
  const reader = new HistogramLogReader(text);
  const intervals: HlogInterval[] = [];
  for (;;) {
    let decoded: Histogram | null;
    try {
      decoded = reader.nextIntervalHistogram();
    } catch (error) {
      throw fileError(`${file} has an interval line that does not decode`, 'check the file is complete', error);
    }
    if (decoded === null) break;
    const histogram = createHistogram();
    histogram.add(decoded);
    intervals.push({ tag: decoded.tag === 'NO TAG' ? '' : decoded.tag, startSec: decoded.startTimeStampMsec / 1000, endSec: decoded.endTimeStampMsec / 1000, histogram });
  }
  const startTimeSec = Number.isFinite(reader.startTimeSec) ? reader.startTimeSec : Math.min(...intervals.map((i) => i.startSec));
  return { startTimeSec, intervals };
}

/** The probe name of a tag (`probe=warm` -> `warm`; other tags as they are). */
export function probeOfTag(tag: string): string {
  return tag.startsWith(HLOG_TAG_PREFIX) ? tag.slice(HLOG_TAG_PREFIX.length) : tag;
}

/** Several logs as one, every interval kept (HdrHistogram's tools add them over any range). */
export function mergeHlogs(logs: readonly { startTimeSec: number; intervals: HlogInterval[] }[]): string {
  const intervals = logs.flatMap((l) => l.intervals).sort((a, b) => a.startSec - b.startSec || a.tag.localeCompare(b.tag));
  const startTimeSec = Math.min(...logs.map((l) => l.startTimeSec), ...intervals.map((i) => i.startSec));
  return hlogHeader({ startTimeSec, comment: `ringside bench merge of ${logs.length} logs` }) + intervals.map((i) => hlogLine(startTimeSec, i)).join('');
}
