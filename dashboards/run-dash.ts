/**
 * The dashboard's controller: sources push into the buffer as they report; a render tick (at
 * most every `renderIntervalMs`, 100 ms = 10 frames a second) drains it, updates the state and
 * draws a frame only when something changed. Keys go through the pure reducer. Quitting (q,
 * Ctrl-C, SIGINT, SIGTERM) stops every timer, tears the screen down, and returns the summary.
 */
import * as hdr from 'hdr-histogram-js';
import { diffMembers } from '../src/cluster/events.js';
import type { Member } from '../src/cluster/member.js';
import { createSnapshot } from '../src/cluster/snapshot.js';
import { type MemberView, targetKey, type ViewTarget } from '../src/cluster/observer.js';
import { ViewPoller } from '../src/cluster/view-poller.js';
import { compareViews } from '../src/cluster/views.js';
import { RingsideError } from '../src/errors.js';
import { type ClusterRingOptions, clusterRing } from '../src/cluster/cluster-ring.js';
import { lookupOwners } from '../src/ring/lookup.js';
import { describeRing } from '../src/ring/report.js';
import { InputBuffer } from './buffer.js';
import type { FaultsFeed, LatencySource, MembershipFeed } from './feeds.js';
import { type PaneId, reduceKey } from './keys.js';
import { createDashScreen, type DashScreen, type Frame } from './screen.js';
import { applyDrained, createDashState, type DashState } from './state.js';
import { eventsView } from './view-models/events.js';
import { faultsView } from './view-models/faults.js';
import { inner, layoutFor } from './view-models/layout.js';
import { latencyView, percentileUs, summarizeInterval } from './view-models/latency.js';
import { membersView } from './view-models/members.js';
import { ringView } from './view-models/ring.js';
import { HELP_LINES, statusLine } from './view-models/status.js';
import { type DashSummary, type RunPercentilesUs, summarize } from './view-models/summary.js';
import type { Row } from './view-models/text.js';

export interface DashOptions {
  membership: MembershipFeed;
  source: string;
  ring: ClusterRingOptions;
  replicas: number;
  allViews?: boolean;
  viewsIntervalMs?: number;
  latency?: LatencySource | undefined;
  /** Shown in the latency pane when no probe runs. */
  latencyNote: string;
  faults?: FaultsFeed | undefined;
  faultsNote: string;
  faultsIntervalMs?: number;
  renderIntervalMs?: number;
  /** Recompute ring ownership at most this often when membership changes. */
  ringIntervalMs?: number;
  /** For tests and benchmarks: the screen to draw on (default: blessed on this terminal). */
  screen?: DashScreen;
}

/** The ring answer (same library calls as `ringside ring` and `ringside owner`). */
function ringOf(members: Member[], options: ClusterRingOptions) {
  return clusterRing(createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: new Date().toISOString(), source: 'dash' }, members), options);
}

export function ownerAnswer(members: Member[], options: ClusterRingOptions, replicas: number, key: string): Row {
  try {
    const { ring, addrs } = ringOf(members, options);
    const [record] = lookupOwners(ring, [key], Math.min(replicas, ring.nodes.length), addrs);
    const owners = record!.owners.map((o, i) => (record!.addrs[i] && record!.addrs[i] !== o ? `${o} (${record!.addrs[i]})` : o));
    return { text: `owner of ${key}: ${owners.join(', ')}`, tone: 'accent' };
  } catch (error) {
    return { text: `owner of ${key}: ${error instanceof RingsideError ? error.line : String(error)}`, tone: 'bad' };
  }
}

function ringMembershipKey(members: readonly Member[]): string {
  return JSON.stringify(members.filter((m) => m.status === 'alive' || m.status === 'suspect').map((m) => [m.name, m.addr, m.tags]));
}

