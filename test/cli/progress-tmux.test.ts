/**
 * The live progress line in a real terminal (tmux) against real targets: `bench` against a local
 * HTTP server shows one line on stderr that moves on (elapsed and sent grow between two screens)
 * and is gone when the summary prints; with stderr in a file, with --json or with --quiet not
 * one byte of it is written (the pane's raw output is recorded with pipe-pane). `chaos run` and
 * `diagnose` (real Serf agents) show theirs on a terminal and write nothing extra without one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { startServer, type TestServer } from '../probes/servers.js';
import { runCli } from '../support/cli.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
interface Recording {
  text(): string;
}
const BENCH_LINE = /^bench (\d+)s\/4s: sent ([\d,]+), answered [\d,]+, [\d,-]+ req\/s, \d+ errors?, p50 [\d.]+m?s, p99 [\d.]+m?s *$/m;

if (!hasTmux()) console.warn('skipping the progress line terminal tests: tmux is not installed (apt-get install tmux)');

describe.skipIf(!hasTmux())('the progress line in tmux', () => {
  let server: TestServer;
  let pane: TmuxPane;
  let dir: string;
  let cluster: SerfCluster | undefined;

  /**
   * Types `ringside ARGS` into the pane, its PID written to a file (so afterAll can stop it) and
   * its exit code echoed as NAME_EXIT=CODE; `redirect` is shell redirection for the command.
   * Returns the pane's raw output from the moment Enter is pressed.
   */
  async function start(name: string, args: string, redirect = ''): Promise<Recording> {
    await pane.keys('C-l');
    await pane.type(`bash -c 'echo $$ > ${dir}/${name}.pid; exec node ${bin} ${args} ${redirect}'; echo "${name}_EXIT=$?"`);
    const raw = record(name);
    await pane.keys('Enter');
    return raw;
  }
  const exited = (name: string, timeoutMs = 30_000): Promise<string> => pane.waitForScreen((s) => new RegExp(`^${name}_EXIT=\\d+`, 'm').test(s), `${name} to exit`, timeoutMs);
  const bench = (extra: string): string => `bench --target ${server.target} --rate 100 --duration 4s --probe warm --workers 1 --connections 2 ${extra}`;

  /** The pane's raw output (escape sequences and carriage returns included) from now on. */
  function record(name: string): Recording {
    const file = join(dir, `${name}.raw`);
    writeFileSync(file, '');
    spawnSync('tmux', ['-L', pane.socket, 'pipe-pane', '-t', 'dash']); // closes the previous recording
    spawnSync('tmux', ['-L', pane.socket, 'pipe-pane', '-t', 'dash', `cat >> ${file}`]);
    return { text: () => readFileSync(file, 'latin1') };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ringside-progress-'));
    server = await startServer((_req, res) => res.end('ok'));
    pane = await startTmux(160, 30);
  });

  afterAll(async () => {
    // Whatever a failed test left running: stop it by the PID it wrote.
    for (const name of dir !== undefined ? ['TTY', 'FILE', 'JSON', 'QUIET', 'CHAOS', 'DIAG'] : []) {
      const pidFile = join(dir, `${name}.pid`);
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    pane?.kill();
    await server?.close();
    await cluster?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('bench on a terminal: one line that moves on, in place, cleared before the summary', async () => {
    const raw = await start('TTY', bench(''));
    const first = await pane.waitForScreen((s) => BENCH_LINE.test(s) && Number(BENCH_LINE.exec(s)![2]!.replace(/,/g, '')) > 0, 'a progress line with requests sent', 15_000);
    const [, elapsed1, sent1] = BENCH_LINE.exec(first)!;
    const later = await pane.waitForScreen((s) => {
      const m = BENCH_LINE.exec(s);
      return m !== null && Number(m[1]) > Number(elapsed1) && Number(m[2]!.replace(/,/g, '')) > Number(sent1!.replace(/,/g, ''));
    }, 'the line to move on', 10_000);
    const [, elapsed2, sent2] = BENCH_LINE.exec(later)!;
    expect(Number(elapsed2)).toBeGreaterThan(Number(elapsed1));
    expect(Number(sent2!.replace(/,/g, ''))).toBeGreaterThan(Number(sent1!.replace(/,/g, '')));
    // One line, the last on the screen under the command typed.
    expect(later.split('\n').filter((l) => /^bench /.test(l))).toHaveLength(1);
    expect(later.trimEnd().split('\n').at(-1)).toMatch(BENCH_LINE);

    const done = await exited('TTY');
    expect(done).toMatch(/^TTY_EXIT=0$/m);
    expect(done).toMatch(/^warm: 400 responses in 4\.0 s, 100 req\/s achieved, 0 errors$/m);
    expect(done).not.toMatch(/^bench \d+s\//m);
    // Drawn in place: carriage return, the line, erase to the end of the line; erased at the end.
    const bytes = raw.text();
    expect(bytes).toMatch(/\rbench \d+s\/4s: sent [^\r\n]*\x1b\[K/);
    expect(bytes.indexOf('\r\x1b[Kwarm: 400 responses')).toBeGreaterThan(0);
  });

  it('bench with stderr in a file: no progress line in the file, nor on the terminal', async () => {
    const raw = await start('FILE', bench(''), `2> ${dir}/bench.err`);
    const done = await exited('FILE');
    expect(done).toMatch(/^FILE_EXIT=0$/m);
    expect(done).toMatch(/^warm: 400 responses/m);
    expect(readFileSync(join(dir, 'bench.err'), 'utf8')).toBe('');
    expect(raw.text()).not.toMatch(/bench \d+s\//);
  });

  it('bench --json and bench --quiet on a terminal: no progress line at all', async () => {
    for (const [name, flag] of [['JSON', '--json'], ['QUIET', '--quiet']] as const) {
      const raw = await start(name, bench(flag), `> ${dir}/${name}.out`);
      // Look while it runs, too: the server is answering.
      const before = server.requests;
      await waitFor(() => server.requests > before + 150, { what: `${name}: requests arriving`, timeoutMs: 15_000 });
      expect(await pane.capture()).not.toMatch(/bench \d+s\//);
      const done = await exited(name);
        expect(done).toMatch(new RegExp(`^${name}_EXIT=0$`, 'm'));
      expect(raw.text()).not.toMatch(/bench[: ]/);
      expect(raw.text()).not.toContain('\x1b[K');
      const out = readFileSync(join(dir, `${name}.out`), 'utf8');
      if (name === 'JSON') expect((JSON.parse(out) as { probes: { warm: { count: number } } }).probes.warm.count).toBe(400);
      else expect(out).toMatch(/^warm: 400 responses/m);
    }
  });

  it('chaos run on a terminal: the phase, its time left and the faults; without a terminal only the log lines', async () => {
    const scenario = join(dir, 'two-phases.yaml');
    writeFileSync(scenario, 'name: two-phases\nphases:\n  - name: first\n    duration: 2s\n  - name: second\n    duration: 3s\n');
    await start('CHAOS', `chaos run ${scenario}`);
    const screen = await pane.waitForScreen((s) => /^chaos two-phases: phase 2\/2 second, [1-3]s left, no faults *$/m.test(s), 'the second phase on the line', 15_000);
    // The log lines of the phases are printed above the line, each on a line of its own.
    expect(screen).toMatch(/^ringside: phase first: 0 fault\(s\), up to 2000 ms$/m);
    expect(screen).toMatch(/^ringside: phase second: 0 fault\(s\), up to 3000 ms$/m);
    const done = await exited('CHAOS');
    expect(done).toMatch(/^CHAOS_EXIT=0$/m);
    expect(done).not.toMatch(/^chaos two-phases: /m);

    const piped = await runCli(['chaos', 'run', scenario]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('ringside: phase first: 0 fault(s), up to 2000 ms\nringside: phase second: 0 fault(s), up to 3000 ms\n');
  });

  it('diagnose against real Serf agents: polls and findings on a terminal; nothing on stderr without one', async () => {
    cluster = await startSerfCluster({ nodes: 2 });
    const seed = cluster.agents[0]!.bind;
    await start('DIAG', `diagnose --join ${seed} --duration 4s --interval 250ms`);
    const screen = await pane.waitForScreen((s) => /^diagnose [1-4]s\/4s: \d+ polls of 2 views, no findings so far *$/m.test(s), 'the diagnose line with polls', 15_000);
    expect(Number(/ (\d+) polls/.exec(screen)![1])).toBeGreaterThan(0);
    const done = await exited('DIAG');
    expect(done).toMatch(/^DIAG_EXIT=0$/m);
    expect(done).toMatch(/^healthy: /m);
    expect(done).not.toMatch(/^diagnose \d+s\//m);

    const piped = await runCli(['diagnose', '--join', seed, '--duration', '2s', '--interval', '250ms']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^healthy: /);
  });
});
