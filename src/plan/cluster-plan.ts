/**
 * Plans for a cluster membership: turns `--add` / `--remove` / `--to-snapshot` into ring nodes
 * with the same selection rules as the ring itself, then plans the change.
 */
import { formatHostPort, type Member, parseHostPort, staticMember } from '../cluster/member.js';
import { parseMembers } from '../cluster/members-file.js';
import type { MembershipSnapshot } from '../cluster/snapshot.js';
import { planError } from '../errors.js';
import { type ClusterRingOptions, ringMembershipOf, ringSettingsOf } from '../cluster/cluster-ring.js';
import type { NodeInput } from '../ring/types.js';
import { type MembershipChange, type PlanResult, planChange, toPlanNode } from './plan.js';

export interface ClusterPlanOptions {
  current: MembershipSnapshot;
  ring: ClusterRingOptions;
  replicas: number;
  /** Members to add (see parseAddedMember). */
  add?: readonly Member[];
  /** Members to remove, by name or HOST:PORT. */
  remove?: readonly string[];
  target?: MembershipSnapshot;
  keys?: readonly string[];
  dataBytes?: number;
  stepByStep?: boolean;
}

/** `--add` accepts `HOST:PORT`, `NAME=HOST:PORT`, or a member-file line `HOST:PORT [NAME] [TAG=VALUE...]`. */
export function parseAddedMember(text: string): Member {
  const named = /^([^=\s]+)=(\S+)$/.exec(text.trim());
  if (named) {
    const hostPort = parseHostPort(named[2] as string);
    if (hostPort) return staticMember(named[1] as string, hostPort);
  }
  try {
    const [member, ...rest] = parseMembers(text, '--add');
    if (member && rest.length === 0) return member;
  } catch {
    // fall through to one clear message
  }
  throw planError(`--add ${text} is not HOST:PORT, NAME=HOST:PORT or "HOST:PORT [NAME] [TAG=VALUE...]"`);
}

export function planClusterChange(options: ClusterPlanOptions): PlanResult {
  if (options.target && ((options.add?.length ?? 0) > 0 || (options.remove?.length ?? 0) > 0)) {
    throw planError('give either --to-snapshot or --add/--remove, not both');
  }
  const before = ringMembershipOf(options.current, options.ring);
  const addrs = new Map(before.addrs);
  const byName = new Map(options.current.members.map((m) => [m.name, m]));
  const byAddr = new Map(options.current.members.map((m) => [m.addr, m]));

  const changes: MembershipChange[] = [];
  for (const member of options.add ?? []) {
    if (byName.has(member.name)) throw planError(`--add ${member.name}: a member with that name already exists`);
    const clash = byAddr.get(member.addr);
    if (clash) throw planError(`--add ${member.addr}: member "${clash.name}" already has that address`);
    const selected = ringMembershipOf({ ...options.current, members: [member] }, options.ring);
    changes.push({ kind: 'add', node: toPlanNode(selected.nodes[0] as NodeInput) });
    addrs.set(member.name, member.addr);
  }
  for (const text of options.remove ?? []) {
    const hostPort = parseHostPort(text);
    const member = byName.get(text) ?? (hostPort ? byAddr.get(formatHostPort(hostPort)) : undefined);
    if (!member) throw planError(`--remove ${text}: no such member`, 'name a member by name or HOST:PORT (see ringside ring)');
    const why = before.excluded.find((e) => e.name === member.name);
    if (why) throw planError(`--remove ${text}: "${member.name}" is not in the ring (${why.reason}), so removing it moves nothing`);
    changes.push({ kind: 'remove', id: member.name });
  }

  let target: NodeInput[] | undefined;
  if (options.target) {
    const after = ringMembershipOf(options.target, options.ring);
    for (const [name, addr] of after.addrs) if (!addrs.has(name)) addrs.set(name, addr);
    target = after.nodes;
  }
  return planChange({
    ring: ringSettingsOf(options.ring),
    replicas: options.replicas,
    before: before.nodes,
    ...(target ? { target } : { changes }),
    addrs,
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.dataBytes !== undefined ? { dataBytes: options.dataBytes } : {}),
    ...(options.stepByStep ? { stepByStep: true } : {}),
  });
}
