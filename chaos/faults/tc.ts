/**
 * ringside's tc qdiscs (pure argv builders). A fault owns the root qdisc of one device with a
 * recognisable handle `52XX:` (XX from the fault id), so `recover` finds it by handle and nothing
 * else is touched. ringside refuses a device whose root qdisc is not a kernel default (checked
 * before applying), so deleting its own root qdisc restores exactly the state before.
 */
import type { ControlPath, Step } from './types.js';

/** Root qdisc handles ringside uses: 0x5200..0x52ff ("R"). */
export const HANDLE_MAJOR_PREFIX = '52';

/** A stable handle for a fault id, e.g. `52a7:`. */
export function tcHandle(id: string): string {
  let h = 0x811c9dc5;
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return `${HANDLE_MAJOR_PREFIX}${(h & 0xff).toString(16).padStart(2, '0')}:`;
}

/** The handle of the netem child under a targeted fault's prio root (`53XX:`). */
export function childHandle(handle: string): string {
  return `53${handle.slice(2)}`;
}

/** A guard that exits 0 when `dev` has a root qdisc with `handle` (a constant script; data in $1 $2). */
export function rootQdiscIs(dev: string, handle: string): string[] {
  return ['sh', '-c', 'tc qdisc show dev "$1" root | grep -q "^qdisc [a-z_]* $2 "', 'ringside-guard', dev, handle];
}

/** Kernel default root qdiscs: a device with one of these (handle 0:) is free for ringside. */
export const DEFAULT_ROOT_QDISCS = ['noqueue', 'mq', 'pfifo_fast', 'fq_codel', 'fq', 'pfifo'] as const;

/** Apply/revert of a root qdisc of ours, idempotent by handle. */
export function rootQdiscSteps(dev: string, handle: string, kindArgs: string[]): { apply: Step[]; revert: Step[] } {
  const present = rootQdiscIs(dev, handle);
  const apply: Step[] = [{ unless: present, run: ['tc', 'qdisc', 'add', 'dev', dev, 'root', 'handle', handle, ...kindArgs] }];
  // Deleting the root removes its children and filters with it.
  const revert: Step[] = [{ onlyIf: present, run: ['tc', 'qdisc', 'del', 'dev', dev, 'root', 'handle', handle], repeat: true }];
  return { apply, revert };
}

/**
 * A netem fault: on the whole device as the root qdisc, or (targeted, or with a control path to
 * spare) under a 4-band prio root whose 4th band only filtered traffic reaches.
 */
export function netemSteps(dev: string, handle: string, netemArgs: string[], selectors: string[][], control?: ControlPath): { apply: Step[]; revert: Step[] } {
  if (selectors.length === 0 && !control) return rootQdiscSteps(dev, handle, ['netem', ...netemArgs]);
  const child = childHandle(handle);
  const major = handle.slice(0, -1);
  const filters: string[][] = [];
  if (control) for (const sel of controlSelectors(control)) filters.push(filterArgv(dev, handle, 1, sel, `${major}:1`));
  for (const sel of selectors.length > 0 ? selectors : [['match', 'u32', '0', '0']]) filters.push(filterArgv(dev, handle, 2, sel, `${major}:4`));
  // Filters first, the netem child last: the child's presence then means "all set up already".
  const children = [...filters, ['tc', 'qdisc', 'add', 'dev', dev, 'parent', `${major}:4`, 'handle', child, 'netem', ...netemArgs]];
  const steps = rootQdiscSteps(dev, handle, ['prio', 'bands', '4', 'priomap', ...PRIOMAP]);
  const [root] = steps.apply;
  return { apply: [root as Step, ...children.map((run) => ({ run, unless: hasChild(dev, child) }))], revert: steps.revert };
}

/** The default priomap of pfifo_fast/prio, so bands 1-3 carry what they always did. */
const PRIOMAP = ['1', '2', '2', '2', '1', '2', '0', '0', '1', '1', '1', '1', '1', '1', '1', '1'];

/**
 * One u32 filter. Its protocol follows its selector (`ip`, `ipv6`, or `all` for `match u32 0 0`),
 * and each protocol gets its own priority (prio, prio + 10, prio + 20): tc keeps one filter
 * list per priority and protocol.
 */
function filterArgv(dev: string, handle: string, prio: number, selector: string[], flowid: string): string[] {
  const protocol = selector.includes('ip6') ? 'ipv6' : selector[1] === 'u32' ? 'all' : 'ip';
  const offset = { ip: 0, ipv6: 10, all: 20 }[protocol];
  return ['tc', 'filter', 'add', 'dev', dev, 'parent', handle, 'protocol', protocol, 'prio', String(prio + offset), 'u32', ...selector, 'flowid', flowid];
}

/** Guard: the leaf qdisc set up last exists (then the root, its classes and filters were already set up). */
function hasChild(dev: string, child: string, kind = 'netem'): string[] {
  return ['sh', '-c', 'tc qdisc show dev "$1" | grep -q "^qdisc $3 $2 "', 'ringside-guard', dev, child, kind];
}

/** A rate limit as tbf takes it: rate, bucket, and the longest a packet may wait. */
export interface RateLimit {
  rateBits: number;
  burstBytes: number;
  latencyMs: number;
}

/**
 * A bandwidth limit that spares the control path: an htb root that only classifies. Its default
 * class :2 carries a tbf leaf with the limit (tbf, unlike an htb rate, splits the 64 KB GSO
 * packets of virtual devices to fit its bucket); class :1, which only filtered traffic reaches
 * (the executor's control connection and what `spare` names, as u32 selectors), is not limited.
 */
export function htbSteps(dev: string, handle: string, limit: RateLimit, spared: string[][], control?: ControlPath): { apply: Step[]; revert: Step[] } {
  const major = handle.slice(0, -1);
  const leaf = childHandle(handle);
  const selectors = [...(control ? controlSelectors(control) : []), ...spared];
  // Both classes far above anything the device carries: htb needs a rate, the tbf leaf limits.
  const unlimited = ['htb', 'rate', '100gbit', 'quantum', '60000'];
  const children = [
    ['tc', 'class', 'add', 'dev', dev, 'parent', handle, 'classid', `${major}:1`, ...unlimited],
    ['tc', 'class', 'add', 'dev', dev, 'parent', handle, 'classid', `${major}:2`, ...unlimited],
    ...selectors.map((sel) => filterArgv(dev, handle, 1, sel, `${major}:1`)),
    // The leaf last: its presence means "all set up already".
    ['tc', 'qdisc', 'add', 'dev', dev, 'parent', `${major}:2`, 'handle', leaf, 'tbf', 'rate', `${limit.rateBits}bit`, 'burst', `${limit.burstBytes}b`, 'latency', `${limit.latencyMs}ms`],
  ];
  const steps = rootQdiscSteps(dev, handle, ['htb', 'default', '2']);
  const [root] = steps.apply;
  return { apply: [root as Step, ...children.map((run) => ({ run, unless: hasChild(dev, leaf, 'tbf') }))], revert: steps.revert };
}

/** The controller's connection as it leaves the host: to the controller, from sshd's port. */
function controlSelectors(control: ControlPath): string[][] {
  const ip = control.peerIp.includes(':') ? 'ip6' : 'ip';
  const dst = `${control.peerIp}/${ip === 'ip6' ? 128 : 32}`;
  return [['match', ip, 'dst', dst, 'match', ip, 'protocol', '6', '0xff', 'match', ip, 'sport', String(control.localPort), '0xffff']];
}
