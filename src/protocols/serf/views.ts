/**
 * Whom a Serf/memberlist observer asks for views, and what one member's reply says. Every member
 * that has not left is asked (alive, suspect, failed and reaped alike: during a partition the
 * members the other side declared dead are the ones most worth asking), and every seed.
 */
import { formatHostPort, type HostPort } from '../../cluster/member.js';
import type { MemberView, ViewTarget } from '../../cluster/observer.js';
import { exchangeFailure, type RemoteView } from './exchange.js';
import { type Flavour, ipString, MembershipTable } from './membership.js';

/** Members that have not left (by name, with an address), then the seeds no member is known at. */
export function serfViewTargets(table: MembershipTable, seeds: readonly HostPort[], self?: string): ViewTarget[] {
  const byAddr = new Map<string, ViewTarget>();
  for (const name of table.names()) {
    const record = table.record(name);
    if (!record || name === self || table.statusOf(record).status === 'left') continue;
    const host = ipString(record.addr);
    // Known by name only (memberlist forgot its address): still a target, whose ask fails at once.
    const addr = host ? formatHostPort({ host, port: record.port }) : '';
    const key = addr || `name:${name}`;
    if (!byAddr.has(key)) byAddr.set(key, { name, addr, seed: false });
  }
  for (const seed of seeds) {
    const addr = formatHostPort(seed);
    const known = byAddr.get(addr);
    if (known) known.seed = true;
    else byAddr.set(addr, { name: addr, addr, seed: true });
  }
  return [...byAddr.values()];
}

/** The name of the member that sent `view`: the node listed at the address we asked. */
function replierName(target: ViewTarget, view: RemoteView): string {
  if (target.name !== target.addr) return target.name;
  const own = view.pushPull.nodes.find((n) => formatHostPort({ host: ipString(n.addr), port: n.port }) === target.addr);
  return own?.name ?? target.name;
}

/** One member's own view from its push-pull reply (its state alone, merged by the same rules). */
export function viewOfReply(target: ViewTarget, view: RemoteView, flavour: Flavour, startedAt: number, at = Date.now()): MemberView {
  const own = new MembershipTable(flavour);
  own.applyView(view.pushPull, view.serf);
  return { observer: replierName(target, view), addr: target.addr, members: own.members(), ms: at - startedAt, at };
}

/** Asks one target with `exchange`; a failure becomes a view with `members: null` and the error line. */
export async function askSerfView(target: ViewTarget, flavour: Flavour, exchange: (target: HostPort) => Promise<RemoteView>): Promise<MemberView> {
  const startedAt = Date.now();
  if (target.addr === '') {
    const error = `${target.name}: no address known (memberlist forgets a failed member's address 30 s after it failed; Serf keeps only its name) (pass one of its addresses with --join to ask it)`;
    return { observer: target.name, addr: '', members: null, error, ms: 0, at: startedAt };
  }
  const [host, port] = splitAddr(target.addr);
  try {
    return viewOfReply(target, await exchange({ host, port }), flavour, startedAt);
  } catch (error) {
    const at = Date.now();
    return { observer: target.name, addr: target.addr, members: null, error: exchangeFailure(target.addr, error).line, ms: at - startedAt, at };
  }
}

function splitAddr(addr: string): [string, number] {
  const colon = addr.lastIndexOf(':');
  const host = addr.slice(0, colon).replace(/^\[|\]$/g, '');
  return [host, Number(addr.slice(colon + 1))];
}
