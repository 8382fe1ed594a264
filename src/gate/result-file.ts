/**
 * Reads what the gate compares: a bench result JSON (`kind: "ringside.bench"`, CLI.md `bench`)
 * or an HdrHistogram interval log. Parsing is pure (text in, RunData out); loadRun() adds the
 * file read. Anything malformed is RS_BAD_FILE (exit 2) naming the file and what is wrong.
 */
import { readFile } from 'node:fs/promises';
import type { Histogram } from 'hdr-histogram-js';
import { decodeUntrustedHistogram as decodeHistogram } from '../probes/encoded-histogram.js';
import { fileError } from '../errors.js';
import { sumHlogByProbe } from './hlog.js';
import type { ProbeData, RunData } from './probe-data.js';
import { STORED_STATS, type StoredStat } from './stats.js';

export const BENCH_KIND = 'ringside.bench';
const HINT = 'give a result written by ringside bench -o FILE, or an .hlog';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown, what: string, file: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fileError(`${file}: ${what} is not a non-negative number`, HINT);
  return value;
}

function histogramField(text: unknown, what: string, file: string): Histogram | null {
  if (text === undefined || text === null) return null;
  if (typeof text !== 'string') throw fileError(`${file}: ${what}.histogram is not a base64 string`, HINT);
  try {
    return decodeHistogram(text);
  } catch (error) {
    throw fileError(`${file}: ${what}.histogram is not a compressed HDR histogram (${(error as Error).message})`, HINT);
  }
}

function probeOf(name: string, raw: unknown, file: string): ProbeData {
  const what = `probes["${name}"]`;
  if (!isObject(raw)) throw fileError(`${file}: ${what} is not an object`, HINT);
  const histogram = histogramField(raw.histogram, what, file);
  const stored: Partial<Record<StoredStat, number>> = {};
  for (const stat of STORED_STATS) if (raw[stat] !== undefined && raw[stat] !== null) stored[stat] = count(raw[stat], `${what}.${stat}`, file);
  if (histogram === null && Object.keys(stored).length === 0) throw fileError(`${file}: ${what} has neither a histogram nor percentiles`, HINT);
  return {
    count: histogram !== null ? histogram.totalCount : count(raw.count, `${what}.count`, file),
    errors: raw.errors === undefined ? null : count(raw.errors, `${what}.errors`, file),
    rate: raw.rate === undefined ? null : count(raw.rate, `${what}.rate`, file),
    stored,
    histogram,
  };
}

/** Parses a bench result JSON. The `probes` object is required; `kind`, when present, must match. */
export function parseBenchResult(text: string, file: string): RunData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw fileError(`${file} is not JSON`, HINT);
  }
  if (!isObject(data)) throw fileError(`${file} is not a bench result (not a JSON object)`, HINT);
  if (data.kind !== undefined && data.kind !== BENCH_KIND) throw fileError(`${file} is a ${String(data.kind)}, not a bench result`, HINT);
  if (data.schemaVersion !== undefined && data.schemaVersion !== 1) throw fileError(`${file} has bench result schemaVersion ${String(data.schemaVersion)}, this ringside reads 1`, 'upgrade ringside');
  if (!isObject(data.probes)) throw fileError(`${file} has no "probes" object`, HINT);
  const probes = new Map<string, ProbeData>();
  for (const [name, raw] of Object.entries(data.probes)) probes.set(name, probeOf(name, raw, file));
  if (probes.size === 0) throw fileError(`${file} holds no probes`, HINT);
  return { file, format: 'json', probes };
}

/** Parses an .hlog: one probe per tag, latencies only (no errors, no rate). */
export function parseHlogRun(text: string, file: string): RunData {
  const probes = new Map<string, ProbeData>();
  for (const [tag, histogram] of sumHlogByProbe(text, file)) probes.set(tag, { count: histogram.totalCount, errors: null, rate: null, stored: {}, histogram });
  return { file, format: 'hlog', probes };
}

/** JSON when the text starts with `{`, else an .hlog. */
export function parseRun(text: string, file: string): RunData {
  return text.trimStart().startsWith('{') ? parseBenchResult(text, file) : parseHlogRun(text, file);
}

export async function loadRun(file: string): Promise<RunData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw fileError(`cannot read ${file} (${code})`, code === 'ENOENT' ? 'check the path' : 'check its permissions', error);
  }
  return parseRun(text, file);
}
