/**
 * The faults pane against chaos's real journal and real iptables rules in a network namespace,
 * in a real terminal (tmux, 80x24): dash started on a journal directory that does not exist yet
 * says so; two detached faults applied with `ringside chaos` appear with their kind, id, summary
 * and a countdown that goes down; `chaos heal --id` makes each disappear; `q` exits 0 and the
 * namespace's iptables-save and tc qdiscs are what they were before.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_DEADMEN_ARGV } from '../../chaos/deadman.js';
import { readJournals } from '../../chaos/journal.js';
import { createLab, type Lab, type LabHost, labUnavailable } from '../chaos/lab.js';
import { runCli } from '../support/cli.js';
import { hasTmux, startTmux, type TmuxPane } from '../support/tmux.js';
import { waitFor } from '../support/wait.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const examples = fileURLToPath(new URL('../../examples/cluster.txt', import.meta.url));
const why = !hasTmux() ? 'tmux is not installed (apt-get install tmux)' : labUnavailable();
if (why) console.warn(`skipping the dash faults pane test: ${why}`);

/** The inside of the faults pane: the lines between its borders, without them. */
function faultsPane(screen: string): { title: string; rows: string[] } {
  const lines = screen.split('\n').map((l) => [...l]);
  const top = lines.findIndex((l) => l.join('').includes('┌─ faults'));
  if (top < 0) return { title: '', rows: [] };
  const left = lines[top]!.join('').indexOf('┌─ faults');
  const rows: string[] = [];
  for (const line of lines.slice(top + 1)) {
    if (line[left] !== '│') break;
    rows.push(line.slice(left + 1, -1).join('').trimEnd());
  }
  return { title: lines[top]!.join('').slice(left).replace(/^┌─ /, '').replace(/ ─+┐$/, ''), rows };
}

/** Seconds left on the head line of fault `id` ("partition abc 1m54s left" -> 114), or undefined. */
function secondsLeft(rows: string[], id: string): number | undefined {
  const m = rows.find((r) => r.includes(` ${id} `))?.match(/(?:(\d+)m)?(\d+)s left$/);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : undefined;
}

