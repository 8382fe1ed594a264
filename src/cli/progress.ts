/**
 * The one live line that long commands (bench, chaos run, diagnose) show on a terminal while they
 * work, as k6 and autocannon do. Pure formatters turn what the libraries report (bench interval
 * records, scenario phases, diagnose polls) into that line, with the time passed in; a small
 * writer draws it on stderr in place (\r, then clear to the end of the line) a few times a second,
 * and only on a terminal: never with --json or --quiet, never into a file or a pipe.
 */
import { Flags } from '@oclif/core';
import type { Histogram } from 'hdr-histogram-js';
import type { ScenarioProgress } from '../../chaos/scenario/run.js';
import type { DiagnoseProgress } from '../cluster/diagnose/run.js';
import { createHistogram, percentilesOf } from '../probes/histogram.js';
import type { BenchRun } from '../probes/run.js';
import type { IntervalRecord } from '../probes/types.js';
import { formatDurationMs } from '../units.js';

/** `--quiet` of the commands that draw the line. */
export const quietFlag = Flags.boolean({ description: 'no live progress line on stderr (it is drawn only when stderr is a terminal, never with --json)' });

/** A latency in a few characters: `0.42ms`, `12.3ms`, `123ms`, `1.23s`. */
export function shortMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  return ms >= 100 ? `${Math.round(ms)}ms` : ms >= 10 ? `${ms.toFixed(1)}ms` : `${ms.toFixed(2)}ms`;
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

export interface BenchProgress {
  /** False until the workers are ready and the run has started. */
  started: boolean;
  elapsedMs: number;
  durationMs: number;
  sent: number;
  answered: number;
  errors: number;
  /** Answered requests per second so far, or null before the first interval. */
  ratePerSec: number | null;
  /** Running percentiles per probe (milliseconds), probes with at least one answer. */
  latency: Array<{ probe: string; p50: number; p99: number }>;
}

/** `bench 12s/1m00s: sent 6,000, answered 5,998, 500 req/s, 2 errors, p50 1.21ms, p99 3.40ms` */
export function formatBenchProgress(p: BenchProgress): string {
  if (!p.started) return 'bench: starting';
  const parts = [`sent ${count(p.sent)}`, `answered ${count(p.answered)}`, `${p.ratePerSec === null ? '-' : count(Math.round(p.ratePerSec))} req/s`, plural(p.errors, 'error')];
  if (p.latency.length === 1) parts.push(`p50 ${shortMs(p.latency[0]!.p50)}`, `p99 ${shortMs(p.latency[0]!.p99)}`);
  else for (const l of p.latency) parts.push(`${l.probe} p50 ${shortMs(l.p50)} p99 ${shortMs(l.p99)}`);
  const elapsed = Math.min(Math.max(0, p.elapsedMs), p.durationMs);
  return `bench ${formatDurationMs(elapsed)}/${formatDurationMs(Math.ceil(p.durationMs / 1000) * 1000)}: ${parts.join(', ')}`;
}

const pick = ({ p50, p99 }: { p50: number; p99: number }): { p50: number; p99: number } => ({ p50, p99 });

/** Sums bench interval records into the running figures of the progress line. */
export class BenchTally {
  private startedAt: number | undefined;
  private sent = 0;
  private answered = 0;
  private errors = 0;
  private fromMs = Number.POSITIVE_INFINITY;
  private toMs = Number.NEGATIVE_INFINITY;
  private readonly histograms = new Map<string, Histogram>();

  constructor(private readonly durationMs: number) {}

  /** The run's start (epoch ms), from its 'start' event. */
  start(atMs: number): void {
    this.startedAt = atMs;
  }

  /** One probe's interval, from the run's 'interval' event. */
  add(record: IntervalRecord): void {
    this.sent += record.sent ?? record.count + record.errors;
    this.answered += record.count;
    this.errors += record.errors;
    this.fromMs = Math.min(this.fromMs, record.startMs);
    this.toMs = Math.max(this.toMs, record.endMs);
    let histogram = this.histograms.get(record.probe);
    if (!histogram) this.histograms.set(record.probe, (histogram = createHistogram()));
    histogram.add(record.histogram);
  }

  progress(nowMs: number): BenchProgress {
    const coveredMs = this.toMs - this.fromMs;
    return {
      started: this.startedAt !== undefined,
      elapsedMs: this.startedAt === undefined ? 0 : nowMs - this.startedAt,
      durationMs: this.durationMs,
      sent: this.sent,
      answered: this.answered,
      errors: this.errors,
      ratePerSec: coveredMs > 0 ? (this.answered * 1000) / coveredMs : null,
      latency: [...this.histograms].filter(([, h]) => h.totalCount > 0).map(([probe, h]) => ({ probe, ...pick(percentilesOf(h)) })),
    };
  }
}

/** Feeds a BenchTally from a run's events; returns the line as of now, for startProgressLine. */
export function benchLine(run: Pick<BenchRun, 'on'>, durationMs: number, now: () => number = Date.now): () => string {
  const tally = new BenchTally(durationMs);
  run.on('start', ({ startedAt }) => tally.start(startedAt.getTime()));
  run.on('interval', (record) => tally.add(record));
  return () => formatBenchProgress(tally.progress(now()));
}

function faultLabel(f: ScenarioProgress['faults'][number]): string {
  return f.description !== undefined ? `${f.kind} ${f.description}` : `${f.kind} on ${f.on.join(',')}`;
}