export function frameOf(state: DashState, options: { width: number; height: number; source: string; latencyNote: string; faultsNote: string; nowMs: number; pendingEvents: number }): { frame: Frame; limits: Record<PaneId, number> } {
  const layout = layoutFor(options.width, options.height);
  const { ui } = state;
  const size = (id: PaneId) => inner(layout.panes[id]);
  const panes = {
    members: membersView({ members: state.members, filter: ui.filter, scroll: ui.scroll.members, ...size('members'), ...(state.views !== undefined ? { views: state.views } : {}) }),
    ring: ringView({ report: state.ring.report, error: state.ring.error, scroll: ui.scroll.ring, ...size('ring') }),
    latency: latencyView({ history: state.latency, note: options.latencyNote, ...size('latency') }),
    faults: faultsView({ faults: state.faults, note: state.faultsError ?? (state.faults === null ? options.faultsNote : null), nowMs: options.nowMs, scroll: ui.scroll.faults, ...size('faults') }),
    events: eventsView({ entries: state.log, scroll: ui.scroll.events, ...size('events') }),
  };
  const limits: Record<PaneId, number> = {
    members: Math.max(0, state.members.length - 1),
    ring: Math.max(0, (state.ring.report?.nodes.length ?? 0) - 1),
    latency: 0,
    faults: Math.max(0, (state.faults?.length ?? 0) - 1),
    events: Math.max(0, state.log.length - size('events').height),
  };
  const status = statusLine({ ui, source: options.source, nowMs: options.nowMs, pendingEvents: options.pendingEvents, width: options.width });
  return { frame: { layout, panes, focus: ui.focus, status, help: ui.help ? HELP_LINES : null }, limits };
}

