/**
 * Which members take part in the ring, and how each is placed on it.
 *
 * - alive and suspect members take part (a suspect node still owns its keys until it is
 *   declared failed); failed and left members do not;
 * - members tagged `ringside=observer` (ringside itself in member mode) never take part;
 * - `--filter TAG=VALUE` keeps only members carrying all the given tags;
 * - `--node-key addr|name|tag:NAME` is the string hashed to place the node (default: addr for
 *   ringpop, which places servers by address, name otherwise); for the ringpop algorithm, `addr`
 *   is where ringpop itself places the member: a ringpop-go member with an identity label is
 *   placed by that identity (src/ring/ringpop.ts);
 * - `--weight-tag NAME` reads weights from a tag; murmur3 reads tokens from the `tokens` tag.
 */
import { ringError, usageError } from '../errors.js';
import { RINGPOP_IDENTITY_LABEL, ringpopPlacementKey } from '../ring/ringpop.js';
import type { Algorithm, NodeInput } from '../ring/types.js';
import type { Member } from './member.js';

export const OBSERVER_TAG = 'ringside';
export const OBSERVER_TAG_VALUE = 'observer';
export const TOKENS_TAG = 'tokens';

export type NodeKeySpec = { kind: 'addr' } | { kind: 'name' } | { kind: 'tag'; tag: string };

export interface RingMemberOptions {
  algorithm: Algorithm;
  nodeKey?: NodeKeySpec;
  /** TAG=VALUE pairs a member must all carry. */
  filters?: ReadonlyMap<string, string>;
  weightTag?: string;
}

export interface RingMembership {
  nodes: NodeInput[];
  /** Address of every ring node, by node id (name). */
  addrs: Map<string, string>;
  /** Members left out, and why. */
  excluded: { name: string; reason: string }[];
}

export function parseNodeKey(text: string): NodeKeySpec {
  if (text === 'addr' || text === 'name') return { kind: text };
  if (text.startsWith('tag:') && text.length > 4) return { kind: 'tag', tag: text.slice(4) };
  throw usageError(`--node-key ${text} is not addr, name or tag:NAME`);
}

export function parseFilters(pairs: readonly string[]): Map<string, string> {
  const filters = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--filter ${pair} is not TAG=VALUE`);
    filters.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return filters;
}

export function defaultNodeKey(algorithm: Algorithm): NodeKeySpec {
  return algorithm === 'ringpop' ? { kind: 'addr' } : { kind: 'name' };
}

function exclusionReason(member: Member, filters: ReadonlyMap<string, string> | undefined): string | undefined {
  if (member.tags[OBSERVER_TAG] === OBSERVER_TAG_VALUE) return 'ringside observer';
  if (member.status === 'failed' || member.status === 'left') return member.status;
  for (const [tag, value] of filters ?? []) {
    if (member.tags[tag] !== value) return `filter ${tag}=${value}`;
  }
  return undefined;
}

function nodeKeyOf(member: Member, spec: NodeKeySpec, algorithm: Algorithm): string {
  if (spec.kind === 'addr') return algorithm === 'ringpop' ? ringpopPlacementKey(member.addr, member.tags[RINGPOP_IDENTITY_LABEL]) : member.addr;
  if (spec.kind === 'name') return member.name;
  const value = member.tags[spec.tag];
  if (value === undefined || value === '') throw ringError(`member "${member.name}" has no tag "${spec.tag}" for --node-key tag:${spec.tag}`, 'tag every member or choose another --node-key');
  return value;
}

/** Parses a comma-separated token list (`nodetool ring` order does not matter). */
export function parseTokens(text: string, member: string): bigint[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      if (!/^-?\d+$/.test(t)) throw ringError(`member "${member}" has token "${t}" that is not a signed 64-bit integer`);
      return BigInt(t);
    });
}

export function selectRingMembers(members: readonly Member[], options: RingMemberOptions): RingMembership {
  const spec = options.nodeKey ?? defaultNodeKey(options.algorithm);
  const nodes: NodeInput[] = [];
  const addrs = new Map<string, string>();
  const excluded: { name: string; reason: string }[] = [];
  for (const member of members) {
    const reason = exclusionReason(member, options.filters);
    if (reason !== undefined) {
      excluded.push({ name: member.name, reason });
      continue;
    }
    const node: { id: string; key: string; weight?: number; tokens?: bigint[] } = { id: member.name, key: nodeKeyOf(member, spec, options.algorithm) };
    if (options.weightTag !== undefined) {
      const raw = member.tags[options.weightTag];
      const weight = raw === undefined ? Number.NaN : Number(raw);
      if (!Number.isFinite(weight) || weight <= 0) {
        throw ringError(`member "${member.name}" has ${raw === undefined ? 'no' : `weight "${raw}" in`} tag "${options.weightTag}"`, 'every member needs a positive number in the --weight-tag tag');
      }
      node.weight = weight;
    }
    const tokens = member.tags[TOKENS_TAG];
    if (options.algorithm === 'murmur3' && tokens !== undefined) node.tokens = parseTokens(tokens, member.name);
    nodes.push(node);
    addrs.set(member.name, member.addr);
  }
  if (nodes.length === 0) {
    throw ringError(`no member can take part in the ring (${members.length} members, ${excluded.length} excluded)`, 'check member statuses and --filter');
  }
  return { nodes, addrs, excluded };
}
