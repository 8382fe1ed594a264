/**
 * Rebalance plans: what moves, from where to where, when nodes join or leave (or the membership
 * becomes a target snapshot), in one go or one node at a time as riak-admin stages it.
 */
import { planError } from '../errors.js';
import { createRing } from '../ring/create-ring.js';
import { type Imbalance, imbalanceOf } from '../ring/imbalance.js';
import type { NodeInput, Ring, RingOptions } from '../ring/types.js';
import { diffPartitions, type Transfer } from './diff.js';
import { idealMovedFraction } from './ideal.js';

export interface PlanNode {
  id: string;
  key: string;
  weight: number;
  tokens?: readonly bigint[];
}

export type MembershipChange = { kind: 'add'; node: PlanNode } | { kind: 'remove'; id: string };

export interface PlanOptions {
  /** Ring options without nodes: the same before and after. */
  ring: Omit<RingOptions, 'nodes'>;
  replicas: number;
  before: readonly NodeInput[];
  /** Either a list of changes, or the target membership. */
  changes?: readonly MembershipChange[];
  target?: readonly NodeInput[];
  /** Address of every node, for output. */
  addrs?: ReadonlyMap<string, string>;
  keys?: readonly string[];
  dataBytes?: number;
  stepByStep?: boolean;
}

export interface PlannedTransfer extends Transfer {
  bytes?: number;
}

export interface PlanStep {
  change: string;
  movedFraction: number;
  idealFraction: number;
  transfers: PlannedTransfer[];
  imbalance: Imbalance;
}

export interface PlanResult {
  algorithm: string;
  replicas: number;
  exact: boolean;
  sampleSize: number | null;
  change: { added: string[]; removed: string[]; updated: string[] };
  movedFraction: number;
  idealFraction: number;
  /** movedFraction / idealFraction: 1.0 is what a perfectly balanced placement moves. */
  overIdeal: number | null;
  movedBytes?: number;
  transfers: PlannedTransfer[];
  nodes: { node: string; addr: string | null; before: number; after: number; status: 'kept' | 'added' | 'removed' }[];
  imbalance: { before: Imbalance; after: Imbalance };
  keys?: { key: string; from: string; to: string; before?: string[]; after?: string[] }[];
  keysTotal?: number;
  keysMoved?: number;
  steps?: PlanStep[];
  /** Sum of the steps' movement (can exceed movedFraction: data may move twice). */
  stepsMovedFraction?: number;
}

export function toPlanNode(input: NodeInput): PlanNode {
  return typeof input === 'string' ? { id: input, key: input, weight: 1 } : { id: input.id, key: input.key ?? input.id, weight: input.weight ?? 1, ...(input.tokens ? { tokens: input.tokens } : {}) };
}

function samePlacement(a: PlanNode, b: PlanNode): boolean {
  const tokens = (n: PlanNode): string => (n.tokens ? [...n.tokens].sort().join(',') : '');
  return a.key === b.key && a.weight === b.weight && tokens(a) === tokens(b);
}

interface Stage {
  label: string;
  nodes: PlanNode[];
}

/** The memberships a plan goes through: the start, then one per step (or just the end). */
function stagesOf(options: PlanOptions, before: PlanNode[]): { stages: Stage[]; change: PlanResult['change'] } {
  const ids = new Set(before.map((n) => n.id));
  let adds: PlanNode[] = [];
  let removes: string[] = [];
  let target: PlanNode[] | undefined;
  if (options.target !== undefined) {
    if (options.changes?.length) throw planError('give either a target membership or --add/--remove, not both');
    target = options.target.map(toPlanNode);
    const targetIds = new Set(target.map((n) => n.id));
    adds = target.filter((n) => !ids.has(n.id));
    removes = before.filter((n) => !targetIds.has(n.id)).map((n) => n.id);
  } else {
    for (const change of options.changes ?? []) {
      if (change.kind === 'add') {
        if (ids.has(change.node.id) || adds.some((n) => n.id === change.node.id)) throw planError(`--add ${change.node.id}: that node is already in the ring`);
        adds.push(change.node);
      } else {
        if (!ids.has(change.id)) throw planError(`--remove ${change.id}: no such node in the ring`, 'name a member that takes part in the ring (see ringside ring)');
        if (removes.includes(change.id)) throw planError(`--remove ${change.id} is given twice`);
        removes.push(change.id);
      }
    }
  }
  const updated = target ? target.filter((n) => before.some((b) => b.id === n.id && !samePlacement(b, n))).map((n) => n.id) : [];
  if (adds.length + removes.length + updated.length === 0) throw planError('nothing to plan: the membership does not change', 'give --add, --remove or --to-snapshot');
  const change = { added: adds.map((n) => n.id), removed: removes, updated };
  const end = target ?? [...before.filter((n) => !removes.includes(n.id)), ...adds];
  if (end.length === 0) throw planError('the plan removes every node', 'keep at least one node');
  if (!options.stepByStep) return { stages: [{ label: 'start', nodes: before }, { label: describe(change), nodes: end }], change };

  const stages: Stage[] = [{ label: 'start', nodes: before }];
  let current = before;
  for (const node of adds) {
    current = [...current, node];
    stages.push({ label: `add ${node.id}`, nodes: current });
  }
  for (const id of removes) {
    current = current.filter((n) => n.id !== id);
    if (current.length === 0) throw planError('the plan removes every node', 'keep at least one node');
    stages.push({ label: `remove ${id}`, nodes: current });
  }
  if (updated.length > 0) stages.push({ label: `update ${updated.join(', ')}`, nodes: end });
  return { stages, change };
}

