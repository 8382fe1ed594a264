/**
 * Views as members answer them, for the pure view tests: `view('a', 1000, { a: 'alive', b: 'failed' })`
 * is member a's own view at epoch ms 1000. Statuses may carry an incarnation (`'alive@3'`) and tags
 * (`{ status: 'alive', tags: {...} }`).
 */
import type { Member, MemberStatus } from '../../src/cluster/member.js';
import type { MemberView } from '../../src/cluster/observer.js';

type Spec = string | { status: string; tags?: Record<string, string>; vsn?: number[] };

export function member(name: string, spec: Spec): Member {
  const { status: text, tags, vsn } = typeof spec === 'string' ? { status: spec, tags: undefined, vsn: undefined } : spec;
  const [status, inc] = text.split('@') as [MemberStatus, string | undefined];
  return { name, addr: `10.0.0.${name.charCodeAt(name.length - 1)}:7946`, port: 7946, status, nativeStatus: status, incarnation: Number(inc ?? 1), tags: tags ?? {}, protocol: vsn ? { vsn } : {} };
}

export function view(observer: string, at: number, statuses: Record<string, Spec>): MemberView {
  return { observer, addr: `10.0.0.${observer.charCodeAt(observer.length - 1)}:7946`, members: Object.entries(statuses).map(([n, s]) => member(n, s)), ms: 2, at };
}

export function noReply(observer: string, at: number, error = 'timeout'): MemberView {
  return { observer, addr: `10.0.0.${observer.charCodeAt(observer.length - 1)}:7946`, members: null, error, ms: 5000, at };
}

/** Every member alive in every view of `names`, at `at`. */
export function healthyRound(names: readonly string[], at: number, inc = 1): MemberView[] {
  return names.map((o) => view(o, at, Object.fromEntries(names.map((n) => [n, `alive@${inc}`]))));
}
