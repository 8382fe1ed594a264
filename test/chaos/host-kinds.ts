/**
 * The kinds of host staging has, on top of a namespace lab (lab.ts): IPv6 addresses beside the
 * IPv4 ones (dual stack), and OpenSSH servers that let in a deploy user with passwordless sudo, a
 * user without it, or root on a host where some programs do not exist (a private mount namespace
 * around sshd hides them from every session, under sudo too) and some directories are read-only.
 * Users, sudoers files, mount points and processes made here are removed by `destroy()`, which
 * also runs on process exit.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../src/sandbox/processes.js';
import type { Lab, LabHost } from './lab.js';

export interface LabSsh {
  /** `ssh:USER@IP`, as `--on` takes it. */
  target: string;
  /** `-o` options that reach it with the lab's client key. */
  options: string[];
  pid: number;
  user: string;
}

export interface SshdOptions {
  /** root (default), a fresh user with `NOPASSWD: ALL` sudo, or a fresh user without sudo. */
  user?: 'root' | 'sudo' | 'nosudo';
  /** Programs that do not exist for this sshd's sessions (hidden from /usr/sbin and /usr/bin). */
  hide?: string[];
  /** Directories that are read-only for its sessions (an empty read-only tmpfs over each). */
  readOnly?: string[];
}

export interface HostKinds {
  /** Gives every host an IPv6 ULA address beside its IPv4 one, and a foreign ip6tables rule. */
  addIpv6(): void;
  /** A host's IPv6 address (after addIpv6). */
  ip6(host: LabHost): string;
  addSshd(hostIndex: number, options?: SshdOptions): LabSsh;
  /** Per host: iptables-save, ip6tables-save (no timestamps), nft list ruleset, tc qdisc show. */
  snapshot(): string[];
  destroy(): void;
}

