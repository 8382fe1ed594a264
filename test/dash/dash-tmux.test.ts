/**
 * `ringside dash` in a real terminal (tmux) against real Serf agents: members appear alive, a
 * killed agent turns failed, `o` + key shows the owner `ringside owner` prints, the screen stays
 * readable through resizes, `q` exits 0 and leaves the terminal usable. Without a TTY it exits 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { runCli, runJson } from '../support/cli.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/cluster.txt', import.meta.url));

/** The line of the members pane that shows `name`. */
function memberLine(screen: string, name: string): string | undefined {
  return screen.split('\n').find((line) => new RegExp(`^│\\*?${name} `).test(line));
}

describe('dash without a terminal', () => {
  it('exits 2 with one line suggesting watch --json', async () => {
    const result = await runCli(['dash', '--members', examples]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('ringside: dash needs a terminal (for a stream of membership changes use ringside watch --json)\n');
  });
});

if (!hasTmux()) console.warn('skipping the dash terminal tests: tmux is not installed (apt-get install tmux)');

describe.skipIf(!hasTmux())('dash in tmux against real Serf agents', () => {
  let cluster: SerfCluster;
  let pane: TmuxPane;
  const names = (): string[] => cluster.agents.map((a) => a.name);

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 4 });
    pane = await startTmux(80, 24);
    const seed = cluster.agents[0]!.bind;
    await pane.type(`node ${bin} dash --join ${seed} --interval 500ms --all-views; echo "DASH_EXIT=$?"`);
    await pane.keys('Enter');
  });

  afterAll(async () => {
    pane?.kill();
    await cluster?.stop();
  });

  it('shows every member alive at 80x24', async () => {
    const screen = await pane.waitForScreen((s) => names().every((n) => memberLine(s, n)?.includes(' alive ')) && s.includes('views: all 4 agree'), 'every agent alive in the members pane, and their views agreeing');
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^┌─ members 4: 4 alive ─+┐┌─ ring ringpop: 4 nodes ─+┐$/);
    for (const line of lines.filter((l) => l !== '')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(screen).toContain('│no probe running (pass --target URL');
    expect(await pane.display('#{alternate_on}')).toBe('1');
  });

  it('o + key shows the owner that ringside owner prints', async () => {
    const [expected] = await runJson<{ key: string; owners: string[]; addrs: string[] }[]>(['owner', 'user:42', '--join', cluster.agents[1]!.bind]);
    await pane.type('o');
    await pane.waitForScreen((s) => s.includes('owner of key:'), 'the owner prompt');
    await pane.type('user:42');
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => s.includes('owner of user:42: '), 'the owner answer');
    const answer = screen.split('\n').find((l) => l.startsWith('owner of user:42: '));
    expect(answer?.trim()).toBe(`owner of user:42: ${expected!.owners[0]} (${expected!.addrs[0]})`);
  });

  it('/ filters members, p pauses, Tab moves focus, ? shows help', async () => {
    const [first, second] = names();
    await pane.type(`/${second}`);
    const filtered = await pane.waitForScreen((s) => s.includes(`/${second}: 1 shown`) && !memberLine(s, first!), 'the filtered members pane');
    expect(memberLine(filtered, second!)).toContain(' alive ');
    await pane.keys('Escape');
    await pane.waitForScreen((s) => names().every((n) => memberLine(s, n)), 'every member again after Esc');
    await pane.type('p');
    await pane.waitForScreen((s) => /^PAUSED \(\d+ new events\)/m.test(s), 'the paused status line');
    await pane.type('p');
    await pane.waitForScreen((s) => !s.includes('PAUSED') && s.includes('focus members'), 'the display running again');
    await pane.keys('Tab');
    const focused = await pane.waitForScreen((s) => s.includes('focus ring'), 'focus on the ring pane');
    expect(focused).toContain('┌─ ring ringpop: 4 nodes');
    await pane.keys('BTab');
    await pane.waitForScreen((s) => s.includes('focus members'), 'focus back on members');
    await pane.type('?');
    await pane.waitForScreen((s) => s.includes('o                 owners of a key'), 'the help overlay');
    await pane.type(' ');
    await pane.waitForScreen((s) => !s.includes('owners of a key (as'), 'the help closed');
  });

  it('stays readable at 160x50 and back at 80x24', async () => {
    /** A complete frame of width x height: every line drawn, the status line last, every member shown. */
    const complete = (width: number, height: number) => (s: string): boolean => {
      const lines = s.split('\n').filter((l) => l !== '');
      return lines.length === height && [...lines[0]!].length === width && lines.at(-1)!.endsWith('q quit') && names().every((n) => memberLine(s, n));
    };
    await pane.resize(160, 50);
    const big = await pane.waitForScreen(complete(160, 50), 'a complete 160x50 frame with every member');
    expect(big.split('\n').filter((l) => l.startsWith('│')).length).toBeGreaterThan(40);
    expect(memberLine(big, names()[0]!)).toMatch(/alive +\d+ sandbox=/);
    await pane.resize(50, 14);
    await pane.waitForScreen((s) => s.includes('terminal too small (50x14)'), 'the too-small notice');
    await pane.resize(80, 24);
    const small = await pane.waitForScreen(complete(80, 24), 'a complete 80x24 frame with every member');
    expect(small.split('\n')[0]).toMatch(/^┌─ members 4: 4 alive ─+┐┌─ ring ringpop: 4 nodes ─+┐$/);
  });

  it('turns a killed agent failed, and logs it', async () => {
    const victim = cluster.agents[3]!;
    cluster.kill9(victim.name);
    const screen = await pane.waitForScreen((s) => memberLine(s, victim.name)?.includes(' failed ') === true, `${victim.name} failed`, 60_000);
    expect(screen).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d failed +${victim.name} `));
    expect(screen.split('\n')[0]).toContain('members 4: 3 alive, 1 failed');
  });

  it('q exits 0, prints a summary and leaves the terminal usable', async () => {
    await pane.type('q');
    const screen = await pane.waitForScreen((s) => /DASH_EXIT=\d+/.test(s), 'dash to exit');
    expect(screen).toContain('DASH_EXIT=0');
    expect(screen).toMatch(/ringside dash: \d+s on serf passive /);
    expect(screen).toMatch(/members at exit: 4 \(3 alive, 0 suspect, 1 failed, 0 left\)/);
    expect(await pane.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
    await pane.type('echo "usable-$((6*7))"; stty -a | tr " " "\\n" | grep -xE -- "-?(icanon|echo)"');
    await pane.keys('Enter');
    const after = await pane.waitForScreen((s) => s.includes('usable-42') && /^-?echo$/m.test(s), 'the shell to run echo and stty');
    expect(after).toMatch(/^icanon$/m);
    expect(after).toMatch(/^echo$/m);
  });

  it('an unreachable cluster is one line and exit 3, before the screen opens', async () => {
    await pane.keys('C-l');
    await pane.type(`node ${bin} dash --join 127.0.0.1:1 --timeout 1s; echo "BAD_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => /BAD_EXIT=\d+/.test(s), 'dash to give up');
    expect(screen).toContain('BAD_EXIT=3');
    // One line on stderr (wrapped by the 80-column terminal).
    expect(screen.replace(/\n/g, '')).toContain('ringside: 127.0.0.1:1: connection refused (check the address and port');
    expect(screen).not.toContain('┌─ members');
    expect(await pane.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });

  it('--mode member marks ringside itself as an observer and leaves gracefully on Ctrl-C', async () => {
    await pane.keys('C-l');
    const out = join(cluster.stateDir, 'dash-summary.json');
    await pane.type(`node ${bin} dash --join ${cluster.agents[0]!.bind} --mode member --json > ${out}; echo "MEMBER_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => /^│\*ringside-\S+ +127\.0\.0\.1:\d+ +alive /m.test(s), 'the observer marked in the members pane');
    const observer = (await cluster.members(1)).find((m) => m.name.startsWith('ringside-') && m.status === 'alive')?.name;
    expect(observer).toBeDefined();
    expect(screen).toMatch(/┌─ ring ringpop: 3 nodes/);
    await pane.keys('C-c');
    const after = await pane.waitForScreen((s) => /MEMBER_EXIT=\d+/.test(s), 'dash to exit');
    expect(after).toContain('MEMBER_EXIT=0');
    // The screen drew on the terminal while stdout went to the file: only the summary is there.
    const summary = JSON.parse(readFileSync(out, 'utf8')) as { members: { total: number; alive: number } };
    expect(summary.members).toMatchObject({ total: 5, alive: 4 });
    // The agents record a graceful leave, never a failure.
    await waitFor(async () => (await cluster.members(1)).find((m) => m.name === observer)?.status === 'left', { what: `${observer} recorded as left`, timeoutMs: 15_000 });
  });
});
