/**
 * What is checked on every host before anything is applied: privilege (root or CAP_NET_ADMIN),
 * the packet filter (iptables with its back end, or nft alone) and IPv6, the qdisc kinds a tc fault needs (this
 * matters: many kernels, this project's CI included, lack sch_netem), and that the device exists
 * and carries no foreign root qdisc. Each failure is one RingsideError with exit code 4.
 */
import { RingsideError } from '../src/errors.js';
import type { Executor } from './executors/types.js';
import { DEFAULT_ROOT_QDISCS, HANDLE_MAJOR_PREFIX } from './faults/tc.js';
import type { Firewall, Needs } from './faults/types.js';

export interface HostFacts {
  on: string;
  /** Root qdisc per device, as `tc qdisc show` prints its kind and handle. */
  rootQdiscs: Record<string, { kind: string; handle: string }>;
}

const CAP_NET_ADMIN = 12n;

function noCapability(message: string, hint: string): RingsideError {
  return new RingsideError('RS_NO_CAPABILITY', message, hint);
}

/**
 * Root, or CAP_NET_ADMIN, through the executor's own privilege (sudo -n when not root). A refusal
 * names the commands the fault would run with that privilege.
 */
export async function checkPrivilege(executor: Executor, programs: readonly string[] = []): Promise<void> {
  const status = await executor.run(['cat', '/proc/self/status']);
  const reason = status.stderr.trim().split('\n')[0] ?? '';
  if (status.code !== 0 && !/sudo|password|permission|not permitted/i.test(reason)) {
    throw new RingsideError('RS_UNREACHABLE', `cannot run commands on ${executor.name}: ${reason || `exit ${status.code}`}`, 'check the target (ip netns list, ssh access)');
  }
  const cap = /^CapEff:\s*([0-9a-f]+)$/m.exec(status.stdout)?.[1];
  if (status.code !== 0 || cap === undefined || ((BigInt(`0x${cap}`) >> CAP_NET_ADMIN) & 1n) === 0n) {
    const why = status.code !== 0 ? `${executor.wrap(['cat', '/proc/self/status']).some((w) => w === 'sudo' || w.startsWith('sudo -n ')) ? 'sudo -n refused: ' : ''}${status.stderr.trim().split('\n')[0] ?? 'cannot run commands'}` : 'no CAP_NET_ADMIN';
    const what = programs.length > 0 ? ` to run ${programs.join(', ')}` : '';
    throw new RingsideError('RS_NO_PRIVILEGE', `chaos needs root (CAP_NET_ADMIN) on ${executor.name}${what}: ${why}`, 'run as root, or give the user passwordless sudo there (NOPASSWD; ringside never types a password)');
  }
}

/** Argv printing each of its arguments that is not a command on the host (a constant script). */
export function missingToolsArgv(tools: readonly string[]): string[] {
  return ['sh', '-c', 'for t in "$@"; do command -v "$t" >/dev/null 2>&1 || echo "$t"; done', 'ringside-tools', ...tools];
}

const PACKAGE_OF: Record<string, string> = { tc: 'iproute2', ip: 'iproute2', setsid: 'util-linux', iptables: 'iptables', nft: 'nftables' };

