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
  if (control) {
    filters.push(filterArgv(dev, handle, '1', ['match', 'ip', 'dst', `${control.peerIp}/32`, 'match', 'ip', 'protocol', '6', '0xff', 'match', 'ip', 'sport', String(control.localPort), '0xffff'], `${major}:1`));
  }
  for (const sel of selectors.length > 0 ? selectors : [['match', 'u32', '0', '0']]) filters.push(filterArgv(dev, handle, '2', sel, `${major}:4`));
  // Filters first, the netem child last: the child's presence then means "all set up already".
  const children = [...filters, ['tc', 'qdisc', 'add', 'dev', dev, 'parent', `${major}:4`, 'handle', child, 'netem', ...netemArgs]];
  const steps = rootQdiscSteps(dev, handle, ['prio', 'bands', '4', 'priomap', ...PRIOMAP]);
  const [root] = steps.apply;
  return { apply: [root as Step, ...children.map((run) => ({ run, unless: hasChild(dev, child) }))], revert: steps.revert };
}

/** The default priomap of pfifo_fast/prio, so bands 1-3 carry what they always did. */
const PRIOMAP = ['1', '2', '2', '2', '1', '2', '0', '0', '1', '1', '1', '1', '1', '1', '1', '1'];

function filterArgv(dev: string, handle: string, prio: string, selector: string[], flowid: string): string[] {
  return ['tc', 'filter', 'add', 'dev', dev, 'parent', handle, 'protocol', 'ip', 'prio', prio, 'u32', ...selector, 'flowid', flowid];
}

/** Guard: the netem child exists (then the root and its filters were already set up). */
function hasChild(dev: string, child: string): string[] {
  return ['sh', '-c', 'tc qdisc show dev "$1" | grep -q "^qdisc netem $2 "', 'ringside-guard', dev, child];
}
