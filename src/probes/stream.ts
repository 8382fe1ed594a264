/**
 * `bench --stream`: a run as NDJSON on stdout while it goes, what `bench --on` reads from the
 * shard on each host. One line when the schedule starts, one per probe per interval (about a
 * second, with that interval's corrected latencies as an encoded HDR histogram), and the result
 * document last:
 *
 *   {"type":"start","startedAt":"2026-12-04T05:00:00.000Z"}
 *   {"type":"interval","probe":"warm","startMs":0,"endMs":1000,"sent":100,"count":100,"errors":0,"histogram":"HISTF..."}
 *   {"type":"result","result":{...}}
 *
 * Lines come from another host: parseStreamLine checks every field, and the histogram's envelope
 * before it is decoded (decodeHistogram), and says what is wrong instead of throwing.
 */
import { decodeHistogram, encodeHistogram } from './histogram.js';
import { parseBenchResult } from './merge.js';
import type { BenchResult, IntervalRecord } from './types.js';

export type StreamEvent = { type: 'start'; startedAt: Date } | { type: 'interval'; record: IntervalRecord } | { type: 'result'; result: BenchResult };

export function startLine(startedAt: Date): string {
  return JSON.stringify({ type: 'start', startedAt: startedAt.toISOString() });
}

export function intervalLine(r: IntervalRecord): string {
  return JSON.stringify({ type: 'interval', probe: r.probe, startMs: r.startMs, endMs: r.endMs, sent: r.sent ?? 0, count: r.count, errors: r.errors, histogram: encodeHistogram(r.histogram) });
}

export function resultLine(result: BenchResult): string {
  return JSON.stringify({ type: 'result', result });
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const time = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** One line of a shard's stream: the event, or `{ error }` saying why the line is not one. */
export function parseStreamLine(line: string, source: string): StreamEvent | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { error: `${source} printed a line that is not JSON: ${JSON.stringify(line.slice(0, 80))}` };
  }
  const d = data as Record<string, unknown>;
  if (d === null || typeof d !== 'object') return { error: `${source} printed ${JSON.stringify(line.slice(0, 80))}, not a stream event` };
  if (d.type === 'start') {
    const at = typeof d.startedAt === 'string' ? new Date(d.startedAt) : undefined;
    return at !== undefined && Number.isFinite(at.getTime()) ? { type: 'start', startedAt: at } : { error: `${source}: a start event without a valid startedAt` };
  }
  if (d.type === 'interval') {
    if (typeof d.probe !== 'string' || !time(d.startMs) || !time(d.endMs) || d.endMs < d.startMs || !count(d.sent) || !count(d.count) || !count(d.errors) || typeof d.histogram !== 'string') {
      return { error: `${source}: an interval event with missing or invalid fields` };
    }
    let histogram;
    try {
      histogram = decodeHistogram(d.histogram);
    } catch (error) {
      return { error: `${source}: an interval's histogram is unusable: ${(error as Error).message}` };
    }
    return { type: 'interval', record: { probe: d.probe, startMs: d.startMs, endMs: d.endMs, sent: d.sent, count: d.count, errors: d.errors, histogram } };
  }
  if (d.type === 'result') {
    try {
      return { type: 'result', result: parseBenchResult(JSON.stringify(d.result), `the result of ${source}`) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  return { error: `${source} printed an event of unknown type ${JSON.stringify(d.type)}` };
}
