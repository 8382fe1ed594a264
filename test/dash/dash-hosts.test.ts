/**
 * `ringside dash --target URL --rate R --on HOST...` in a real terminal (tmux): the probe runs as
 * one shard per host (network namespaces on a bridge, their ringside) and the latency pane shows
 * the shards' intervals merged as they stream back. Ground truth from the server: it saw every
 * host's requests from that host's own address and none from the controller, the pane's rate is
 * the whole schedule's, and after q the shards stop (nothing more arrives).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab, labUnavailable, requireLab, skipsWithoutLab } from '../chaos/lab.js';
import { startServer, type TestServer } from '../probes/servers.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const members = fileURLToPath(new URL('../../examples/cluster.txt', import.meta.url));
const why = labUnavailable() ?? (hasTmux() ? null : 'tmux is not installed');
const RATE = 60;

/** The latency pane's `warm: p50 ...  N/s` figures, once it has drawn `intervals` intervals. */
function paneRate(screen: string): { perSecond: number; intervals: number } | undefined {
  const lines = screen.split('\n').flatMap((line) => (line.startsWith('│') ? [line.slice(1, line.indexOf('│', 1))] : []));
  const head = lines.map((l) => /^warm: p50 \S+ {2}p99 \S+ {2}p99\.9 \S+ {2}(\d+)\/s/.exec(l)).find(Boolean);
  const spark = lines.find((l) => l.startsWith('p50 '));
  if (!head || !spark) return undefined;
  return { perSecond: Number(head[1]), intervals: (spark.match(/[▁-█]/gu) ?? []).length };
}

describe.skipIf(skipsWithoutLab(why))('dash --on: the latency probe as shards on hosts, merged live', () => {
  let lab: Lab;
  let server: TestServer;
  let pane: TmuxPane;
  const from = new Map<string, number>();

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: 2, serf: false });
    server = await startServer((req, res) => {
      const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      from.set(address, (from.get(address) ?? 0) + 1);
      setTimeout(() => res.end('ok'), 5);
    }, lab.bridgeIp);
    pane = await startTmux(100, 30);
  }, 60_000);

  afterAll(async () => {
    pane?.kill();
    await server?.close();
    lab?.destroy();
  });

  it('the pane shows the merged rate of both hosts; the server saw each host; q stops the shards', async () => {
    const on = lab.hosts.map((h) => `--on netns:${h.ns}`).join(' ');
    await pane.type(`node ${bin} dash --members ${members} --target '${server.target}' --rate ${RATE} ${on} --remote-command '${process.execPath} ${bin}'; echo "DASH_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => (paneRate(s)?.intervals ?? 0) >= 3, 'three merged intervals in the latency pane', 60_000);
    const shown = paneRate(screen) as { perSecond: number };
    // Each host sends half of the one schedule: the pane's rate is the whole of it.
    expect(shown.perSecond).toBeGreaterThanOrEqual(RATE * 0.8);
    expect(shown.perSecond).toBeLessThanOrEqual(RATE * 1.2);
    const hosts = lab.hosts.map((h) => from.get(h.ip) ?? 0);
    expect(Math.min(...hosts), JSON.stringify([...from])).toBeGreaterThan(RATE);
    expect(from.get(lab.bridgeIp) ?? 0).toBe(0);
    // Both halves of the schedule: within a second's worth of each other.
    expect(Math.abs((hosts[0] ?? 0) - (hosts[1] ?? 0))).toBeLessThanOrEqual(RATE);
    await pane.type('q');
    const after = await pane.waitForScreen((s) => /DASH_EXIT=\d+/.test(s), 'dash to exit', 30_000);
    expect(after).toContain('DASH_EXIT=0');
    // The shards are stopped with the dashboard: once they have wound down, nothing more arrives.
    let last = server.requests;
    await waitFor(
      async () => {
        const now = server.requests;
        const settled = now === last;
        last = now;
        await new Promise((r) => setTimeout(r, 1500));
        return settled && server.requests === now;
      },
      { timeoutMs: 20_000, what: 'the shards to stop sending' },
    );
    const stopped = server.requests;
    await new Promise((r) => setTimeout(r, 2000));
    expect(server.requests).toBe(stopped);
  }, 120_000);
});
