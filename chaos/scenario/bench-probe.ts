/**
 * The ProbeRunner on src/probes (the engine of `ringside bench`): one run of the scenario's probe
 * section spans every phase; its interval records (about one a second, per probe) are kept and,
 * at the end, assigned to the phases by time (probe-phases.ts). With an hlog path, the same
 * records are written as an HdrHistogram interval log tagged `phase=<name>/probe=<probe>`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { MembershipSnapshot } from '../../src/cluster/snapshot.js';
import { fileError, usageError } from '../../src/errors.js';
import { hlogHeader, hlogLine } from '../../src/probes/hlog.js';
import { routingOf } from '../../src/probes/routing-members.js';
import { startBench } from '../../src/probes/run.js';
import type { BenchConfig, BenchResult, IntervalRecord } from '../../src/probes/types.js';
import { decodeHistogram } from '../../src/probes/histogram.js';
import { assignIntervals, figuresOf, phaseIndexOf, phaseTag } from './probe-phases.js';
import type { PhaseWindow, ProbeOutcome, ProbePhaseResult, ProbeRun, ProbeRunner } from './probes.js';
import { parseProbeSection } from './probe-section.js';

export interface BenchProbeOptions {
  /** The cluster, for the routing probe (the run's --join, --members or --snapshot). */
  membership?: () => Promise<MembershipSnapshot>;
  /** Write an HdrHistogram interval log here. */
  hlogPath?: string;
}

export function createBenchProbeRunner(o: BenchProbeOptions = {}): ProbeRunner {
  return {
    async start(raw, { maxDurationMs }) {
      const section = parseProbeSection(raw);
      const config: BenchConfig = { ...section.config, durationMs: maxDurationMs };
      if (config.probes.includes('routing')) {
        if (!o.membership) throw usageError('the scenario probes routing but no cluster is given', 'pass --join, --members or --snapshot');
        config.routing = routingOf(await o.membership(), section.ring, config.target, section.portTag);
      }
      const hlog = o.hlogPath === undefined ? undefined : openLog(o.hlogPath);
      try {
        return await startRun(config, hlog);
      } catch (error) {
        if (hlog !== undefined) closeSync(hlog);
        throw error;
      }
    },
  };
}

function openLog(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw fileError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the directory exists and is writable', error);
  }
}

async function startRun(config: BenchConfig, hlog: number | undefined): Promise<ProbeRun> {
  const run = startBench(config);
  const intervals: IntervalRecord[] = [];
  run.on('interval', (r) => intervals.push(r));
  const startedAt = await new Promise<Date>((resolve, reject) => {
    run.on('start', ({ startedAt: at }) => resolve(at));
    run.done.then(() => reject(new Error('the probe ended before it started')), reject);
  });
  // Requests begin at startedAt (a few ms ahead): wait for it, so the first phase is measured from its start.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt.getTime() - Date.now())));
  let outcome: Promise<ProbeOutcome> | undefined;
  return {
    stop(phases) {
      outcome ??= (async () => {
        run.stop();
        try {
          const result = await run.done;
          if (hlog !== undefined) writeLog(hlog, startedAt.getTime() / 1000, intervals, phases);
          return { phases: assignIntervals(intervals, phases), overall: overallOf(result, intervals), config: result.config };
        } finally {
          if (hlog !== undefined) closeSync(hlog);
        }
      })();
      return outcome;
    },
  };
}

/** The probe library's own totals (summed over workers as the run went), in the same figures as the phases. */
function overallOf(result: BenchResult, intervals: readonly IntervalRecord[]): ProbePhaseResult {
  const out: ProbePhaseResult = {};
  for (const [key, p] of Object.entries(result.probes)) out[key] = figuresOf(decodeHistogram(p.histogram), p.errors, intervals.filter((i) => i.probe === key).length);
  return out;
}

function writeLog(fd: number, baseSec: number, intervals: readonly IntervalRecord[], phases: readonly PhaseWindow[]): void {
  writeSync(fd, hlogHeader({ startTimeSec: baseSec, comment: `ringside chaos run: tags phase=<phase>/probe=<probe>` }));
  for (const r of intervals) {
    const phase = phases[phaseIndexOf(r, phases)]?.name ?? 'none';
    writeSync(fd, hlogLine(baseSec, { tag: phaseTag(phase, r.probe), startSec: r.startMs / 1000, endSec: r.endMs / 1000, histogram: r.histogram }));
  }
}