/** An sshd_config for a test server: keys only, no PAM, root by key. */
export function sshdConfig(o: { listen: string; hostKey: string; pidFile: string; authorizedKeys: string }): string {
  return [
    'Port 22',
    `ListenAddress ${o.listen}`,
    `HostKey ${o.hostKey}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'StrictModes no',
    'UsePAM no',
    '',
  ].join('\n');
}

function run(argv: string[]): string {
  return execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryRun(argv: string[]): void {
  try {
    run(argv);
  } catch {
    // already gone
  }
}

export function hostKinds(lab: Lab): HostKinds {
  const id = randomBytes(3).toString('hex');
  const pids: number[] = [];
  const users: string[] = [];
  const sudoers: string[] = [];
  const madeDirs: string[] = [];
  let keys: { client: string; hostPub: string } | undefined;
  const ip6s = new Map<string, string>();
  let hooked = false;

  const destroy = (): void => {
    for (const pid of pids) if (isAlive(pid)) tryRun(['kill', '-KILL', String(pid)]);
    pids.length = 0;
    for (const file of sudoers) rmSync(file, { force: true });
    for (const user of users) tryRun(['userdel', '-f', user]);
    for (const dir of madeDirs) {
      try {
        if (readdirSync(dir).length === 0) rmdirSync(dir);
      } catch {
        // gone, or somebody else's now
      }
    }
    users.length = 0;
    sudoers.length = 0;
    madeDirs.length = 0;
  };
  const hook = (): void => {
    if (hooked) return;
    hooked = true;
    process.once('exit', destroy);
  };

  const ensureKeys = (): { client: string; hostPub: string } => {
    if (keys) return keys;
    // sshd reads AuthorizedKeysFile as the user logging in: the lab dir must be readable by it.
    chmodSync(lab.dir, 0o755);
    const client = join(lab.dir, `kinds-client-${id}`);
    const host = join(lab.dir, `kinds-host-${id}`);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', client]);
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', host]);
    const authorized = join(lab.dir, `kinds-authorized-${id}`);
    writeFileSync(authorized, readFileSync(`${client}.pub`));
    chmodSync(authorized, 0o644);
    keys = { client, hostPub: readFileSync(`${host}.pub`, 'utf8') };
    return keys;
  };

  const makeUser = (kind: 'sudo' | 'nosudo'): string => {
    const user = `rs${id}${users.length}`;
    const home = join(lab.dir, `home-${user}`);
    // '*': no password, yet not locked ('!' would make sshd refuse the account).
    run(['useradd', '-M', '-d', home, '-s', '/bin/sh', '-p', '*', user]);
    users.push(user);
    mkdirSync(home, { recursive: true });
    run(['chown', `${user}:`, home]);
    if (kind === 'sudo') {
      const file = `/etc/sudoers.d/${user}`;
      writeFileSync(file, `${user} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
      sudoers.push(file);
      run(['visudo', '-cf', file]);
    }
    return user;
  };

  /** The shell lines, run in sshd's private mount namespace, that hide programs and freeze dirs. */
  const mountScript = (n: number, options: SshdOptions): string[] => {
    const lines: string[] = [];
    for (const [i, dir] of ['/usr/sbin', '/usr/bin'].entries()) {
      const hidden = (options.hide ?? []).filter((p) => existsSync(join(dir, p)));
      if (hidden.length === 0) continue;
      // A view of the directory without the hidden names, whose links point at the real one
      // mounted elsewhere (a link into the directory itself would loop once the view covers it).
      const real = join(lab.dir, `kinds-${n}-real${i}`);
      const view = join(lab.dir, `kinds-${n}-view${i}`);
      mkdirSync(real, { recursive: true });
      mkdirSync(view, { recursive: true });
      for (const name of readdirSync(dir)) if (!hidden.includes(name)) symlinkSync(join(real, name), join(view, name));
      lines.push(`mount --bind ${dir} ${real}`, `mount --bind ${view} ${dir}`);
    }
    for (const dir of options.readOnly ?? []) {
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        madeDirs.push(dir);
      }
      lines.push(`mount -t tmpfs -o ro,size=64k ringside-test ${dir}`);
    }
    return lines;
  };

  return {
    addIpv6() {
      const prefix = `fd${randomBytes(1).toString('hex')}:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
      run(['ip', '-6', 'addr', 'add', `${prefix}::1/64`, 'dev', lab.bridge, 'nodad']);
      lab.hosts.forEach((h, i) => {
        const ip6 = `${prefix}::${(10 + i).toString(16)}`;
        ip6s.set(h.ns, ip6);
        lab.sh(h.ns, ['ip', '-6', 'addr', 'add', `${ip6}/64`, 'dev', 'eth0', 'nodad']);
        lab.sh(h.ns, ['ip6tables', '-w', '5', '-A', 'INPUT', '-s', '2001:db8::99', '-m', 'comment', '--comment', 'foreign rule', '-j', 'DROP']);
      });
    },

    ip6(host) {
      const ip6 = ip6s.get(host.ns);
      if (ip6 === undefined) throw new Error(`${host.name} has no IPv6 address (call addIpv6 first)`);
      return ip6;
    },

    addSshd(hostIndex, options = {}) {
      const host = lab.hosts[hostIndex];
      if (!host) throw new Error(`no host ${hostIndex}`);
      hook();
      const k = ensureKeys();
      const user = options.user === 'sudo' || options.user === 'nosudo' ? makeUser(options.user) : 'root';
      const n = pids.length;
      const hostKey = join(lab.dir, `kinds-host-${id}`);
      const config = join(lab.dir, `kinds-sshd-${n}.conf`);
      writeFileSync(config, sshdConfig({ listen: host.ip, hostKey, pidFile: join(lab.dir, `kinds-sshd-${n}.pid`), authorizedKeys: join(lab.dir, `kinds-authorized-${id}`) }));
      // One known_hosts for every sshd here: ssh takes the first UserKnownHostsFile it is given,
      // and ringside passes its --ssh-option to every host.
      const knownHosts = join(lab.dir, `kinds-known-${id}`);
      appendFileSync(knownHosts, `${host.ip} ${k.hostPub}`);
      run(['mkdir', '-p', '/run/sshd']);
      const script = ['set -e', ...mountScript(n, options), `exec /usr/sbin/sshd -D -e -f ${config}`].join('\n');
      const log = openSync(join(lab.dir, `kinds-sshd-${n}.log`), 'w');
      const child: ChildProcess = spawn('ip', ['netns', 'exec', host.ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', log, log], detached: true });
      closeSync(log);
      child.unref();
      if (child.pid === undefined) throw new Error('cannot start sshd');
      pids.push(child.pid);
      return {
        target: `ssh:${user}@${host.ip}`,
        options: [`IdentityFile=${k.client}`, `UserKnownHostsFile=${knownHosts}`, 'GlobalKnownHostsFile=/dev/null', 'IdentitiesOnly=yes', 'StrictHostKeyChecking=yes'],
        pid: child.pid,
        user,
      };
    },

    snapshot() {
      return lab.hosts.flatMap((h) => [
        `${h.ns}\n${lab.sh(h.ns, ['iptables-save']).replace(/^#.*\n/gm, '')}`,
        lab.sh(h.ns, ['ip6tables-save']).replace(/^#.*\n/gm, ''),
        lab.sh(h.ns, ['nft', 'list', 'ruleset']),
        lab.sh(h.ns, ['tc', 'qdisc', 'show']),
      ]);
    },

    destroy,
  };
}
