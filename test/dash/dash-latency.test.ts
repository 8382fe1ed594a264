/**
 * `ringside dash --target URL --rate R` in a real terminal (tmux) against a real node:http server
 * that holds every request 20 ms: the latency pane shows percentiles consistent with that delay,
 * the server really got the requests, `q` stops the probe (its connections close, nothing arrives
 * after the exit) and the summary carries the run's figures. first-connection opens a connection
 * per request; a refused target shows failures in the pane without ending the dashboard; routing
 * and {host} templates are one line and exit 2.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayServer, type TestServer } from '../probes/servers.js';
import { tempFiles } from '../support/cli.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const members = fileURLToPath(new URL('../../examples/cluster.txt', import.meta.url));
const DELAY_MS = 20;

type WatchedServer = TestServer & { heldUs: number[]; arrivalsMs: number[]; open: () => number };

/** A server answering after DELAY_MS, noting when each request arrived and which sockets are open. */
async function delayServer(): Promise<WatchedServer> {
  const server = await startDelayServer(() => DELAY_MS);
  const arrivalsMs: number[] = [];
  let open = 0;
  server.server.on('request', () => arrivalsMs.push(performance.now()));
  server.server.on('connection', (socket) => {
    open++;
    socket.on('close', () => open--);
  });
  return Object.assign(server, { arrivalsMs, open: () => open });
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The latency pane's lines: the left pane of the middle row (the members pane has no such lines). */
function leftPane(screen: string): string[] {
  return screen.split('\n').flatMap((line) => (line.startsWith('│') ? [line.slice(1, line.indexOf('│', 1))] : []));
}

/** 850us, 1.25ms, 12.5ms, 1.20s -> microseconds. */
function us(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`not a latency: ${text}`);
  return Number(match[1]) * { us: 1, ms: 1000, s: 1_000_000 }[match[2] as 'us' | 'ms' | 's'];
}

interface PaneFigures {
  p50Us: number;
  p99Us: number;
  p999Us: number;
  perSecond: number;
  /** Intervals drawn so far (the p50 sparkline's length). */
  intervals: number;
}

