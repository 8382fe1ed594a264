/**
 * The hosts staging has, on real kernels (issue 16): a deploy user with passwordless sudo over a
 * real sshd, a user without it, a host with nft and no iptables, dual-stack hosts, and a host
 * lacking tools and a writable journal directory. Every test compares each host's full rule set
 * (iptables-save, ip6tables-save, nft list ruleset, tc) before and after.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_DEADMEN_ARGV } from '../../chaos/deadman.js';
import { runCli } from '../support/cli.js';
import { waitFor } from '../support/wait.js';
import { type HostKinds, hostKinds, type LabSsh } from './host-kinds.js';
import { createLab, type Lab, type LabHost, labUnavailable, requireLab, skipsWithoutLab } from './lab.js';

const execFileAsync = promisify(execFile);
/** Why this suite cannot run here: the lab's reasons, or a tool the host kinds need. */
function unavailable(): string | null {
  const lab = labUnavailable();
  if (lab !== null) return lab;
  for (const tool of [['sudo', '-V'], ['nft', '--version'], ['unshare', '--version'], ['python3', '--version'], ['visudo', '--version'], ['ping', '-V']]) {
    try {
      execFileSync(tool[0] as string, tool.slice(1), { stdio: 'ignore' });
    } catch {
      return `${tool[0]} is not installed`;
    }
  }
  return null;
}

const why = unavailable();
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/** An IPv6 address as the kernel's tools print it (RFC 5952). */
function canonical(ip6: string): string {
  return new URL(`http://[${ip6}]/`).hostname.slice(1, -1);
}

/** Every program of the iptables family on this machine: hidden from the nft-only host. */
function iptablesFamily(): string[] {
  const names = new Set<string>();
  for (const dir of ['/usr/sbin', '/usr/bin']) {
    try {
      for (const f of readdirSync(dir)) if (/^(ip6?tables|xtables|arptables|ebtables)/.test(f)) names.add(f);
    } catch {
      // no such directory
    }
  }
  return [...names];
}

