/**
 * What is checked on every host before anything is applied: privilege (root or CAP_NET_ADMIN),
 * iptables and its backend (nf_tables or legacy), the qdisc kinds a tc fault needs (this
 * matters: many kernels, this project's CI included, lack sch_netem), and that the device exists
 * and carries no foreign root qdisc. Each failure is one RingsideError with exit code 4.
 */
import { RingsideError } from '../src/errors.js';
import type { Executor } from './executors/types.js';
import { DEFAULT_ROOT_QDISCS, HANDLE_MAJOR_PREFIX } from './faults/tc.js';
import type { Needs } from './faults/types.js';

export interface HostFacts {
  on: string;
  iptablesBackend?: 'nf_tables' | 'legacy';
  /** Root qdisc per device, as `tc qdisc show` prints its kind and handle. */
  rootQdiscs: Record<string, { kind: string; handle: string }>;
}

const CAP_NET_ADMIN = 12n;

function noCapability(message: string, hint: string): RingsideError {
  return new RingsideError('RS_NO_CAPABILITY', message, hint);
}

export async function checkPrivilege(executor: Executor): Promise<void> {
  const status = await executor.run(['cat', '/proc/self/status']);
  const reason = status.stderr.trim().split('\n')[0] ?? '';
  if (status.code !== 0 && !/sudo|password|permission|not permitted/i.test(reason)) {
    throw new RingsideError('RS_UNREACHABLE', `cannot run commands on ${executor.name}: ${reason || `exit ${status.code}`}`, 'check the target (ip netns list, ssh access)');
  }
  const cap = /^CapEff:\s*([0-9a-f]+)$/m.exec(status.stdout)?.[1];
  if (status.code !== 0 || cap === undefined || ((BigInt(`0x${cap}`) >> CAP_NET_ADMIN) & 1n) === 0n) {
    const why = status.code !== 0 ? (status.stderr.trim().split('\n')[0] ?? 'cannot run commands') : 'no CAP_NET_ADMIN';
    throw new RingsideError('RS_NO_PRIVILEGE', `chaos needs root (CAP_NET_ADMIN) on ${executor.name}: ${why}`, 'run as root, or give the user passwordless sudo there');
  }
}

export async function checkIptables(executor: Executor): Promise<'nf_tables' | 'legacy'> {
  const version = await executor.run(['iptables', '-V']);
  if (version.code !== 0) throw noCapability(`iptables is not available on ${executor.name}`, 'install it there (apt-get install iptables)');
  const backend = version.stdout.includes('nf_tables') ? 'nf_tables' : 'legacy';
  const list = await executor.run(['iptables', '-w', '5', '-n', '-L', 'INPUT']);
  if (list.code !== 0) throw noCapability(`iptables (${backend}) does not work on ${executor.name}: ${list.stderr.trim().split('\n')[0] ?? ''}`, backend === 'nf_tables' ? 'the kernel needs nf_tables, or switch to iptables-legacy' : 'the kernel needs ip_tables');
  return backend;
}

/** Argv answering `yes`, `no` or `unknown`: is qdisc kind $1 (config name $2) in the kernel? */
export function qdiscProbeArgv(kind: string): string[] {
  const config = `CONFIG_NET_SCH_${kind.toUpperCase()}`;
  return [
    'sh',
    '-c',
    'if [ -d "/sys/module/sch_$1" ]; then echo yes; elif [ -r /proc/config.gz ]; then if zcat /proc/config.gz | grep -q "^$2=[ym]"; then echo yes; else echo no; fi; elif modinfo "sch_$1" >/dev/null 2>&1; then echo yes; else echo unknown; fi',
    'ringside-probe',
    kind,
    config,
  ];
}

export async function checkQdisc(executor: Executor, kind: string): Promise<void> {
  const probe = await executor.run(qdiscProbeArgv(kind));
  if (probe.stdout.trim() === 'no') {
    const hint = kind === 'netem' ? 'this kernel cannot shape with netem; for loss use --via iptables (delay, duplicate, reorder and corrupt need a kernel with sch_netem)' : `use a kernel with sch_${kind}`;
    throw noCapability(`the kernel on ${executor.name} has no sch_${kind} (tc ${kind})`, hint);
  }
}

/** The default-route device, e.g. `eth0`. */
export async function defaultDevice(executor: Executor): Promise<string> {
  const route = await executor.run(['ip', '-4', 'route', 'show', 'default']);
  const dev = /\bdev\s+(\S+)/.exec(route.stdout)?.[1];
  if (route.code !== 0 || dev === undefined) throw new RingsideError('RS_USAGE', `cannot tell the network device of ${executor.name} (no default route)`, 'pass --dev IFACE');
  return dev;
}

export async function rootQdisc(executor: Executor, dev: string): Promise<{ kind: string; handle: string }> {
  const show = await executor.run(['tc', 'qdisc', 'show', 'dev', dev, 'root']);
  if (show.code !== 0) throw new RingsideError('RS_USAGE', `device ${dev} does not exist on ${executor.name}`, 'pass --dev IFACE (see ip link)');
  const m = /^qdisc\s+(\S+)\s+(\S+)/m.exec(show.stdout);
  return m ? { kind: m[1] as string, handle: m[2] as string } : { kind: 'noqueue', handle: '0:' };
}

/** Refuses a device whose root qdisc is neither a kernel default nor this very fault's. */
export async function checkDevice(executor: Executor, dev: string, ownHandle: string): Promise<void> {
  const root = await rootQdisc(executor, dev);
  if (root.handle === ownHandle) return;
  if (root.handle.startsWith(HANDLE_MAJOR_PREFIX) && root.handle.length === 5) {
    throw new RingsideError('RS_USAGE', `${dev} on ${executor.name} already carries another ringside fault (${root.kind} ${root.handle})`, 'heal it first: ringside chaos heal, or chaos recover');
  }
  if (root.handle !== '0:' || !(DEFAULT_ROOT_QDISCS as readonly string[]).includes(root.kind)) {
    throw noCapability(`${dev} on ${executor.name} has a root qdisc of its own (${root.kind} ${root.handle}); ringside will not replace it`, 'remove it, or choose another --dev');
  }
}

/** Every check a plan's needs call for, on one host. */
export async function checkHost(executor: Executor, needs: Needs, ownHandle: string): Promise<HostFacts> {
  await checkPrivilege(executor);
  const facts: HostFacts = { on: executor.name, rootQdiscs: {} };
  if (needs.iptables) facts.iptablesBackend = await checkIptables(executor);
  for (const kind of needs.qdiscs ?? []) await checkQdisc(executor, kind);
  for (const dev of needs.devices ?? []) {
    await checkDevice(executor, dev, ownHandle);
    facts.rootQdiscs[dev] = await rootQdisc(executor, dev);
  }
  return facts;
}
