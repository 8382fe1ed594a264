/**
 * Runs a scenario: phase after phase, apply that phase's faults (journaled, with dead-man timers),
 * hold for the phase's duration, revert; meanwhile the cluster observer (the same membership
 * event stream as `watch`) records events, and probes measure latency when a runner is given.
 * SIGINT/SIGTERM stop the run after reverting. The report has per-phase metrics and the
 * expectations' verdicts.
 */
import { diffMembers } from '../../src/cluster/events.js';
import type { Member } from '../../src/cluster/member.js';
import { agreementOf } from '../../src/cluster/agreement.js';
import { type ClusterObserver, type MemberView, targetKey } from '../../src/cluster/observer.js';
import { ViewPoller } from '../../src/cluster/view-poller.js';
import { type MemberFlaps, ViewTimeline } from '../../src/cluster/view-timeline.js';
import { usageError } from '../../src/errors.js';
import { type Applied, applyFault } from '../apply.js';
import { parseExecutor } from '../executors/parse.js';
import { describeStep } from '../executors/steps.js';
import { readJournal } from '../journal.js';
import { revertRecord } from '../revert.js';
import { checkExpectation, type ExpectationResult } from './expect.js';
import { planScenarioFault, type ScenarioHost } from './faults.js';
import { type MemberMetrics, phaseMetrics, type TimedEvent } from './metrics.js';
import type { Scenario } from './parse.js';
import type { PhaseWindow, ProbeOutcome, ProbePhaseResult, ProbeRun, ProbeRunner } from './probes.js';

export interface RunScenarioOptions {
  scenario: Scenario;
  hosts: ScenarioHost[];
  sshOptions?: string[];
  /** A started observer, or none (then only faults run, no metrics). */
  observer?: ClusterObserver;
  probes?: ProbeRunner;
  journalDir?: string;
  hostJournalDir?: string;
  /** Hosts a fault works on at once (default 32). */
  parallel?: number;
  graceMs?: number;
  dryRun?: boolean;
  /** How often every member's own view is polled, throughout the run (default 1 s). */
  viewIntervalMs?: number;
  log?: (line: string) => void;
  /** Called as each phase starts, once its faults are in force and as they are reverted (live displays). */
  onProgress?: (progress: ScenarioProgress) => void;
}

/** Where a running scenario is: which phase, since when, for how long at most, and the faults in force. */
export interface ScenarioProgress {
  phase: string;
  /** 1-based position of the phase among `phases`. */
  index: number;
  phases: number;
  /** When the phase began (epoch ms) and how long it holds at most. */
  startedAt: number;
  durationMs: number;
  /** The phase ends early once every view agrees. */
  untilAgreement: boolean;
  stage: 'applying' | 'holding' | 'reverting';
  /** The faults applied so far in this phase: kind, the hosts their rules are on, a partition's sides. */
  faults: Array<{ kind: string; on: string[]; description?: string }>;
}

export interface PhaseReport {
  name: string;
  startMs: number;
  durationMs: number;
  faults: Array<{ id: string; summary: string; on: string[]; commands?: Record<string, string[]> }>;
  faulted: MemberMetrics[];
  maxFirstSuspectMs: number | null;
  maxFailedMs: number | null;
  falseSuspicions: number;
  falseSuspects: string[];
  flaps: number;
  flapsByMember: Record<string, number>;
  /** Per member with a cycle or an incarnation rise: flaps, failedCycles, suspectCycles, incarnationDelta, seenBy, byView. */
  memberFlaps: MemberFlaps[];
  /** Polls of members' own views that ended in this phase, and the interval they were asked at. */
  viewPolls: number;
  viewIntervalMs: number | null;
  /** From the phase start until every member that has not left answered and every view listed the same members, all alive (phases after a fault), else null. */
  agreementMs: number | null;
  /** Members still not agreed on when a phase that waited for agreement ended without it. */
  disagreeing: string[];
  /** Latency probes measured during this phase, per probe key (with a probe section). */
  probes: ProbePhaseResult | null;
}