describe.skipIf(why !== null)('dash faults pane on a real chaos journal (netns, iptables, tmux)', () => {
  let lab: Lab;
  let host: LabHost;
  let before: string[];
  let base: string;
  let journal: string;
  let pane: TmuxPane;
  const ids = { partition: '', loss: '' };
  const holders: ChildProcess[] = [];

  beforeAll(async () => {
    lab = createLab({ hosts: 1, serf: false });
    host = lab.hosts[0]!;
    before = lab.snapshot();
    base = mkdtempSync(join(tmpdir(), 'ringside-dash-faults-'));
    // Not created: chaos creates it with the first fault.
    journal = join(base, 'journal');
    pane = await startTmux(80, 24);
  });

  afterAll(async () => {
    pane?.kill();
    for (const h of holders) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
    // Whatever a failed test left: heal through the journal, then the lab kills its namespace.
    if (journal) await runCli(['chaos', 'heal', '--journal', journal]);
    lab?.destroy();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const chaos = async (args: string[]): Promise<string> => {
    const r = await runCli(['chaos', ...args, '--on', `netns:${host.ns}`, '--detach', '--journal', journal, '--host-journal', join(lab.dir, 'host-journal'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { id: string }).id;
  };

  it('says when the --journal-dir does not exist yet', async () => {
    await pane.type(`node ${bin} dash --members ${examples} --journal-dir ${journal}; echo "DASH_EXIT=$?"`);
    await pane.keys('Enter');
    const screen = await pane.waitForScreen((s) => faultsPane(s).rows.join(' ').includes('(yet)'), 'the faults pane saying the journal does not exist');
    // Wrapped to the pane's 33 columns, the path broken over lines rather than cut.
    expect(faultsPane(screen).rows.join('').replace(/ /g, '')).toBe(`cannot read the chaos journal: ${journal} does not exist (yet)`.replace(/ /g, ''));
  });

  it('shows two real faults with kind, id, summary and a countdown that goes down', async () => {
    ids.partition = await chaos(['partition', '--isolate', '192.0.2.77', '--duration', '2m']);
    ids.loss = await chaos(['loss', '--percent', '25', '--via', 'iptables', '--gossip', 'udp', '--duration', '90s']);
    const rules = lab.sh(host.ns, ['iptables', '-w', '5', '-S']);
    expect(rules).toContain(`RINGSIDE-${ids.partition}-I`);
    expect(rules).toContain(`RINGSIDE-${ids.loss}-I`);
    const first = await pane.waitForScreen((s) => faultsPane(s).title === 'faults: 2 active', 'both faults in the pane');
    const { rows } = faultsPane(first);
    // Soonest expiry first: each head line is kind, id and time left; the summary is below it.
    expect(rows[0]).toMatch(new RegExp(`^loss ${ids.loss} +\\dm\\d\\ds left$`));
    expect(secondsLeft(rows, ids.loss)).toBeLessThanOrEqual(90);
    // Below each head: where it is (first, so a narrow pane cuts the detail, not the host), then what.
    const partitionHead = rows.findIndex((r) => r.startsWith(`partition ${ids.partition} `));
    expect(partitionHead).toBeGreaterThan(1);
    const lossText = rows.slice(1, partitionHead).map((r) => r.trim()).join(' ');
    expect(lossText.startsWith(`on netns:${host.ns}: 25% of udp:7946`), lossText).toBe(true);
    expect(rows[partitionHead]).toMatch(new RegExp(`^partition ${ids.partition} +\\dm\\d\\ds left$`));
    const partitionText = rows.slice(partitionHead + 1).map((r) => r.trim()).join(' ');
    expect(partitionText.startsWith(`on netns:${host.ns}: isolate 192.0.2.77`), partitionText).toBe(true);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(33);
    const was = secondsLeft(rows, ids.partition)!;
    expect(was).toBeGreaterThan(60);
    expect(was).toBeLessThanOrEqual(120);
    const later = await pane.waitForScreen((s) => (secondsLeft(faultsPane(s).rows, ids.partition) ?? was) < was, 'the partition countdown to go down');
    const now = secondsLeft(faultsPane(later).rows, ids.partition)!;
    expect(now).toBeLessThan(was);
    expect(now).toBeGreaterThan(60);
  });

  it('chaos heal --id removes each fault from the pane, and from the namespace', async () => {
    const healed = await runCli(['chaos', 'heal', '--id', ids.loss, '--journal', journal]);
    expect(healed.code, healed.stderr).toBe(0);
    const one = await pane.waitForScreen((s) => faultsPane(s).title === 'faults: 1 active', 'the healed loss to leave the pane');
    expect(faultsPane(one).rows.join('\n')).not.toContain(ids.loss);
    expect(faultsPane(one).rows[0]).toMatch(new RegExp(`^partition ${ids.partition} +\\dm\\d\\ds left$`));
    const healedToo = await runCli(['chaos', 'heal', '--id', ids.partition, '--journal', journal]);
    expect(healedToo.code, healedToo.stderr).toBe(0);
    const none = await pane.waitForScreen((s) => faultsPane(s).title === 'faults: none active', 'the pane to empty');
    expect(faultsPane(none).rows.filter((r) => r !== '')).toEqual(['no active fault']);
    expect(lab.sh(host.ns, LIST_DEADMEN_ARGV).trim()).toBe('');
  });

  it('a fault whose holder was killed shows overdue past its expiry, and leaves when the dead-man reverts it', async () => {
    const id = `orph${process.pid % 100000}`;
    // 20 s: long enough that a loaded machine still shows the countdown before the fault expires.
    const holder = spawn(process.execPath, [bin, 'chaos', 'loss', '--percent', '50', '--via', 'iptables', '--to', '192.0.2.88', '--id', id, '--duration', '20s', '--grace', '10s', '--on', `netns:${host.ns}`, '--journal', journal, '--host-journal', join(lab.dir, 'host-journal')], { stdio: 'ignore' });
    holders.push(holder);
    const record = await waitFor(() => readJournals(journal).find((r) => r.id === id && r.state === 'active'), { timeoutMs: 20_000, what: 'the held fault in the journal' });
    holder.kill('SIGKILL');
    expect(lab.sh(host.ns, ['iptables', '-w', '5', '-S'])).toContain(`RINGSIDE-${id}-I`);
    const held = await pane.waitForScreen((s) => faultsPane(s).rows.some((r) => new RegExp(`^loss ${id} +\\d+s left$`).test(r)), 'the held fault counting down');
    // The seconds shown were left when dash drew them: no more than the 20 s it was applied for,
    // and no fewer than are left now that the screen has been read.
    const expiresAtMs = record.expiresAtMs!;
    const shown = secondsLeft(faultsPane(held).rows, id)!;
    expect(expiresAtMs - record.appliedAtMs).toBe(20_000);
    expect(shown).toBeLessThanOrEqual(20);
    expect(shown).toBeGreaterThanOrEqual(Math.ceil((expiresAtMs - Date.now()) / 1000));
    expect(faultsPane(held).rows.slice(1).map((r) => r.trim()).join(' ').trim()).toBe(`on netns:${host.ns}: 50% of all traffic with 192.0.2.88 received (iptables statistic), applied ${faultsPane(held).rows.join(' ').match(/applied (\d+s) ago/)?.[1] ?? '?'} ago`);
    // Its holder is gone: nobody reverts it at its expiry, the pane says it is overdue...
    const overdue = await pane.waitForScreen((s) => faultsPane(s).rows.some((r) => new RegExp(`^loss ${id} +overdue \\d+s$`).test(r)), 'the fault overdue', expiresAtMs + 5000 - Date.now() + 30_000);
    expect(faultsPane(overdue).title).toBe('faults: 1 active');
    expect(lab.sh(host.ns, ['iptables', '-w', '5', '-S'])).toContain(`RINGSIDE-${id}-I`);
    // ...until the namespace's dead-man timer reverts it at expiry + grace.
    await pane.waitForScreen((s) => faultsPane(s).title === 'faults: none active', 'the pane to empty at the dead-man deadline', expiresAtMs + 10_000 - Date.now() + 30_000);
    await waitFor(() => !lab.sh(host.ns, ['iptables', '-w', '5', '-S']).includes('RINGSIDE'), { timeoutMs: 20_000, what: 'the dead-man timer to remove the rules' });
  });

  it('q exits 0 with the faults in the summary; the namespace is as it was before', async () => {
    await pane.type('q');
    const screen = await pane.waitForScreen((s) => /DASH_EXIT=\d+/.test(s), 'dash to exit');
    expect(screen).toContain('DASH_EXIT=0');
    expect(screen).toContain('faults: 3 seen, 0 still active at exit');
    expect(lab.snapshot()).toEqual(before);
    expect(lab.sh(host.ns, ['iptables-save'])).not.toContain('RINGSIDE');
  });
});