/** `chaos halves: phase 2/3 partition, 45s left, faults: partition n1,n2 | n3,n4,n5` */
export function formatScenarioProgress(scenario: string, p: ScenarioProgress | undefined, nowMs: number): string {
  if (p === undefined) return `chaos ${scenario}: starting`;
  const head = `chaos ${scenario}: phase ${p.index}/${p.phases} ${p.phase}`;
  const faults = p.faults.map(faultLabel).join('; ');
  if (p.stage === 'reverting') return `${head}, reverting ${faults}`;
  if (p.stage === 'applying') return `${head}, applying faults${faults === '' ? '' : `, in force: ${faults}`}`;
  const left = formatDurationMs(Math.ceil(Math.max(0, p.startedAt + p.durationMs - nowMs) / 1000) * 1000);
  return `${head}, ${p.untilAgreement ? `at most ${left} left (ends when the views agree)` : `${left} left`}, ${faults === '' ? 'no faults' : `faults: ${faults}`}`;
}

/** The latest phase runScenario reported (`onProgress`) and the line as of now (`line`). */
export function scenarioLine(scenario: string, now: () => number = Date.now): { onProgress: (p: ScenarioProgress) => void; line: () => string } {
  let latest: ScenarioProgress | undefined;
  return { onProgress: (p) => void (latest = p), line: () => formatScenarioProgress(scenario, latest, now()) };
}

/** `diagnose 12s/30s: 36 polls of 3 views, 1 finding so far (partition)` */
export function formatDiagnoseProgress(p: DiagnoseProgress): string {
  const elapsed = Math.min(Math.max(0, p.elapsedMs), p.durationMs);
  const kinds = [...new Set(p.findings.map((f) => f.kind))];
  const findings = p.findings.length === 0 ? 'no findings so far' : `${plural(p.findings.length, 'finding')} so far (${kinds.join(', ')})`;
  return `diagnose ${formatDurationMs(elapsed)}/${formatDurationMs(Math.ceil(p.durationMs / 1000) * 1000)}: ${plural(p.polls, 'poll')}${p.views > 0 ? ` of ${plural(p.views, 'view')}` : ''}, ${findings}`;
}

/** The latest runDiagnosis report (`onProgress`, once a second) and the line as of now, its clock running in between. */
export function diagnoseLine(durationMs: number, now: () => number = Date.now): { onProgress: (p: DiagnoseProgress) => void; line: () => string } {
  let latest: DiagnoseProgress = { elapsedMs: 0, durationMs, polls: 0, views: 0, findings: [] };
  let receivedAt: number | undefined;
  return {
    onProgress: (p) => {
      latest = p;
      receivedAt = now();
    },
    line: () => formatDiagnoseProgress({ ...latest, elapsedMs: latest.elapsedMs + (receivedAt === undefined ? 0 : now() - receivedAt) }),
  };
}

/** What the progress line is drawn on: process.stderr, or a fake in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressLine {
  /** Whether the line is being drawn (a terminal, no --json, no --quiet, not closed). */
  readonly active: boolean;
  /** Prints whole lines (log lines) above the progress line, which is drawn again after them. */
  print(text: string): void;
  /** Clears the line and stops drawing it; again is harmless. */
  close(): void;
}

export interface ProgressLineOptions {
  json?: boolean;
  quiet?: boolean;
  stream?: ProgressStream;
  /** How often `render` is asked for the line (default 250 ms): at most this many redraws. */
  intervalMs?: number;
}

/** Clears the line the cursor is on: carriage return, then erase to the end of the line. */
export const CLEAR_LINE = '\r\x1b[K';

/** Cuts `text` so it fits in `columns - 1` cells: a line that wraps could not be redrawn in place. */
export function fitLine(text: string, columns: number | undefined): string {
  const width = Math.max(10, (columns ?? 80) - 1);
  return text.length <= width ? text : `${text.slice(0, width - 3)}...`;
}

/**
 * Draws `render()` as one line on the stream (stderr by default), redrawn every `intervalMs`
 * when it changed, until close(). On anything but a terminal, or with json or quiet, it draws
 * nothing and print() writes straight through. The line is also cleared at exit and on
 * SIGINT/SIGTERM; a signal nobody else handles then takes its default course.
 */
export function startProgressLine(render: () => string, o: ProgressLineOptions = {}): ProgressLine {
  const stream = o.stream ?? process.stderr;
  if (stream.isTTY !== true || o.json === true || o.quiet === true) return { active: false, print: (text) => void stream.write(text), close: () => undefined };
  let shown = '';
  let closed = false;
  const draw = (): void => {
    const text = fitLine(render(), stream.columns);
    if (text === shown) return;
    stream.write(`\r${text}\x1b[K`);
    shown = text;
  };
  const erase = (): void => {
    if (shown !== '') stream.write(CLEAR_LINE);
    shown = '';
  };
  const timer = setInterval(draw, o.intervalMs ?? 250);
  timer.unref();
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    erase();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal).off('exit', close);
  };
  function onSignal(signal: NodeJS.Signals): void {
    close();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  }
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('exit', close);
  draw();
  return {
    get active() {
      return !closed;
    },
    print(text) {
      if (closed) return void stream.write(text);
      erase();
      stream.write(text);
      draw();
    },
    close,
  };
}
