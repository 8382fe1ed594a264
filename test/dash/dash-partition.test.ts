/**
 * `dash --all-views` in a real terminal (tmux) while real Serf agents in network namespaces are
 * split in halves by `ringside chaos partition`: the members pane shows one line per group of
 * members whose views agree (what each group holds down) and marks every member with its group,
 * as the polls arrive; after `chaos heal`, all agree again. Ground truth: each agent's own
 * `serf members`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';
import { createLab, type Lab, type LabHost, labUnavailable, requireLab, skipsWithoutLab } from '../chaos/lab.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const why = labUnavailable() ?? (hasTmux() ? null : 'tmux is not installed');
if (why) process.stderr.write(`dash partition test skipped: ${why}\n`);

describe.skipIf(skipsWithoutLab(why))('dash --all-views through a partition', () => {
  let lab: Lab;
  let pane: TmuxPane;
  let journal: string;
  const allAlive = () => lab.hosts.every((o) => lab.serfMembers(o).filter((m) => m.status === 'alive').length === 4);

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: 4 });
    journal = mkdtempSync(join(tmpdir(), 'ringside-dash-partition-'));
    await waitFor(allAlive, { timeoutMs: 30_000, what: 'four serf agents alive' });
    pane = await startTmux(100, 30);
  });

  afterAll(async () => {
    pane?.kill();
    if (journal) await runCli(['chaos', 'heal', '--journal', journal]);
    lab?.destroy();
    if (journal) rmSync(journal, { recursive: true, force: true });
  });

  it('one line per group and a group letter per member while split; all agree after heal', async () => {
    const [a, b, c, d] = lab.hosts as [LabHost, LabHost, LabHost, LabHost];
    await pane.type(`node ${bin} dash --join ${a.ip}:7946 --interval 500ms --all-views; echo "DASH_EXIT=$?"`);
    await pane.keys('Enter');
    await pane.waitForScreen((s) => s.includes('views: all 4 agree'), 'the four views agreeing');

    const cut = await runCli(['chaos', 'partition', '--group', `${a.ip},${b.ip}`, '--group', `${c.ip},${d.ip}`, ...lab.hosts.flatMap((h) => ['--on', `netns:${h.ns}`]), '--detach', '--journal', journal]);
    expect(cut.code, cut.stderr).toBe(0);
    const screen = await pane.waitForScreen(
      (s) => s.includes('views: 2 groups disagree') && s.includes('A n0,n1: holds n2 failed, n3 failed') && s.includes('B n2,n3: holds n0 failed, n1 failed'),
      'one line per group',
      90_000,
    );
    // The agents agree with the screen.
    for (const h of [a, b]) expect(lab.serfMembers(h).filter((m) => m.status === 'failed').map((m) => m.name).sort()).toEqual(['n2', 'n3']);
    for (const h of [c, d]) expect(lab.serfMembers(h).filter((m) => m.status === 'failed').map((m) => m.name).sort()).toEqual(['n0', 'n1']);
    const marks = Object.fromEntries(['n0', 'n1', 'n2', 'n3'].map((n) => [n, screen.split('\n').find((l) => new RegExp(`^│[AB-] ${n} `).test(l))?.[1]]));
    expect(marks).toEqual({ n0: 'A', n1: 'A', n2: 'B', n3: 'B' });
    for (const line of screen.split('\n').filter((l) => l !== '')) expect([...line].length).toBeLessThanOrEqual(100);

    expect((await runCli(['chaos', 'heal', '--journal', journal])).code).toBe(0);
    await waitFor(allAlive, { timeoutMs: 90_000, what: 'every agent to see all four alive again' });
    await pane.waitForScreen((s) => s.includes('views: all 4 agree') && !s.includes('groups disagree'), 'the views agreeing again', 30_000);
    await pane.type('q');
    await pane.waitForScreen((s) => s.includes('DASH_EXIT=0'), 'dash to exit 0');
  });
});
