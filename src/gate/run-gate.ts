/**
 * `gate` as a library call: load both runs, compare, and write the CI artefacts (JUnit XML,
 * Markdown, and the Markdown appended to $GITHUB_STEP_SUMMARY when that is set). The caller
 * decides what a failed gate means (the command exits 1 with RS_CHECK_FAILED).
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { fileError } from '../errors.js';
import { compareRuns, type GateReport } from './compare.js';
import { renderGateMarkdown, renderJunit } from './render.js';
import { loadRun } from './result-file.js';
import { parseStatList, type Stat } from './stats.js';
import { parseFraction, parseThreshold } from './thresholds.js';
import { parseDuration } from '../units.js';

export interface GateOptions {
  baselineFile: string;
  currentFile: string;
  /** Threshold expressions (`first-connection.p99<200ms`). */
  thresholds?: readonly string[];
  /** `10%`; default 10%. `off` disables regression checks. */
  maxRegression?: string;
  /** Default `p50,p90,p99`. */
  percentiles?: string;
  /** Default 100. */
  minCount?: number;
  /** Default `1ms`. */
  slack?: string;
  junitFile?: string;
  markdownFile?: string;
  /** Where GitHub Actions reads a step summary (default: env GITHUB_STEP_SUMMARY). */
  stepSummaryFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface GateResult extends GateReport {
  /** Files written: junit, markdown, step summary. */
  written: string[];
}

export const DEFAULT_PERCENTILES = 'p50,p90,p99';
export const DEFAULT_MAX_REGRESSION = '10%';
export const DEFAULT_MIN_COUNT = 100;
export const DEFAULT_SLACK = '1ms';

async function write(file: string, text: string, append: boolean): Promise<void> {
  try {
    await (append ? appendFile(file, text) : writeFile(file, text));
  } catch (error) {
    throw fileError(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions', error);
  }
}

export async function runGate(options: GateOptions): Promise<GateResult> {
  const thresholds = (options.thresholds ?? []).map(parseThreshold);
  const regression = options.maxRegression ?? DEFAULT_MAX_REGRESSION;
  const maxRegression = regression === 'off' ? null : parseFraction(regression, 'max-regression');
  const percentiles: Stat[] = parseStatList(options.percentiles ?? DEFAULT_PERCENTILES);
  const slackMs = parseDuration(options.slack ?? DEFAULT_SLACK, 'slack');
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const [baseline, current] = await Promise.all([loadRun(options.baselineFile), loadRun(options.currentFile)]);
  const report = compareRuns(baseline, current, { thresholds, maxRegression, percentiles, minCount, slackMs });

  const written: string[] = [];
  if (options.junitFile !== undefined) {
    await write(options.junitFile, renderJunit(report), false);
    written.push(options.junitFile);
  }
  const markdown = renderGateMarkdown(report);
  if (options.markdownFile !== undefined) {
    await write(options.markdownFile, markdown, false);
    written.push(options.markdownFile);
  }
  const summary = options.stepSummaryFile ?? (options.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (summary !== undefined && summary !== '') {
    await write(summary, `${markdown}\n`, true);
    written.push(summary);
  }
  return { ...report, written };
}
