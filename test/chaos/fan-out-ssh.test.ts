/**
 * A fault on 16 hosts over SSH at once (issue 15): namespace hosts, each with its own real sshd.
 * The partition goes on every host together (the report's spread covers all 16), status and heal
 * fan out, and a CLI killed in the middle of an apply is undone exactly by `recover`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_DEADMEN_ARGV } from '../../chaos/deadman.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { type HostKinds, hostKinds, type LabSsh } from './host-kinds.js';
import { createLab, type Lab, type LabHost, labUnavailable, requireLab, skipsWithoutLab } from './lab.js';

const why = labUnavailable();
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const HOSTS = 16;

describe.skipIf(skipsWithoutLab(why))(`chaos over SSH on ${HOSTS} hosts at once`, () => {
  let lab: Lab;
  let kinds: HostKinds;
  let ssh: LabSsh[];
  let before: string[];
  let journal: string;
  let cli: ChildProcess | undefined;

  // The hosts share one key and one known_hosts file: the ssh options are given once, for all.
  const on = () => [...ssh.flatMap((s) => ['--on', s.target]), ...(ssh[0]?.options ?? []).flatMap((o) => ['--ssh-option', o])];
  const chains = (h: LabHost) => lab.sh(h.ns, ['iptables-save']).split('\n').filter((l) => l.startsWith(':RINGSIDE-')).length;
  const deadmen = (h: LabHost) => lab.sh(h.ns, LIST_DEADMEN_ARGV).trim();
  const halves = () => ['--topology', 'halves', '--nodes', lab.hosts.map((h) => h.ip).join(',')];

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: HOSTS, serf: false });
    kinds = hostKinds(lab);
    // Deploy users (sudo, /bin/sh): a root login here runs root's .bashrc, whose `pyenv rehash` takes a
    // lock that 16 logins at once contend for (and a killed one leaves behind).
    ssh = lab.hosts.map((_, i) => kinds.addSshd(i, { user: 'sudo' }));
    journal = mkdtempSync(join(tmpdir(), 'ringside-journal-'));
    await waitFor(async () => (await runCli(['chaos', 'recover', ...on(), '--dry-run', '--journal', journal])).code === 0, { timeoutMs: 30_000, what: `all ${HOSTS} sshds to answer` });
    before = kinds.snapshot();
  }, 120_000);

  afterAll(() => {
    if (cli && cli.exitCode === null && cli.signalCode === null) cli.kill('SIGKILL');
    kinds?.destroy();
    lab?.destroy();
    if (journal) rmSync(journal, { recursive: true, force: true });
  });

  it('a halves partition goes on all hosts together; status and heal fan out; every host is as before', async () => {
    const r = await runCli(['chaos', 'partition', ...halves(), ...on(), '--journal', journal, '--detach', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { id: string; spreadMs: number; hosts: Array<{ on: string; changedAtMs: number }> };
    const changed = report.hosts.map((h) => h.changedAtMs);
    expect(changed).toHaveLength(HOSTS);
    expect(report.spreadMs).toBe(Math.max(...changed) - Math.min(...changed));
    process.stderr.write(`partition over SSH on ${HOSTS} hosts: all changed within ${report.spreadMs} ms\n`);
    expect(lab.hosts.map(chains)).toEqual(lab.hosts.map(() => 1));
    const st = await runCli(['chaos', 'status', '--journal', journal, '--json']);
    const [fault] = (JSON.parse(st.stdout) as { faults: Array<{ hosts: Array<{ present: boolean }> }> }).faults;
    expect(fault?.hosts.map((h) => h.present)).toEqual(lab.hosts.map(() => true));
    const heal = await runCli(['chaos', 'heal', '--journal', journal]);
    expect(heal.code, heal.stderr).toBe(0);
    expect(kinds.snapshot()).toEqual(before);
    expect(lab.hosts.map(deadmen)).toEqual(lab.hosts.map(() => ''));
  });

  it('kill -9 of the CLI in the middle of an apply, then recover: every host exactly as before', async () => {
    cli = spawn(process.execPath, [bin, 'chaos', 'partition', ...halves(), ...on(), '--journal', journal], { stdio: 'ignore' });
    // Killed as soon as the first host has a timer or a rule: the others are anywhere in between.
    await waitFor(() => lab.hosts.some((h) => deadmen(h) !== '' || chains(h) > 0), { timeoutMs: 60_000, intervalMs: 20, what: 'the apply to begin on some host' });
    cli.kill('SIGKILL');
    await new Promise((resolve) => (cli?.exitCode !== null || cli?.signalCode !== null ? resolve(undefined) : cli?.once('exit', resolve)));
    const r = await runCli(['chaos', 'recover', ...on(), '--journal', journal, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { hosts: Array<{ errors: string[] }> }).hosts.flatMap((h) => h.errors)).toEqual([]);
    expect(kinds.snapshot()).toEqual(before);
    expect(lab.hosts.map(deadmen)).toEqual(lab.hosts.map(() => ''));
  });
});
