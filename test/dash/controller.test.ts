/**
 * The dashboard controller (runDash) end to end without a terminal: a drawing surface that
 * records frames stands in for blessed (the terminal itself is tested in dash-tmux.test.ts).
 * Sources push faster than the screen may redraw; frames come from the drained buffer at most
 * every 100 ms; keys drive the owner lookup and quit; the summary adds up what was fed.
 */
import { EventEmitter } from 'node:events';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { ActiveFault, IntervalRecord, MembershipFeed } from '../../dashboards/feeds.js';
import type { Key } from '../../dashboards/keys.js';
import { runDash } from '../../dashboards/run-dash.js';
import type { DashScreen, Frame } from '../../dashboards/screen.js';
import { type Member, staticMember } from '../../src/cluster/member.js';
import { createSnapshot } from '../../src/cluster/snapshot.js';
import { clusterRing } from '../../src/cluster/cluster-ring.js';
import { waitFor } from '../support/wait.js';

function recordingScreen(width: number, height: number) {
  const frames: { atMs: number; atEpochMs: number; frame: Frame }[] = [];
  let keyListener: ((key: Key) => void) | undefined;
  let destroyed = 0;
  const screen: DashScreen = {
    size: () => ({ width, height }),
    draw: (frame) => void frames.push({ atMs: performance.now(), atEpochMs: Date.now(), frame }),
    onKey: (listener) => void (keyListener = listener),
    onResize: () => undefined,
    destroy: () => void destroyed++,
  };
  return { screen, frames, press: (key: Key) => keyListener?.(key), destroyed: () => destroyed, last: () => frames.at(-1)?.frame, lastAtEpochMs: () => frames.at(-1)?.atEpochMs };
}

describe('runDash', () => {
  it('draws drained batches at most 10 times a second, looks up owners, and sums up the run', async () => {
    let members: Member[] = Array.from({ length: 50 }, (_, i) => staticMember(`node-${i}`, { host: '10.0.0.1', port: 7000 + i }));
    const listeners = new Set<(m: Member[]) => void>();
    const membership: MembershipFeed = { members: () => members, onChange: (l) => (listeners.add(l), () => listeners.delete(l)) };
    const latency = new EventEmitter();
    let stopped = 0;
    const fault: ActiveFault = { id: 'f-1', kind: 'loss', targets: ['10.0.0.1'], summary: '30% loss', appliedAtMs: Date.now(), expiresAtMs: Date.now() + 60_000 };
    let polls = 0;
    const ui = recordingScreen(100, 30);
    const started = performance.now();
    const run = runDash({
      membership,
      source: 'test',
      ring: { algorithm: 'ringpop' },
      replicas: 1,
      latency: { feed: latency, stop: () => void stopped++ },
      latencyNote: '',
      faults: async () => (polls++, [fault]),
      faultsNote: '',
      screen: ui.screen,
    });

    // 300 membership changes pushed as fast as possible: each member of the first 30 goes suspect, failed, alive.
    let changes = 0;
    for (const status of ['suspect', 'failed', 'alive'] as const) {
      for (let i = 0; i < 30; i++) {
        members = members.map((m, j) => (j === i ? { ...m, status, nativeStatus: status } : m));
        for (const l of listeners) l(members);
        changes++;
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    // Three real interval records.
    const merged = hdr.build();
    let requests = 0;
    for (let k = 0; k < 3; k++) {
      const histogram = hdr.build();
      for (let v = 1; v <= 1000; v++) histogram.recordValue(v * (k + 1));
      merged.add(histogram);
      requests += 1000;
      const record: IntervalRecord = { probe: 'warm', startMs: k * 1000, endMs: (k + 1) * 1000, count: 1000, errors: k, histogram };
      latency.emit('interval', record);
    }

    await waitFor(() => ui.last()?.panes.events.rows.some((r) => r.text.includes('alive   node-29')) && ui.last()?.panes.faults.title === 'faults: 1 active' && ui.last()?.panes.latency.rows[0]?.text.startsWith('warm: p50'), { what: 'a frame with the last event, the fault and the latency' });
    const frame = ui.last()!;
    const drawnAtMs = ui.lastAtEpochMs()!;
    // Kind, id, time left: the whole seconds left when the frame was built, which was after the
    // fault was made (60 s left) and before it was drawn (however late a loaded machine drew it).
    const shown = frame.panes.faults.rows[0]?.text.match(/^loss f-1 +(?:(\d+)m)?(\d+)s left$/);
    expect(shown, frame.panes.faults.rows[0]?.text).not.toBeNull();
    const secondsShown = Number(shown![1] ?? 0) * 60 + Number(shown![2]);
    expect(secondsShown).toBeLessThanOrEqual(60);
    expect(secondsShown).toBeGreaterThanOrEqual(Math.ceil((fault.expiresAtMs! - drawnAtMs) / 1000));
    expect(frame.panes.members.title).toBe('members 50: 50 alive');
    expect(frame.panes.ring.title).toBe('ring ringpop: 50 nodes');

    ui.press({ name: 'o', ch: 'o' });
    for (const ch of 'user:42') ui.press({ name: ch, ch });
    ui.press({ name: 'enter' });
    const { ring } = clusterRing(createSnapshot({ protocol: 'static', mode: 'offline', seeds: [], observedAt: '', source: '' }, members), { algorithm: 'ringpop' });
    const owner = ring.owner('user:42');
    await waitFor(() => ui.last()?.status.text === `owner of user:42: ${owner} (10.0.0.1:${7000 + Number(owner.split('-')[1])})`, { what: 'the owner answer' });

    ui.press({ name: 'q', ch: 'q' });
    const summary = await run;
    const elapsedMs = performance.now() - started;
    expect(ui.destroyed()).toBe(1);
    expect(stopped).toBe(1);
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(summary.events).toEqual({ joined: 0, alive: 30, suspect: 30, failed: 30, left: 0, updated: 0 });
    expect(changes).toBe(90);
    expect(summary.latency.warm).toEqual({
      intervals: 3,
      count: requests,
      errors: 3,
      p50: merged.getValueAtPercentile(50) / 1000,
      p99: merged.getValueAtPercentile(99) / 1000,
      p999: merged.getValueAtPercentile(99.9) / 1000,
      max: merged.maxValue / 1000,
    });
    expect(summary.faults).toEqual({ seen: 1, activeAtExit: 1 });
    // At most one frame per 100 ms tick (plus the first one), however fast the sources pushed.
    expect(ui.frames.length).toBeLessThanOrEqual(Math.floor(elapsedMs / 100) + 2);
    // 90 changes and 3 intervals arrived within the first frames: drained in batches, not one frame each.
    expect(ui.frames.length).toBeLessThan(changes);
  });
});