function figures(screen: string, probe: string): PaneFigures | undefined {
  const lines = leftPane(screen);
  const head = lines.map((l) => new RegExp(`^${probe}: p50 (\\S+)  p99 (\\S+)  p99\\.9 (\\S+)(?:  (\\d+)/s)?`).exec(l)).find(Boolean);
  const rate = lines.map((l) => new RegExp(`^${probe}: (\\d+)/s`).exec(l)).find(Boolean);
  const spark = lines.find((l) => l.startsWith('p50 '));
  const perSecond = head?.[4] ?? rate?.[1];
  if (!head || perSecond === undefined || !spark) return undefined;
  return { p50Us: us(head[1]!), p99Us: us(head[2]!), p999Us: us(head[3]!), perSecond: Number(perSecond), intervals: (spark.match(/[▁-█]/gu) ?? []).length };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const flat = (text: string): string => text.replace(/\s+/g, '');

if (!hasTmux()) console.warn('skipping the dash latency terminal tests: tmux is not installed (apt-get install tmux)');

describe.skipIf(!hasTmux())('dash latency pane in tmux against a real HTTP server', () => {
  let pane: TmuxPane;
  let warm: WatchedServer;
  let fresh: WatchedServer | undefined;
  let warmAfterExit = -1;
  const files = tempFiles({});

  beforeAll(async () => {
    warm = await delayServer();
    pane = await startTmux(80, 24);
  });

  afterAll(async () => {
    pane?.kill();
    await warm?.close();
    await fresh?.close();
    files.cleanup();
  });

  it('shows p50/p99/p99.9 consistent with the 20 ms the server holds each request (80x24)', async () => {
    await pane.type(`node ${bin} dash --members ${members} --target '${warm.target}' --rate 50; echo "DASH_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => (figures(s, 'warm')?.intervals ?? 0) >= 3, 'three intervals of the warm probe in the latency pane', 30_000);
    const shown = figures(screen, 'warm')!;
    // Corrected latency runs from the intended send time: never below what the server held.
    expect(shown.p50Us).toBeGreaterThanOrEqual(DELAY_MS * 1000);
    expect(shown.p50Us).toBeGreaterThanOrEqual(median(warm.heldUs) * 0.999);
    // A queue behind too few connections would grow without bound (it showed 300 ms and climbing).
    expect(shown.p50Us).toBeLessThan(5 * DELAY_MS * 1000);
    expect(shown.p99Us).toBeGreaterThanOrEqual(shown.p50Us);
    expect(shown.p999Us).toBeGreaterThanOrEqual(shown.p99Us);
    expect(shown.perSecond).toBeGreaterThan(25);
    expect(shown.perSecond).toBeLessThan(75);
    expect(screen).toMatch(/┌─ latency warm \(\S+ = full scale\)/);
    // The histogram of the last interval: bars whose counts are the interval's requests.
    const bars = leftPane(screen).filter((l) => /^ *\d+(\.\d+)?–\d+(\.\d+)?(us|ms|s) /u.test(l));
    expect(bars.length, leftPane(screen).join("\n")).toBeGreaterThan(0);
    expect(bars.reduce((sum, l) => sum + Number(l.trim().split(' ').at(-1)), 0)).toBeGreaterThan(25);
    // The server really answered them, on the dashboard's keys, over a few keep-alive connections.
    expect(warm.requests).toBeGreaterThan(100);
    expect(warm.keys.every((k) => /^key-\d+$/.test(k))).toBe(true);
    expect(warm.connections).toBeLessThanOrEqual(10);
  });

  it('q stops the probe: the process exits 0, its connections close, the summary has the latency', async () => {
    await pane.type('q');
    const after = await pane.waitForScreen((s) => /DASH_EXIT=\d+/.test(s), 'dash to exit');
    const exitSeenMs = performance.now();
    expect(after).toContain('DASH_EXIT=0');
    const line = /latencywarm:(\d+)answered,0failed,p50([\d.]+)ms,p99([\d.]+)ms,p99\.9([\d.]+)ms,max([\d.]+)ms/.exec(flat(after));
    expect(line, `the summary line in:\n${after}`).not.toBeNull();
    const [answered, p50, p99, p999, max] = line!.slice(1).map(Number) as [number, number, number, number, number];
    expect(answered).toBeGreaterThan(100);
    expect(p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(p50).toBeLessThan(5 * DELAY_MS);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(max).toBeGreaterThanOrEqual(p999);
    await waitFor(() => warm.open() === 0, { what: 'every probe connection closed' });
    warmAfterExit = warm.requests;
    // Every answered request was seen by the server, and none arrived after the process was gone.
    expect(warmAfterExit).toBeGreaterThanOrEqual(answered);
    expect(Math.max(...warm.arrivalsMs)).toBeLessThanOrEqual(exitSeenMs);
    expect(await pane.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });

  it('--probe first-connection opens a new connection per request (120x36, --json summary)', async () => {
    // The warm probe's server heard nothing more while the earlier test finished.
    expect(warm.requests).toBe(warmAfterExit);
    fresh = await delayServer();
    const server = fresh;
    const out = files.path('first-connection.json');
    await pane.resize(120, 36);
    await pane.keys('C-l');
    await pane.type(`node ${bin} dash --members ${members} --target '${server.target}' --rate 20 --probe first-connection --json > ${out}; echo "FC_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => (figures(s, 'first-connection')?.intervals ?? 0) >= 2, 'two intervals of the first-connection probe', 30_000);
    const shown = figures(screen, 'first-connection')!;
    expect(shown.p50Us).toBeGreaterThanOrEqual(DELAY_MS * 1000);
    expect(shown.p50Us).toBeLessThan(5 * DELAY_MS * 1000);
    expect(shown.perSecond).toBeGreaterThan(10);
    expect(shown.perSecond).toBeLessThan(30);
    await pane.type('q');
    const after = await pane.waitForScreen((s) => /FC_EXIT=\d+/.test(s), 'dash to exit');
    expect(after).toContain('FC_EXIT=0');
    await waitFor(() => server.open() === 0, { what: 'every probe connection closed' });
    expect(server.requests).toBeGreaterThanOrEqual(20);
    expect(server.requestsPerConnection.every((n) => n <= 1)).toBe(true);
    expect(new Set(server.keys).size).toBe(server.keys.length);
    const summary = JSON.parse(readFileSync(out, 'utf8')) as { latency: Record<string, { count: number; errors: number; p50: number; p99: number }> };
    const probe = summary.latency['first-connection']!;
    expect(probe.errors).toBe(0);
    expect(probe.count).toBeGreaterThanOrEqual(20);
    expect(probe.count).toBeLessThanOrEqual(server.requests);
    expect(probe.p50).toBeGreaterThanOrEqual(DELAY_MS);
    expect(probe.p99).toBeGreaterThanOrEqual(probe.p50);
  });

  it('a refused target shows its failures in the pane, and the dashboard keeps running until q', async () => {
    const port = await closedPort();
    await pane.resize(80, 24);
    await pane.keys('C-l');
    await pane.type(`node ${bin} dash --members ${members} --target 'http://127.0.0.1:${port}/kv/{key}' --rate 50; echo "REFUSED_EXIT=$?"`);
    await pane.keys('Enter');
    const failing = (s: string): RegExpExecArray | undefined => leftPane(s).map((l) => /^warm: (?:0\/s, )?(\d+) of (\d+) requests failed/.exec(l)).find(Boolean) ?? undefined;
    const first = await pane.waitForScreen((s) => failing(s) !== undefined, 'failed requests in the latency pane', 30_000);
    const [, failed, sent] = failing(first)!;
    expect(Number(failed)).toBe(Number(sent));
    expect(Number(failed)).toBeGreaterThan(25);
    expect(leftPane(first).some((l) => l.startsWith('warm: p50 -  p99 -  p99.9 -'))).toBe(true);
    // Still running: the next intervals keep coming (the p50 sparkline has no values, so count the status clock).
    const clock = (s: string): string | undefined => /^(\d\d:\d\d:\d\d) · members-file/m.exec(s)?.[1];
    await pane.waitForScreen((s) => clock(s) !== undefined && clock(s) !== clock(first) && failing(s) !== undefined, 'the dashboard still drawing');
    await pane.type('q');
    const after = await pane.waitForScreen((s) => /REFUSED_EXIT=\d+/.test(s), 'dash to exit');
    expect(after).toContain('REFUSED_EXIT=0');
    expect(flat(after)).toMatch(/latencywarm:0answered,\d+failed,p50-,p99-,p99\.9-,max-/);
  });

  it('--probe routing and a {host} template are one line and exit 2, before the screen opens', async () => {
    const before = warm.requests;
    await pane.keys('C-l');
    await pane.type(`node ${bin} dash --members ${members} --target '${warm.target}' --probe routing; echo "ROUTING_EXIT=$?"`);
    await pane.keys('Enter');
    const routing = await pane.waitForScreen((s) => /ROUTING_EXIT=\d+/.test(s), 'dash to refuse the routing probe');
    expect(routing).toContain('ROUTING_EXIT=2');
    expect(flat(routing)).toContain(flat('ringside: dash runs the first-connection and warm probes (measure routing with ringside bench --probe routing)'));
    expect(routing).not.toContain('┌─ members');
    await pane.keys('C-l');
    await pane.type(`node ${bin} dash --members ${members} --target 'http://{host}:8080/kv/{key}'; echo "HOST_EXIT=$?"`);
    await pane.keys('Enter');
    const host = await pane.waitForScreen((s) => /HOST_EXIT=\d+/.test(s), 'dash to refuse the {host} template');
    expect(host).toContain('HOST_EXIT=2');
    expect(flat(host)).toContain(flat('{host} and {port} are not filled in (write the address, e.g. http://10.0.0.5:8080/kv/{key})'));
    // One line on stderr: the command echo, the error, the exit marker.
    expect(host.split('\n').filter((l) => l.includes('ringside:')).length).toBe(1);
    expect(warm.requests).toBe(before);
    expect(await pane.display('#{alternate_on}')).toBe('0');
  });
});
