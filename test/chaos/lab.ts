/**
 * A test lab on the real kernel: network namespaces on a bridge, each with an address, a foreign
 * iptables rule and a foreign ingress qdisc (which ringside must never touch), a real Serf agent,
 * and optionally a real OpenSSH server. Names are unique per run (other agents test on this
 * machine at the same time); `destroy()` stops every process by PID and deletes every namespace
 * and link, and also runs on process exit if a test forgot.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSerfMembers, type SerfMember } from '../../src/sandbox/members.js';
import { isAlive } from '../../src/sandbox/processes.js';
import { sshdConfig } from './host-kinds.js';

export interface LabHost {
  ns: string;
  ip: string;
  name: string;
  serfPid?: number;
}

export interface Lab {
  hosts: LabHost[];
  bridge: string;
  bridgeIp: string;
  dir: string;
  /** `ssh:root@IP` and the -o options that reach the sshd in hosts[sshHost]. */
  ssh?: { target: string; options: string[]; pid: number };
  sh(ns: string, argv: string[]): string;
  /** What must be byte-identical after any fault: iptables-save (without its timestamp comments) and tc qdisc show. */
  snapshot(): string[];
  serfMembers(host: LabHost): SerfMember[];
  destroy(): void;
}

const labs = new Set<() => void>();
let hooked = false;

function run(argv: string[], input?: string): string {
  return execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });
}

function tryRun(argv: string[]): void {
  try {
    run(argv);
  } catch {
    // already gone
  }
}

/** Why the lab cannot run here, or null. */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, iptables)';
  for (const tool of [['ip', '-V'], ['iptables', '-V'], ['tc', '-V'], ['serf', 'version']]) {
    try {
      run(tool);
    } catch {
      return `${tool[0]} is not installed`;
    }
  }
  return null;
}

let netem: boolean | undefined;

/**
 * Whether this kernel has sch_netem, found by trying it: a netem qdisc on the loopback of a
 * throwaway namespace (deleted at once). Root only; the answer is kept for the process.
 */
export function netemInKernel(): boolean {
  if (netem !== undefined) return netem;
  const ns = `rsnetem${process.pid}`;
  try {
    run(['ip', 'netns', 'add', ns]);
    run(['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    run(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']);
    netem = true;
  } catch {
    netem = false;
  } finally {
    tryRun(['ip', 'netns', 'del', ns]);
  }
  return netem;
}

/** A lab suite skips only outside CI; under CI (which is root and installs every tool) it runs and fails with the reason. */
export function skipsWithoutLab(why: string | null): boolean {
  return why !== null && !process.env['CI'];
}

/** First line of a lab suite's beforeAll: under CI, a lab that cannot run here fails the suite, saying why. */
export function requireLab(why: string | null): void {
  if (why !== null) throw new Error(`this suite needs the namespace lab and cannot run here: ${why}`);
}

export interface LabOptions {
  hosts: number;
  serf?: boolean;
  /** Only the first N hosts run a Serf agent (default: all); the others are bare namespaces. */
  serfHosts?: number;
  /** Index of the host that runs sshd. */
  sshHost?: number;
}