export async function runDash(options: DashOptions): Promise<DashSummary> {
  const renderIntervalMs = Math.max(100, options.renderIntervalMs ?? 100);
  const buffer = new InputBuffer();
  let current = options.membership.members();
  const state = createDashState({ nowMs: Date.now(), members: current, allViews: options.allViews === true });
  const runHistograms = new Map<string, hdr.Histogram>();
  const cleanups: (() => void)[] = [];

  cleanups.push(
    options.membership.onChange((members) => {
      buffer.pushMembers(members, diffMembers(current, members, new Date().toISOString()));
      current = members;
    }),
  );
  if (options.latency) {
    // Summarised and merged as it arrives: the probe owns the histogram once this returns.
    options.latency.feed.on('interval', (record) => {
      try {
        buffer.pushInterval(summarizeInterval(record));
        let run = runHistograms.get(record.probe);
        if (!run) runHistograms.set(record.probe, (run = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 })));
        run.add(record.histogram);
      } catch {
        // A malformed record must not throw into the probe; the pane shows what it has.
      }
    });
    cleanups.push(() => options.latency?.stop());
  }
  const faults = options.faults;
  if (faults) {
    let polling = false;
    const poll = (): void => {
      if (polling) return;
      polling = true;
      faults()
        .then((list) => buffer.pushFaults(list))
        .catch((error: unknown) => buffer.pushFaultsError(`cannot read the chaos journal: ${error instanceof RingsideError ? error.line : (error as Error).message}`))
        .finally(() => (polling = false));
    };
    poll();
    const timer = setInterval(poll, options.faultsIntervalMs ?? 1000);
    cleanups.push(() => clearInterval(timer));
  }
  const feed = options.membership;
  if (options.allViews && feed.viewTargets && feed.askView) {
    // Every member's own view, each on its own schedule; the comparison is pushed as answers
    // arrive, once every member has been asked (at most four times a second).
    const targets = (): ViewTarget[] => feed.viewTargets?.() ?? [];
    const latest = new Map<string, MemberView>();
    let queued: NodeJS.Timeout | undefined;
    const push = (): void => {
      queued = undefined;
      const current = targets().map(targetKey);
      if (!current.every((k) => latest.has(k))) return;
      buffer.pushViews(compareViews(current.map((k) => latest.get(k) as MemberView)));
    };
    const poller = new ViewPoller(
      { viewTargets: targets, askView: (t) => (feed.askView as (t: ViewTarget) => Promise<MemberView>)(t) },
      {
        intervalMs: options.viewsIntervalMs ?? 5000,
        onView: (view) => {
          latest.set(targetKey(view), view);
          queued ??= setTimeout(push, 250);
        },
      },
    );
    poller.start();
    cleanups.push(() => {
      poller.stop();
      if (queued) clearTimeout(queued);
    });
  }

  let ringKey = '';
  let ringAtMs = 0;
  let ringStale = true;
  const updateRing = (nowMs: number): void => {
    if (!ringStale || nowMs - ringAtMs < (options.ringIntervalMs ?? 1000)) return;
    ringStale = false;
    ringAtMs = nowMs;
    // Status flaps between alive and suspect do not change the ring: only rebuild when its members do.
    const key = ringMembershipKey(state.members);
    if (key === ringKey) return;
    ringKey = key;
    try {
      const { ring, addrs, excluded } = ringOf(state.members, options.ring);
      state.ring = { report: describeRing(ring, { replicas: Math.min(options.replicas, ring.nodes.length), addrs, excluded }), error: null };
    } catch (error) {
      state.ring = { report: null, error: error instanceof RingsideError ? error.line : String(error) };
    }
  };

  const screen = options.screen ?? createDashScreen();
  const destroyOnExit = (): void => screen.destroy();
  process.once('exit', destroyOnExit);
  let limits: Partial<Record<PaneId, number>> = {};
  let dirty = true;
  let lastSecond = -1;

  return new Promise<DashSummary>((resolve, reject) => {
    let finished = false;
    const draw = (nowMs: number): void => {
      const size = screen.size();
      const built = frameOf(state, { ...size, source: options.source, latencyNote: options.latencyNote, faultsNote: options.faultsNote, nowMs, pendingEvents: buffer.pendingEvents });
      limits = built.limits;
      screen.draw(built.frame);
    };
    const tick = (): void => {
      try {
        const nowMs = Date.now();
        if (!state.ui.paused && (buffer.pending || buffer.pendingEvents > 0)) {
          if (applyDrained(state, buffer.drain(), nowMs).membersChanged) ringStale = true;
          dirty = true;
        }
        if (!state.ui.paused) updateRing(nowMs);
        const second = Math.floor(nowMs / 1000);
        if (second !== lastSecond) dirty = true; // the clock and fault countdowns
        if (!dirty) return;
        lastSecond = second;
        dirty = false;
        draw(nowMs);
      } catch (error) {
        finish(error);
      }
    };
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      clearInterval(renderTimer);
      for (const cleanup of cleanups) cleanup();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('exit', destroyOnExit);
      screen.destroy();
      if (error !== undefined) reject(error);
      else {
        const percentiles = new Map<string, RunPercentilesUs | null>();
        for (const [probe, h] of runHistograms) percentiles.set(probe, h.totalCount > 0 ? { p50Us: percentileUs(h, 50), p99Us: percentileUs(h, 99), p999Us: percentileUs(h, 99.9), maxUs: h.maxValue } : null);
        resolve(summarize(state, { source: options.source, nowMs: Date.now(), percentiles }));
      }
    };
    const onSignal = (): void => finish();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    screen.onKey((key) => {
      const { ui, action } = reduceKey(state.ui, key, limits);
      state.ui = ui;
      dirty = true;
      if (action?.type === 'quit') return finish();
      if (action?.type === 'owner') state.ui = { ...state.ui, message: ownerAnswer(state.members, options.ring, options.replicas, action.key) };
    });
    // Keys and resizes only mark the frame dirty: the tick draws it (at most 10 frames a second).
    screen.onResize(() => (dirty = true));
    const renderTimer = setInterval(tick, renderIntervalMs);
    tick();
  });
}