/** The tools a fault runs, all present on the host (with the executor's privilege and PATH). */
export async function checkTools(executor: Executor, tools: readonly string[]): Promise<void> {
  const result = await executor.run(missingToolsArgv(tools));
  const missing = result.stdout.split('\n').filter((t) => tools.includes(t));
  if (result.code !== 0 || missing.length === 0) return;
  const packages = [...new Set(missing.map((t) => PACKAGE_OF[t] ?? t))];
  throw noCapability(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not available on ${executor.name}`, `install ${packages.join(', ')} there`);
}

/** The host journal's directory exists (or can be made) and takes files. */
export async function checkJournalDir(executor: Executor, dir: string): Promise<void> {
  const result = await executor.run(['sh', '-c', 'mkdir -p "$1" 2>&1 && test -w "$1" || { echo "$1 is not writable"; exit 1; }', 'ringside-journal-check', dir]);
  if (result.code === 0) return;
  const reason = (result.stdout.trim() || result.stderr.trim()).split('\n')[0] ?? '';
  throw noCapability(`cannot keep the fault's journal on ${executor.name}: ${reason}`, 'the host journal (what the dead-man timer and recover undo) needs a writable directory: pass --host-journal DIR');
}

/** What a host filters packets with, and how ringside will write its rules there. */
export interface FirewallFacts {
  firewall: Firewall;
  /** For people: `iptables (nf_tables)`, `iptables (legacy), nft has 1 table of its own`, `nft (no iptables)`. */
  label: string;
  /** The host has IPv6 (and ip6tables works, when the firewall is iptables). */
  ipv6: boolean;
  /** The host has a global IPv6 address (a cluster may talk over it). */
  ipv6Global: boolean;
}

/**
 * One round trip that tells what the host has: each line `NAME=VALUE` (a constant script, run
 * with the executor's privilege, so it sees the PATH the rules will run with).
 */
export const FIREWALL_PROBE_ARGV = [
  'sh',
  '-c',
  [
    'if command -v iptables >/dev/null 2>&1; then echo "iptables=$(iptables -V 2>&1 | head -n 1)"; iptables -w 5 -n -L INPUT >/dev/null 2>&1 && echo iptables_works=yes; else echo iptables=none; fi',
    'if command -v ip6tables >/dev/null 2>&1 && ip6tables -w 5 -n -L INPUT >/dev/null 2>&1; then echo ip6tables_works=yes; fi',
    'if command -v nft >/dev/null 2>&1; then if t=$(nft list tables 2>/dev/null); then echo nft=works; echo "nft_tables=$(printf "%s\\n" "$t" | grep -c "^table" )"; echo "nft_own=$(printf "%s\\n" "$t" | grep -c "^table inet ringside$")"; else echo nft=broken; fi; else echo nft=none; fi',
    'if [ -e /proc/net/if_inet6 ]; then echo ipv6=yes; ip -6 addr show scope global 2>/dev/null | grep -q inet6 && echo ipv6_global=yes; fi',
    'exit 0',
  ].join('\n'),
  'ringside-firewall',
];

/** Chooses the firewall from the probe's output (pure). */
export function chooseFirewall(on: string, probe: string, prefer?: Firewall): FirewallFacts {
  const fact = (name: string): string | undefined => new RegExp(`^${name}=(.*)$`, 'm').exec(probe)?.[1];
  const iptablesVersion = fact('iptables');
  const iptablesWorks = fact('iptables_works') === 'yes';
  const nft = fact('nft');
  const ipv6Kernel = fact('ipv6') === 'yes';
  const ipv6Global = fact('ipv6_global') === 'yes';
  const foreignTables = Math.max(0, Number(fact('nft_tables') ?? 0) - Number(fact('nft_own') ?? 0));
  const backend = iptablesVersion?.includes('nf_tables') ? 'nf_tables' : 'legacy';
  const hasIptables = iptablesVersion !== undefined && iptablesVersion !== 'none';
  if (prefer !== 'nft' && hasIptables && iptablesWorks) {
    // iptables-legacy beside an nft ruleset: both filter every packet, but neither lists the other's rules.
    const beside = backend === 'legacy' && nft === 'works' && foreignTables > 0 ? `, beside nft with ${foreignTables} table${foreignTables === 1 ? '' : 's'} of its own (rules in one are not listed by the other)` : '';
    return { firewall: 'iptables', label: `iptables (${backend})${beside}`, ipv6: ipv6Kernel && fact('ip6tables_works') === 'yes', ipv6Global };
  }
  if (prefer === 'iptables') {
    throw noCapability(hasIptables ? `iptables (${backend}) does not work on ${on}` : `iptables is not available on ${on}`, nft === 'works' ? 'nft works there: use --firewall nft (or auto)' : backend === 'nf_tables' ? 'the kernel needs nf_tables' : 'install iptables there');
  }
  if (nft === 'works') return { firewall: 'nft', label: hasIptables ? `nft (iptables ${backend} does not work)` : 'nft (no iptables)', ipv6: ipv6Kernel, ipv6Global };
  if (prefer === 'nft') throw noCapability(`nft ${nft === 'broken' ? 'does not work' : 'is not available'} on ${on}`, nft === 'broken' ? 'the kernel needs nf_tables' : 'install nftables there, or use --firewall iptables');
  if (hasIptables) throw noCapability(`iptables (${backend}) does not work on ${on}, and nft ${nft === 'broken' ? 'does not work either' : 'is not there'}`, backend === 'nf_tables' ? 'the kernel needs nf_tables' : 'the kernel needs ip_tables, or switch to iptables-nft');
  throw noCapability(`neither iptables nor nft is available on ${on}`, 'install nftables (or iptables) there');
}

export async function detectFirewall(executor: Executor, prefer?: Firewall): Promise<FirewallFacts> {
  const probe = await executor.run(FIREWALL_PROBE_ARGV);
  if (probe.code !== 0) {
    await checkPrivilege(executor);
    throw noCapability(`cannot tell what filters packets on ${executor.name}: ${probe.stderr.trim().split('\n')[0] ?? `exit ${probe.code}`}`, 'check that sh works there');
  }
  return chooseFirewall(executor.name, probe.stdout, prefer);
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

/** Every check a plan's needs call for, on one host (its privilege was checked before planning). */
export async function checkHost(executor: Executor, needs: Needs, ownHandle: string): Promise<HostFacts> {
  const facts: HostFacts = { on: executor.name, rootQdiscs: {} };
  if (needs.firewall !== undefined) {
    const found = await detectFirewall(executor, needs.firewall);
    if (needs.ipv6 && needs.firewall === 'iptables' && !found.ipv6) throw noCapability(`ip6tables does not work on ${executor.name} (the fault names IPv6 addresses)`, 'install ip6tables there, or enable IPv6 in its kernel');
  }
  for (const kind of needs.qdiscs ?? []) await checkQdisc(executor, kind);
  for (const dev of needs.devices ?? []) {
    await checkDevice(executor, dev, ownHandle);
    facts.rootQdiscs[dev] = await rootQdisc(executor, dev);
  }
  return facts;
}