export function createLab(o: LabOptions): Lab {
  const id = randomBytes(3).toString('hex');
  const net = `10.${64 + (randomBytes(1)[0] as number) % 160}.${randomBytes(1)[0] as number}`;
  const bridge = `rsb${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'ringside-lab-'));
  const hosts: LabHost[] = Array.from({ length: o.hosts }, (_, i) => ({ ns: `rs${id}n${i}`, ip: `${net}.${10 + i}`, name: `n${i}` }));
  const children: ChildProcess[] = [];
  const pids: number[] = [];
  const destroy = (): void => {
    for (const pid of pids) if (isAlive(pid)) tryRun(['kill', '-KILL', String(pid)]);
    // Anything else still in a lab namespace (a dead-man timer of a failed test) is ours too.
    for (const h of hosts) {
      let inside = '';
      try {
        inside = run(['ip', 'netns', 'pids', h.ns]);
      } catch {
        // namespace already gone
      }
      for (const pid of inside.split('\n').filter((p) => /^\d+$/.test(p))) tryRun(['kill', '-KILL', pid]);
      tryRun(['ip', 'netns', 'del', h.ns]);
    }
    tryRun(['ip', 'link', 'del', bridge]);
    rmSync(dir, { recursive: true, force: true });
    labs.delete(destroy);
  };
  labs.add(destroy);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const d of [...labs]) d();
    });
  }
  const sh = (ns: string, argv: string[]): string => run(['ip', 'netns', 'exec', ns, ...argv]);
  try {
    run(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    run(['ip', 'addr', 'add', `${net}.1/24`, 'dev', bridge]);
    run(['ip', 'link', 'set', bridge, 'up']);
    hosts.forEach((h, i) => {
      const veth = `rs${id}v${i}`;
      run(['ip', 'netns', 'add', h.ns]);
      run(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', `rs${id}p${i}`]);
      run(['ip', 'link', 'set', `rs${id}p${i}`, 'netns', h.ns]);
      run(['ip', 'link', 'set', veth, 'master', bridge, 'up']);
      sh(h.ns, ['ip', 'link', 'set', `rs${id}p${i}`, 'name', 'eth0']);
      sh(h.ns, ['ip', 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0']);
      sh(h.ns, ['ip', 'link', 'set', 'eth0', 'up']);
      sh(h.ns, ['ip', 'link', 'set', 'lo', 'up']);
      sh(h.ns, ['ip', 'route', 'add', 'default', 'via', `${net}.1`]);
      // Somebody else's state that must survive everything ringside does.
      sh(h.ns, ['iptables', '-w', '5', '-A', 'INPUT', '-s', '192.0.2.99', '-m', 'comment', '--comment', 'foreign rule', '-j', 'DROP']);
      sh(h.ns, ['tc', 'qdisc', 'add', 'dev', 'eth0', 'handle', 'ffff:', 'ingress']);
    });
    if (o.serf !== false) {
      const config = join(dir, 'serf.json');
      writeFileSync(config, JSON.stringify({ reconnect_interval: '1s' }));
      hosts.slice(0, o.serfHosts ?? hosts.length).forEach((h, i) => {
        const log = openSync(join(dir, `serf-${h.name}.log`), 'w');
        const join0 = i === 0 ? [] : [`-retry-join=${hosts[0]?.ip}:7946`, '-retry-interval=1s'];
        const child = spawn('ip', ['netns', 'exec', h.ns, 'serf', 'agent', `-node=${h.name}`, `-bind=${h.ip}:7946`, '-rpc-addr=127.0.0.1:7373', `-config-file=${config}`, ...join0, '-log-level=info'], { stdio: ['ignore', log, log], detached: true });
        closeSync(log);
        child.unref();
        children.push(child);
        if (child.pid !== undefined) {
          pids.push(child.pid);
          h.serfPid = child.pid;
        }
      });
    }
    let ssh: Lab['ssh'];
    if (o.sshHost !== undefined) ssh = startSshd(hosts[o.sshHost] as LabHost, dir, pids);
    return {
      hosts,
      bridge,
      bridgeIp: `${net}.1`,
      dir,
      ...(ssh ? { ssh } : {}),
      sh,
      snapshot: () => hosts.flatMap((h) => [`${h.ns}\n${sh(h.ns, ['iptables-save']).replace(/^#.*\n/gm, '')}`, sh(h.ns, ['tc', 'qdisc', 'show'])]),
      serfMembers: (h) => parseSerfMembers(sh(h.ns, ['serf', 'members', '-rpc-addr=127.0.0.1:7373', '-format=json'])),
      destroy,
    };
  } catch (error) {
    destroy();
    throw error;
  }
}

function startSshd(host: LabHost, dir: string, pids: number[]): NonNullable<Lab['ssh']> {
  run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  writeFileSync(join(dir, 'known_hosts'), `${host.ip} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  writeFileSync(join(dir, 'sshd_config'), sshdConfig({ listen: host.ip, hostKey: join(dir, 'host_key'), pidFile: join(dir, 'sshd.pid'), authorizedKeys: join(dir, 'authorized_keys') }));
  run(['mkdir', '-p', '/run/sshd']);
  const log = openSync(join(dir, 'sshd.log'), 'w');
  const child = spawn('ip', ['netns', 'exec', host.ns, '/usr/sbin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new Error('cannot start sshd');
  pids.push(child.pid);
  return {
    target: `ssh:root@${host.ip}`,
    options: [`IdentityFile=${join(dir, 'client_key')}`, `UserKnownHostsFile=${join(dir, 'known_hosts')}`, 'GlobalKnownHostsFile=/dev/null', 'IdentitiesOnly=yes', 'StrictHostKeyChecking=yes'],
    pid: child.pid,
  };
}