describe.skipIf(skipsWithoutLab(why))('chaos on the hosts staging has: sudo, nft only, IPv6, missing pieces', () => {
  let lab: Lab;
  let kinds: HostKinds;
  let before: string[];
  let journal: string;
  let sudoSsh: LabSsh;
  let noSudoSsh: LabSsh;
  let nftSsh: LabSsh;
  let bareSsh: LabSsh;
  const started: ChildProcess[] = [];

  const sshArgs = (s: LabSsh) => ['--on', s.target, ...s.options.flatMap((o) => ['--ssh-option', o])];
  const common = () => ['--journal', journal];
  const deadmen = (h: LabHost) => lab.sh(h.ns, LIST_DEADMEN_ARGV).trim();
  const host = (i: number) => lab.hosts[i] as LabHost;
  /** Whether `from` reaches `to` (ICMP echo, one try, 1 s). */
  const pings = async (from: LabHost, to: string): Promise<boolean> => {
    try {
      await execFileAsync('ip', ['netns', 'exec', from.ns, 'ping', ...(to.includes(':') ? ['-6'] : []), '-c', '1', '-W', '1', to]);
      return true;
    } catch {
      return false;
    }
  };
  /** Whether a TCP connection from `from` to `to`:22 (the lab's sshd, or a refusal) gets any answer within 1 s. */
  const tcpAnswers = async (from: LabHost, to: string, port: number): Promise<boolean> => {
    const script = `import socket,sys\ns=socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET)\ns.settimeout(1)\ntry:\n  s.connect((sys.argv[1], int(sys.argv[2])))\n  print('open')\nexcept ConnectionRefusedError:\n  print('refused')\nexcept OSError:\n  print('silent')\n`;
    const r = await execFileAsync('ip', ['netns', 'exec', from.ns, 'python3', '-c', script, to, String(port)]);
    return r.stdout.trim() !== 'silent';
  };
  function startCli(args: string[]): ChildProcess {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    return child;
  }
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
  const oneLine = (stderr: string) => stderr.trim().split('\n').filter((l) => !l.startsWith('sudo: unable to resolve host'));

  beforeAll(async () => {
    requireLab(why);
    lab = createLab({ hosts: 5, serf: false });
    kinds = hostKinds(lab);
    kinds.addIpv6();
    sudoSsh = kinds.addSshd(0, { user: 'sudo' });
    noSudoSsh = kinds.addSshd(1, { user: 'nosudo' });
    nftSsh = kinds.addSshd(2, { hide: iptablesFamily() });
    bareSsh = kinds.addSshd(3, { hide: [...iptablesFamily(), 'nft', 'tc'], readOnly: ['/run/ringside'] });
    journal = mkdtempSync(join(tmpdir(), 'ringside-journal-'));
    const sshAnswers = async (s: LabSsh): Promise<boolean> => {
      try {
        await execFileAsync('ssh', [...s.options.flatMap((o) => ['-o', o]), '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=2', s.target.slice(4), 'true']);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(async () => (await Promise.all([sudoSsh, noSudoSsh, nftSsh, bareSsh].map(sshAnswers))).every(Boolean), { timeoutMs: 20_000, what: 'every sshd to answer' });
    // Every host reaches every other, on both families, before anything.
    for (const to of [host(1).ip, kinds.ip6(host(1))]) await waitFor(() => pings(host(0), to), { timeoutMs: 20_000, what: `h0 to reach ${to}` });
    before = kinds.snapshot();
  }, 120_000);

  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null && child.pid) child.kill('SIGKILL');
    kinds?.destroy();
    lab?.destroy();
    if (journal) rmSync(journal, { recursive: true, force: true });
  });

  describe('a deploy user with passwordless sudo', () => {
    it('partition, loss and bandwidth apply through sudo -n and heal back to the exact rule set', async () => {
      const [h0, h4] = [host(0), host(4)];
      const p = await runCli(['chaos', 'partition', '--isolate', h4.ip, ...sshArgs(sudoSsh), ...common(), '--detach', '--duration', '5m', '--json']);
      expect(p.code, p.stderr).toBe(0);
      expect(await pings(h4, h0.ip)).toBe(false);
      // The dead-man timer was started through sudo and outlives the SSH session.
      expect(deadmen(h0)).toMatch(/^\d+ [a-z0-9]+$/);
      const loss = await runCli(['chaos', 'loss', '--percent', '100', '--via', 'iptables', '--protocol', 'icmp', '--to', kinds.ip6(h4), ...sshArgs(sudoSsh), ...common(), '--detach', '--json']);
      expect(loss.code, loss.stderr).toBe(0);
      expect(lab.sh(h0.ns, ['ip6tables-save'])).toContain(`-A RINGSIDE-${(JSON.parse(loss.stdout) as { id: string }).id}-I -s ${canonical(kinds.ip6(h4))}/128 -p ipv6-icmp -m statistic --mode random --probability 1.00000000000 -j DROP`);
      expect(await pings(h4, kinds.ip6(h0))).toBe(false);
      const bw = await runCli(['chaos', 'bandwidth', '--rate', '1mbit', '--dev', 'eth0', ...sshArgs(sudoSsh), ...common(), '--detach', '--json']);
      expect(bw.code, bw.stderr).toBe(0);
      expect(lab.sh(h0.ns, ['tc', 'qdisc', 'show', 'dev', 'eth0'])).toMatch(/qdisc tbf 53[0-9a-f]{2}: parent 52[0-9a-f]{2}:2 .*rate 1Mbit/);
      const st = await runCli(['chaos', 'status', '--journal', journal, '--json']);
      expect((JSON.parse(st.stdout) as { faults: Array<{ hosts: Array<{ present: boolean }> }> }).faults.map((f) => f.hosts[0]?.present)).toEqual([true, true, true]);
      const heal = await runCli(['chaos', 'heal', '--journal', journal, '--json']);
      expect(heal.code, heal.stderr).toBe(0);
      expect(kinds.snapshot()).toEqual(before);
      expect(deadmen(h0)).toBe('');
      expect(await pings(h4, h0.ip)).toBe(true);
      expect(await pings(h4, kinds.ip6(h0))).toBe(true);
    });

    it('kill -9 of the CLI, then recover through sudo -n, restores the exact rule set and stops the timer', async () => {
      const [h0, h4] = [host(0), host(4)];
      const cli = startCli(['chaos', 'partition', '--isolate', h4.ip, ...sshArgs(sudoSsh), ...common()]);
      await waitFor(() => lab.sh(h0.ns, ['iptables-save']).includes('RINGSIDE-') && deadmen(h0) !== '', { timeoutMs: 30_000, what: 'the rules and the dead-man timer' });
      cli.kill('SIGKILL');
      await exited(cli);
      const r = await runCli(['chaos', 'recover', ...sshArgs(sudoSsh), ...common(), '--json']);
      expect(r.code, r.stderr).toBe(0);
      const found = JSON.parse(r.stdout) as { hosts: Array<{ chains: string[]; deadmen: string[]; errors: string[] }> };
      expect(found.hosts.map((h) => [h.chains.length, h.deadmen.length, h.errors])).toEqual([[1, 1, []]]);
      expect(kinds.snapshot()).toEqual(before);
      expect(deadmen(h0)).toBe('');
    });
  });

  it('a user without sudo rights gets one line naming what needs privilege (exit 4), and the host is unchanged', async () => {
    const r = await runCli(['chaos', 'partition', '--isolate', host(4).ip, ...sshArgs(noSudoSsh), ...common()]);
    expect(r.code).toBe(4);
    const lines = oneLine(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^ringside: chaos needs root \\(CAP_NET_ADMIN\\) on ${noSudoSsh.target.replace(/[.]/g, '\\.')} to run sh, setsid, iptables or nft: sudo -n refused: sudo: a password is required`));
    expect(kinds.snapshot()).toEqual(before);
    expect(readdirSync(journal)).toEqual([]);
  });

  describe('a host with nft and no iptables', () => {
    it('partition and loss go into table inet ringside; heal deletes exactly that table', async () => {
      const [h2, h4] = [host(2), host(4)];
      const dry = await runCli(['chaos', 'partition', '--isolate', h4.ip, ...sshArgs(nftSsh), ...common(), '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`${nftSsh.target} (nft (no iptables)):`);
      const p = await runCli(['chaos', 'partition', '--isolate', h4.ip, ...sshArgs(nftSsh), ...common(), '--detach', '--json']);
      expect(p.code, p.stderr).toBe(0);
      expect((JSON.parse(p.stdout) as { summary: string }).summary).toBe(`partition isolate ${h4.ip} (nft)`);
      const loss = await runCli(['chaos', 'loss', '--percent', '100', '--via', 'iptables', '--to', kinds.ip6(h4), ...sshArgs(nftSsh), ...common(), '--detach', '--json']);
      const lossy = await runCli(['chaos', 'loss', '--percent', '40', '--via', 'iptables', '--protocol', 'udp', '--port', '7946', ...sshArgs(nftSsh), ...common(), '--detach', '--json']);
      expect(lossy.code, lossy.stderr).toBe(0);
      expect(loss.code, loss.stderr).toBe(0);
      const ruleset = lab.sh(h2.ns, ['nft', 'list', 'table', 'inet', 'ringside']);
      expect(ruleset).toMatch(/iifname != "lo" ip saddr [\d.]+ drop/);
      expect(ruleset).toContain('udp dport 7946 numgen random mod 1000000 < 400000 drop');
      expect(ruleset).toContain(`ip6 saddr ${canonical(kinds.ip6(h4))} drop`);
      // The SSH control connection is accepted first in each chain.
      expect(ruleset).toMatch(/ip saddr [\d.]+ tcp dport 22 accept/);
      expect(await pings(h4, h2.ip)).toBe(false);
      expect(await pings(h4, kinds.ip6(h2))).toBe(false);
      expect(await pings(host(1), h2.ip)).toBe(true);
      const heal = await runCli(['chaos', 'heal', '--journal', journal]);
      expect(heal.code, heal.stderr).toBe(0);
      expect(kinds.snapshot()).toEqual(before);
      expect(await pings(h4, h2.ip)).toBe(true);
    });

    it('kill -9, then recover removes the table and the timer; --firewall iptables there is refused with exit 4', async () => {
      const [h2, h4] = [host(2), host(4)];
      const cli = startCli(['chaos', 'partition', '--isolate', h4.ip, ...sshArgs(nftSsh), ...common()]);
      await waitFor(() => lab.sh(h2.ns, ['nft', 'list', 'ruleset']).includes('table inet ringside') && deadmen(h2) !== '', { timeoutMs: 30_000, what: 'the nft table and the dead-man timer' });
      cli.kill('SIGKILL');
      await exited(cli);
      const r = await runCli(['chaos', 'recover', ...sshArgs(nftSsh), ...common(), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { hosts: Array<{ nftChains: string[] }> }).hosts[0]?.nftChains).toHaveLength(1);
      expect(kinds.snapshot()).toEqual(before);
      expect(deadmen(h2)).toBe('');
      const forced = await runCli(['chaos', 'partition', '--isolate', h4.ip, '--firewall', 'iptables', ...sshArgs(nftSsh), ...common()]);
      expect(forced.code).toBe(4);
      expect(oneLine(forced.stderr)).toEqual([`ringside: iptables is not available on ${nftSsh.target} (nft works there: use --firewall nft (or auto))`]);
      expect(kinds.snapshot()).toEqual(before);
    });
  });

  describe('dual-stack hosts', () => {
    const onAll = () => lab.hosts.flatMap((h) => ['--on', `netns:${h.ns}`]);

    it('halves by both addresses cut IPv4 and IPv6 across (ping and TCP), keep each side whole, and heal restores both', async () => {
      const [a, b, , d] = [host(0), host(1), host(2), host(3)];
      const groups = ['--group', `${a.ip},${kinds.ip6(a)},${b.ip},${kinds.ip6(b)}`, '--group', lab.hosts.slice(2).flatMap((h) => [h.ip, kinds.ip6(h)]).join(',')];
      const r = await runCli(['chaos', 'partition', ...groups, ...onAll(), ...common(), '--detach', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('warning');
      for (const [from, to, open] of [
        [a, kinds.ip6(d), false],
        [a, d.ip, false],
        [d, kinds.ip6(a), false],
        [a, kinds.ip6(b), true],
        [d, kinds.ip6(host(4)), true],
      ] as Array<[LabHost, string, boolean]>) {
        expect(await pings(from, to as string), `ping ${from.name} -> ${to}`).toBe(open);
      }
      // TCP over IPv6: sshd listens on h0..h3's IPv4 only, so a connect over IPv6 is refused (an answer) or dropped (silence).
      expect(await tcpAnswers(b, kinds.ip6(a), 22)).toBe(true);
      expect(await tcpAnswers(d, kinds.ip6(a), 22)).toBe(false);
      expect(lab.sh(a.ns, ['ip6tables-save'])).toContain(`-s ${canonical(kinds.ip6(d))}/128 -d ${canonical(kinds.ip6(a))}/128 ! -i lo -j DROP`);
      const heal = await runCli(['chaos', 'heal', '--journal', journal]);
      expect(heal.code, heal.stderr).toBe(0);
      expect(kinds.snapshot()).toEqual(before);
      expect(await pings(a, kinds.ip6(d))).toBe(true);
      expect(await tcpAnswers(d, kinds.ip6(a), 22)).toBe(true);
    });

    it('groups of IPv4 addresses only on dual-stack hosts: a warning says IPv6 stays open, and it does', async () => {
      const [a, , , d] = [host(0), host(1), host(2), host(3)];
      const r = await runCli(['chaos', 'partition', '--group', `${a.ip},${host(1).ip}`, '--group', `${host(2).ip},${d.ip}`, '--on', `netns:${a.ns}`, '--on', `netns:${d.ns}`, ...common(), '--detach']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`ringside: warning: netns:${a.ns} has a global IPv6 address and the partition names IPv4 addresses only: traffic between the groups over IPv6 is not cut`);
      expect(await pings(a, d.ip)).toBe(false);
      expect(await pings(a, kinds.ip6(d))).toBe(true);
      const heal = await runCli(['chaos', 'heal', '--journal', journal]);
      expect(heal.code, heal.stderr).toBe(0);
      expect(kinds.snapshot()).toEqual(before);
    });
  });

  describe('a host lacking what a fault needs', () => {
    it('a read-only host journal directory, no iptables and no nft, no tc: one line each, exit 4, nothing changed', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['chaos', 'partition', '--isolate', host(4).ip], new RegExp(`^ringside: cannot keep the fault's journal on ${bareSsh.target.replace(/[.]/g, '\\.')}: mkdir: cannot create directory ./run/ringside/chaos.: Read-only file system`)],
        [['chaos', 'partition', '--isolate', host(4).ip, '--host-journal', '/tmp'], new RegExp(`^ringside: neither iptables nor nft is available on ${bareSsh.target.replace(/[.]/g, '\\.')}`)],
        [['chaos', 'bandwidth', '--rate', '1mbit', '--dev', 'eth0', '--host-journal', '/tmp'], new RegExp(`^ringside: tc is not available on ${bareSsh.target.replace(/[.]/g, '\\.')}`)],
      ];
      for (const [args, message] of cases) {
        const r = await runCli([...args, ...sshArgs(bareSsh), ...common()]);
        expect(r.code, args.join(' ')).toBe(4);
        expect(oneLine(r.stderr)[0]).toMatch(message);
        expect(kinds.snapshot()).toEqual(before);
      }
      expect(readdirSync(journal)).toEqual([]);
    });
  });
});