export interface ScenarioReport {
  name: string;
  observed: boolean;
  dryRun: boolean;
  interrupted: boolean;
  phases: PhaseReport[];
  /** The probe run over the whole scenario (its configuration and totals), with a probe section. */
  probe: Omit<ProbeOutcome, 'phases'> | null;
  expectations: ExpectationResult[];
  passed: boolean;
}

function resolveHosts(scenario: Scenario, hosts: ScenarioHost[]): ScenarioHost[] {
  for (const name of scenario.hosts) if (!hosts.some((h) => h.name === name)) throw usageError(`scenario ${scenario.name} needs host ${name}`, `bind it: --host ${name}=ON,ADDR[,MEMBER]`);
  return hosts;
}

const maxOf = (values: Array<number | null>): number | null => (values.length > 0 && values.every((v) => v !== null) ? Math.max(...(values as number[])) : null);

export async function runScenario(o: RunScenarioOptions): Promise<ScenarioReport> {
  const hosts = resolveHosts(o.scenario, o.hosts);
  const log = o.log ?? (() => undefined);
  const t0 = performance.now();
  const epoch0 = Date.now();
  const now = (): number => performance.now() - t0;
  const events: TimedEvent[] = [];
  let current: Member[] = o.observer?.members() ?? [];
  const unsubscribe = o.observer?.onChange((members) => {
    const at = now();
    for (const event of diffMembers(current, members, new Date().toISOString())) events.push({ atMs: at, event });
    current = members;
  });
  // Every member's own view, polled throughout the run: flaps per view, and agreement.
  const viewIntervalMs = o.viewIntervalMs ?? 1000;
  const timeline = new ViewTimeline();
  const latestViews = new Map<string, MemberView>();
  let phasePolls = 0;
  const poller =
    o.observer && !o.dryRun
      ? new ViewPoller(o.observer, {
          intervalMs: viewIntervalMs,
          onView: (view) => {
            timeline.add(view);
            latestViews.set(targetKey(view), view);
            phasePolls++;
          },
        })
      : undefined;
  poller?.start();
  /** Agreement from every current target's latest view, each taken after `sinceEpoch`. */
  const agreementSince = (sinceEpoch: number): { agree: boolean; at: number; disagreeing: string[] } => {
    const targets = o.observer?.viewTargets() ?? [];
    const fresh = targets.map((t) => latestViews.get(targetKey(t))).filter((v): v is MemberView => v !== undefined && v.at >= sinceEpoch);
    const stale = targets.filter((t) => !fresh.some((v) => targetKey(v) === targetKey(t))).map((t) => t.name);
    const a = agreementOf(fresh);
    return { agree: stale.length === 0 && a.agree, at: Math.max(0, ...fresh.map((v) => v.at)), disagreeing: [...new Set([...stale, ...a.disagreeing])].sort() };
  };
  let interrupted = false;
  let wake: (() => void) | undefined;
  const onSignal = (): void => {
    interrupted = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const executors = new Map(hosts.map((h) => [h.name, parseExecutor(h.on, { sshOptions: o.sshOptions ?? [] })]));
  const memberOf = (name: string): string => hosts.find((h) => h.name === name)?.member ?? name;
  const phases: PhaseReport[] = [];
  const spans: Array<{ startMs: number; endMs: number; faulted: string[] }> = [];
  const windows: PhaseWindow[] = [];
  let faultedBefore = false;
  // One probe run spans the scenario; its records are assigned to the phases when it stops.
  const maxDurationMs = o.scenario.phases.reduce((sum, p) => sum + p.durationMs, 0) + 600_000;
  let probe: ProbeRun | undefined;
  let outcome: ProbeOutcome | undefined;
  try {
    if (o.probes && o.scenario.probe !== undefined && !o.dryRun) probe = await o.probes.start(o.scenario.probe, { maxDurationMs });
    for (const [index, phase] of o.scenario.phases.entries()) {
      if (interrupted) break;
      const startMs = now();
      log(`phase ${phase.name}: ${phase.faults.length} fault(s), up to ${phase.durationMs} ms`);
      const planned = phase.faults.map((f) => planScenarioFault(f, hosts));
      const applied: Applied[] = [];
      const progress = (stage: ScenarioProgress['stage']): void =>
        o.onProgress?.({
          phase: phase.name,
          index: index + 1,
          phases: o.scenario.phases.length,
          startedAt: epoch0 + startMs,
          durationMs: phase.durationMs,
          untilAgreement: phase.untilAgreement,
          stage,
          faults: planned.slice(0, applied.length).map(({ spec, on }) => ({ kind: spec.kind, on, ...(spec.kind === 'partition' ? { description: spec.description } : {}) })),
        });
      progress(planned.length > 0 ? 'applying' : 'holding');
      let agreementMs: number | null = null;
      let disagreeing: string[] = [];
      phasePolls = 0;
      try {
        for (const p of planned) {
          applied.push(
            await applyFault({
              spec: p.spec,
              on: p.on.map((n) => executors.get(n) as NonNullable<ReturnType<typeof executors.get>>),
              sshOptions: o.sshOptions ?? [],
              durationMs: phase.durationMs,
              ...(o.graceMs !== undefined ? { graceMs: o.graceMs } : {}),
              ...(o.journalDir !== undefined ? { journalDir: o.journalDir } : {}),
              ...(o.hostJournalDir !== undefined ? { hostJournalDir: o.hostJournalDir } : {}),
              ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
              dryRun: o.dryRun ?? false,
            }),
          );
        }
        if (planned.length > 0) progress('holding');
        if (!o.dryRun) {
          const watchAgreement = o.observer !== undefined && (phase.untilAgreement || (faultedBefore && planned.length === 0));
          const endAt = startMs + phase.durationMs;
          if (watchAgreement) {
            const sinceEpoch = epoch0 + startMs;
            while (now() < endAt && !interrupted) {
              const a = agreementSince(sinceEpoch);
              disagreeing = a.disagreeing;
              if (a.agree) {
                agreementMs = Math.max(0, Math.round(a.at - sinceEpoch));
                disagreeing = [];
                if (phase.untilAgreement) break;
                await sleep(endAt - now());
                break;
              }
              await sleep(Math.min(Math.max(50, viewIntervalMs / 4), endAt - now()));
            }
          } else {
            await sleep(endAt - now());
          }
        }
      } finally {
        if (applied.length > 0) progress('reverting');
        for (const a of applied.filter((x) => !x.dryRun)) {
          const record = readJournal(a.journalDir, a.id);
          if (record) {
            const r = await revertRecord(record, a.journalDir, [...executors.values()]);
            if (r.errors.length > 0) log(`revert of ${a.id} failed: ${r.errors.join('; ')} (run ringside chaos recover)`);
          }
        }
      }
      const endMs = now();
      windows.push({ name: phase.name, startMs: epoch0 + startMs, endMs: epoch0 + endMs });
      const affects = phase.faulted ?? [...new Set(planned.flatMap((p) => p.affects))];
      spans.push({ startMs, endMs, faulted: affects.map(memberOf) });
      phases.push({
        name: phase.name,
        startMs: Math.round(startMs),
        durationMs: Math.round(endMs - startMs),
        faults: applied.map((a) => ({
          id: a.id,
          summary: a.summary,
          on: a.hosts.map((h) => h.on),
          ...(o.dryRun ? { commands: Object.fromEntries(a.hosts.map((h) => [h.on, h.apply.map((s) => describeStep(s, h.wrap))])) } : {}),
        })),
        // Cluster metrics are filled in once the run is over: a cycle that began here may end in a later phase.
        faulted: [],
        maxFirstSuspectMs: null,
        maxFailedMs: null,
        falseSuspicions: 0,
        falseSuspects: [],
        flaps: 0,
        flapsByMember: {},
        memberFlaps: [],
        viewPolls: poller ? phasePolls : 0,
        viewIntervalMs: poller ? viewIntervalMs : null,
        agreementMs,
        disagreeing,
        probes: null,
      });
      faultedBefore = planned.length > 0 || (faultedBefore && agreementMs === null);
    }
    poller?.stop();
    phases.forEach((p, i) => {
      const span = spans[i] as (typeof spans)[number];
      const m = phaseMetrics(events, span.startMs, span.endMs, span.faulted, poller ? { timeline, epochOffset: epoch0 } : undefined);
      Object.assign(p, {
        faulted: m.faulted,
        maxFirstSuspectMs: maxOf(m.faulted.map((f) => f.firstSuspectMs)),
        maxFailedMs: maxOf(m.faulted.map((f) => f.failedMs)),
        falseSuspicions: m.falseSuspicions,
        falseSuspects: m.falseSuspects,
        flaps: m.flaps,
        flapsByMember: m.flapsByMember,
        memberFlaps: m.memberFlaps,
      });
    });
    if (probe) {
      log('stopping the probes');
      outcome = await probe.stop(windows);
      for (const p of phases) p.probes = outcome.phases[p.name] ?? null;
      const silent = Object.entries(outcome.overall).filter(([, f]) => f.count === 0);
      if (silent.length > 0) log(`no response at all to probe ${silent.map(([k, f]) => `${k} (${f.errors} errors)`).join(', ')}: check the probe target (${String(outcome.config.target)})`);
    }
  } finally {
    if (probe && !outcome) await probe.stop(windows).catch(() => undefined);
    poller?.stop();
    unsubscribe?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const expectations = o.dryRun ? [] : o.scenario.expect.map((e) => checkExpectation(e, lookupIn(phases, memberOf)));
  const probeTotals = outcome ? { overall: outcome.overall, config: outcome.config } : null;
  return { name: o.scenario.name, observed: o.observer !== undefined, dryRun: o.dryRun ?? false, interrupted, phases, probe: probeTotals, expectations, passed: !interrupted && expectations.every((e) => e.pass) };
}

/** Probe figures an expectation may name after the probe key. */
export const PROBE_METRICS = ['count', 'errors', 'p50', 'p90', 'p99', 'p999', 'max'];

function lookupIn(phases: PhaseReport[], memberOf: (host: string) => string) {
  return (phaseName: string, metric: string, member: string | undefined): number | null | undefined => {
    const p = phases.find((x) => x.name === phaseName);
    if (!p) return undefined;
    if (member !== undefined) {
      const name = memberOf(member);
      if (metric === 'flaps') return p.flapsByMember[name] ?? 0;
      if (metric === 'failedCycles' || metric === 'suspectCycles' || metric === 'incarnationDelta') return p.memberFlaps.find((f) => f.member === name)?.[metric] ?? 0;
      const f = p.faulted.find((x) => x.member === name);
      if (!f || (metric !== 'firstSuspectMs' && metric !== 'failedMs')) return undefined;
      return f[metric];
    }
    const dot = metric.indexOf('.');
    if (dot > 0) {
      // PROBE.FIGURE, e.g. warm.p99 (ms) or routing-routed.errors
      const figures = p.probes?.[metric.slice(0, dot)] as Record<string, unknown> | undefined;
      const value = figures?.[metric.slice(dot + 1)];
      return figures === undefined || !PROBE_METRICS.includes(metric.slice(dot + 1)) ? undefined : (value as number | null);
    }
    const value = (p as unknown as Record<string, unknown>)[metric];
    return typeof value === 'number' || value === null ? value : undefined;
  };
}
