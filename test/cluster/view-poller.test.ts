// The view poller's schedule: every target at least every interval, each on its own, so a member
// that never answers holds up only itself; targets are re-read every round.
import { describe, expect, it } from 'vitest';
import type { MemberView, ViewTarget } from '../../src/cluster/observer.js';
import { ViewPoller } from '../../src/cluster/view-poller.js';
import { waitFor } from '../support/wait.js';
import { view } from './view-fixtures.js';

describe('ViewPoller', () => {
  it('keeps polling the members that answer while one hangs, and picks up new targets', async () => {
    let targets: ViewTarget[] = [
      { name: 'a', addr: 'a:1', seed: true },
      { name: 'b', addr: 'b:1', seed: false },
    ];
    const asked: string[] = [];
    let releaseB: (() => void) | undefined;
    const observer = {
      viewTargets: () => targets,
      askView: (t: ViewTarget): Promise<MemberView> => {
        asked.push(t.name);
        if (t.name === 'b') return new Promise((resolve) => (releaseB = () => resolve(view('b', Date.now(), { b: 'alive' }))));
        return Promise.resolve(view(t.name, Date.now(), { [t.name]: 'alive' }));
      },
    };
    const seen: string[] = [];
    const poller = new ViewPoller(observer, { intervalMs: 100, onView: (v) => seen.push(v.observer) });
    poller.start();
    try {
      await waitFor(() => seen.filter((o) => o === 'a').length >= 3, { timeoutMs: 10_000, what: 'a polled three times' });
      expect(asked.filter((n) => n === 'b')).toEqual(['b']);
      targets = [...targets, { name: 'c', addr: 'c:1', seed: false }];
      await waitFor(() => seen.includes('c'), { timeoutMs: 10_000, what: 'the new target polled' });
      releaseB?.();
      await waitFor(() => seen.includes('b'), { timeoutMs: 10_000, what: "b's late answer" });
    } finally {
      poller.stop();
    }
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(count);
    expect(poller.polls).toBe(count);
  });
});