function describe(change: PlanResult['change']): string {
  return [...change.added.map((id) => `add ${id}`), ...change.removed.map((id) => `remove ${id}`), ...(change.updated.length ? [`update ${change.updated.join(', ')}`] : [])].join(', ');
}

function weightsOf(nodes: readonly PlanNode[]): Map<string, number> {
  return new Map(nodes.map((n) => [n.id, n.weight]));
}

function buildRing(options: PlanOptions, nodes: readonly PlanNode[]): Ring {
  return createRing({ ...options.ring, nodes: nodes.map((n) => ({ id: n.id, key: n.key, weight: n.weight, ...(n.tokens ? { tokens: n.tokens } : {}) })) });
}

function withBytes(transfers: Transfer[], dataBytes: number | undefined): PlannedTransfer[] {
  return dataBytes === undefined ? transfers : transfers.map((t) => ({ ...t, bytes: Math.round(t.fraction * dataBytes) }));
}

function compare(before: Ring, after: Ring, replicas: number) {
  return diffPartitions(
    before.partition(replicas),
    after.partition(replicas),
    before.nodes.map((n) => n.id),
    after.nodes.map((n) => n.id),
  );
}

function imbalanceOfRing(ring: Ring): Imbalance {
  return imbalanceOf(
    ring.ownershipReport().shares,
    ring.nodes.map((n) => n.weight),
  );
}

export function planChange(options: PlanOptions): PlanResult {
  const { replicas } = options;
  const before = options.before.map(toPlanNode);
  if (before.length === 0) throw planError('the ring has no nodes', 'check the membership and --filter');
  const { stages, change } = stagesOf(options, before);
  const rings = stages.map((stage) => buildRing(options, stage.nodes));
  for (const ring of rings) {
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > ring.nodes.length) {
      throw planError(`--replicas ${replicas} is impossible with ${ring.nodes.length} nodes`, `use 1 to ${ring.nodes.length}`);
    }
  }
  const first = rings[0] as Ring;
  const last = rings[rings.length - 1] as Ring;
  const endNodes = (stages[stages.length - 1] as Stage).nodes;
  const whole = compare(first, last, replicas);
  const idealFraction = idealMovedFraction(weightsOf(before), weightsOf(endNodes));
  const report = first.ownershipReport();

  const beforeShares = first.ownership();
  const afterShares = last.ownership();
  const addrs = options.addrs ?? new Map<string, string>();
  const added = new Set(change.added);
  const nodes: PlanResult['nodes'] = [
    ...before.map((n) => ({ node: n.id, addr: addrs.get(n.id) ?? null, before: beforeShares.get(n.id) ?? 0, after: afterShares.get(n.id) ?? 0, status: afterShares.has(n.id) ? ('kept' as const) : ('removed' as const) })),
    ...endNodes.filter((n) => added.has(n.id)).map((n) => ({ node: n.id, addr: addrs.get(n.id) ?? null, before: 0, after: afterShares.get(n.id) ?? 0, status: 'added' as const })),
  ];

  const result: PlanResult = {
    algorithm: first.algorithm,
    replicas,
    exact: report.exact,
    sampleSize: report.sampleSize,
    change,
    movedFraction: whole.movedFraction,
    idealFraction,
    overIdeal: idealFraction > 0 ? whole.movedFraction / idealFraction : null,
    transfers: withBytes(whole.transfers, options.dataBytes),
    nodes,
    imbalance: { before: imbalanceOfRing(first), after: imbalanceOfRing(last) },
  };
  if (options.dataBytes !== undefined) result.movedBytes = Math.round(whole.movedFraction * options.dataBytes);
  if (options.keys !== undefined) Object.assign(result, movedKeys(first, last, options.keys, replicas));
  if (options.stepByStep) {
    result.steps = stages.slice(1).map((stage, i) => {
      const diff = compare(rings[i] as Ring, rings[i + 1] as Ring, replicas);
      return {
        change: stage.label,
        movedFraction: diff.movedFraction,
        idealFraction: idealMovedFraction(weightsOf((stages[i] as Stage).nodes), weightsOf(stage.nodes)),
        transfers: withBytes(diff.transfers, options.dataBytes),
        imbalance: imbalanceOfRing(rings[i + 1] as Ring),
      };
    });
    result.stepsMovedFraction = result.steps.reduce((sum, s) => sum + s.movedFraction, 0);
  }
  return result;
}

function movedKeys(before: Ring, after: Ring, keys: readonly string[], replicas: number): Pick<PlanResult, 'keys' | 'keysTotal' | 'keysMoved'> {
  const moved: NonNullable<PlanResult['keys']> = [];
  for (const key of keys) {
    const was = before.owners(key, replicas);
    const now = after.owners(key, replicas);
    const changed = replicas === 1 ? was[0] !== now[0] : was.some((id) => !now.includes(id));
    if (!changed) continue;
    moved.push(replicas === 1 ? { key, from: was[0] as string, to: now[0] as string } : { key, from: was[0] as string, to: now[0] as string, before: was, after: now });
  }
  return { keys: moved, keysTotal: keys.length, keysMoved: moved.length };
}
