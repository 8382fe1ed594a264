/**
 * createRing: the one entry point to every placement algorithm. Validates options (every
 * mistake is a RingsideError with exit code 2), puts nodes in canonical order and builds.
 */
import { ringError } from '../errors.js';
import { JumpRing } from './jump.js';
import { KETAMA_DEFAULT_POINTS, KetamaRing } from './ketama.js';
import { isPrime, MAGLEV_DEFAULT_TABLE_SIZE, MAGLEV_MAX_TABLE_SIZE, MaglevRing } from './maglev.js';
import { MURMUR3_DEFAULT_TOKENS, Murmur3Ring } from './murmur3.js';
import { MAX_TOKEN, MIN_TOKEN } from './hash/murmur3.js';
import { sortNodesByKey } from './node-order.js';
import { RendezvousRing } from './rendezvous.js';
import { RINGPOP_DEFAULT_POINTS, RINGPOP_HASHES, RingpopRing } from './ringpop.js';
import { ALGORITHMS, type Algorithm, type NodeInput, type Ring, type RingNode, type RingOptions, type RingSettings } from './types.js';

/** The hash each algorithm uses (ringpop's can be chosen). */
export const ALGORITHM_HASH: Record<Algorithm, string> = {
  ringpop: 'fingerprint32',
  ketama: 'md5',
  jump: 'fingerprint64',
  rendezvous: 'xxh64',
  maglev: 'xxh64',
  murmur3: 'murmur3',
};

const WEIGHTED: readonly Algorithm[] = ['ketama', 'rendezvous', 'maglev'];
const MAX_POINTS = 1 << 24;
const MIN_SAMPLES = 100;

export function isAlgorithm(name: string): name is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(name);
}

export function createRing(options: RingOptions): Ring {
  const { algorithm } = options;
  if (!isAlgorithm(algorithm)) {
    throw ringError(`unknown ring algorithm "${String(algorithm)}"`, `use one of ${ALGORITHMS.join(', ')}`);
  }
  const nodes = sortNodesByKey(normalizeNodes(options));
  const settings = resolveSettings(options, nodes.length);
  checkPointBudget(algorithm, settings, nodes);
  switch (algorithm) {
    case 'ringpop':
      return new RingpopRing(nodes, settings);
    case 'ketama':
      return new KetamaRing(nodes, settings);
    case 'jump':
      return new JumpRing(nodes, settings, options.samples);
    case 'rendezvous':
      return new RendezvousRing(nodes, settings, options.samples);
    case 'maglev':
      return new MaglevRing(nodes, settings);
    case 'murmur3':
      return new Murmur3Ring(nodes, settings);
  }
}

function normalizeNodes(options: RingOptions): RingNode[] {
  const { algorithm } = options;
  if (!Array.isArray(options.nodes) || options.nodes.length === 0) {
    throw ringError('the ring has no nodes', 'check the membership file and any --filter');
  }
  const weights = options.weights instanceof Map ? options.weights : new Map(Object.entries(options.weights ?? {}));
  const ids = new Set<string>();
  const keys = new Map<string, string>();
  const nodes = options.nodes.map((input: NodeInput): RingNode => {
    const spec = typeof input === 'string' ? { id: input } : input;
    if (typeof spec.id !== 'string' || spec.id === '') throw ringError('a ring node has an empty name');
    const key = spec.key ?? spec.id;
    if (ids.has(spec.id)) throw ringError(`node "${spec.id}" appears twice`, 'each member must have a distinct name');
    const clash = keys.get(key);
    if (clash !== undefined) {
      throw ringError(`nodes "${clash}" and "${spec.id}" have the same node key "${key}"`, 'choose a --node-key that differs between members');
    }
    ids.add(spec.id);
    keys.set(key, spec.id);
    const weight = weights.get(spec.id) ?? spec.weight ?? 1;
    if (!Number.isFinite(weight) || weight <= 0) {
      throw ringError(`node "${spec.id}" has weight ${String(weight)}`, 'weights must be positive numbers');
    }
    if (weight !== 1 && !WEIGHTED.includes(algorithm)) {
      throw ringError(`--ring ${algorithm} does not support weights (node "${spec.id}" has ${weight})`, `use ${WEIGHTED.join(', ')} for weighted nodes`);
    }
    const node: RingNode = { id: spec.id, key, weight };
    if (spec.tokens !== undefined) {
      if (algorithm !== 'murmur3') throw ringError(`node "${spec.id}" has tokens, which only --ring murmur3 uses`);
      node.tokens = checkTokens(spec.id, spec.tokens);
    }
    return node;
  });
  checkDuplicateTokens(nodes);
  return nodes;
}

function checkTokens(id: string, tokens: readonly bigint[]): bigint[] {
  if (tokens.length === 0) throw ringError(`node "${id}" has an empty token list`);
  for (const token of tokens) {
    if (typeof token !== 'bigint' || token <= MIN_TOKEN || token > MAX_TOKEN) {
      throw ringError(`node "${id}" has token ${String(token)} outside Murmur3Partitioner's range`, `tokens are signed 64-bit integers above ${MIN_TOKEN}`);
    }
  }
  return [...tokens];
}

function checkDuplicateTokens(nodes: readonly RingNode[]): void {
  const owner = new Map<bigint, string>();
  for (const node of nodes) {
    for (const token of node.tokens ?? []) {
      const other = owner.get(token);
      if (other !== undefined) throw ringError(`token ${token} is claimed by both "${other}" and "${node.id}"`, 'every token must belong to one node');
      owner.set(token, node.id);
    }
  }
}

function resolveSettings(options: RingOptions, nodeCount: number): RingSettings {
  const { algorithm } = options;
  const hash = options.hash ?? ALGORITHM_HASH[algorithm];
  if (algorithm === 'ringpop' ? !(RINGPOP_HASHES as readonly string[]).includes(hash) : hash !== ALGORITHM_HASH[algorithm]) {
    const allowed = algorithm === 'ringpop' ? RINGPOP_HASHES.join(' or ') : ALGORITHM_HASH[algorithm];
    throw ringError(`--ring ${algorithm} cannot use --hash ${hash}`, `use ${allowed}`);
  }
  const only = (name: string, value: number | undefined, allowed: readonly Algorithm[]): void => {
    if (value !== undefined && !allowed.includes(algorithm)) throw ringError(`--${name} does not apply to --ring ${algorithm}`, `it applies to ${allowed.join(', ')}`);
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw ringError(`--${name} must be a positive integer, not ${value}`);
  };
  only('vnodes', options.vnodes, ['ringpop', 'ketama']);
  only('table-size', options.tableSize, ['maglev']);
  only('num-tokens', options.numTokens, ['murmur3']);
  only('samples', options.samples, ['jump', 'rendezvous']);

  if (algorithm === 'ketama' && options.vnodes !== undefined && options.vnodes % 4 !== 0) {
    throw ringError(`--vnodes ${options.vnodes} is not a multiple of 4`, 'ketama places 4 points per md5 digest (default 160)');
  }
  if (options.samples !== undefined && options.samples < MIN_SAMPLES) throw ringError(`--samples must be at least ${MIN_SAMPLES}`);
  let tableSize: number | null = null;
  if (algorithm === 'maglev') {
    tableSize = options.tableSize ?? MAGLEV_DEFAULT_TABLE_SIZE;
    if (!isPrime(tableSize) || tableSize > MAGLEV_MAX_TABLE_SIZE) {
      throw ringError(`--table-size ${tableSize} is not a prime below ${MAGLEV_MAX_TABLE_SIZE}`, 'Maglev needs a prime table size, e.g. 65537 or 655373');
    }
    if (tableSize < nodeCount) throw ringError(`--table-size ${tableSize} is smaller than the ${nodeCount} nodes`, 'use a prime at least 100 times the node count');
  }
  const defaultPoints = algorithm === 'ringpop' ? RINGPOP_DEFAULT_POINTS : algorithm === 'ketama' ? KETAMA_DEFAULT_POINTS : null;
  return {
    algorithm,
    hash,
    vnodes: defaultPoints === null ? null : (options.vnodes ?? defaultPoints),
    tableSize,
    numTokens: algorithm === 'murmur3' ? (options.numTokens ?? MURMUR3_DEFAULT_TOKENS) : null,
  };
}

function checkPointBudget(algorithm: Algorithm, settings: RingSettings, nodes: readonly RingNode[]): void {
  const perNode = settings.vnodes ?? (algorithm === 'murmur3' ? (settings.numTokens as number) : 0);
  const total = algorithm === 'murmur3' ? nodes.reduce((sum, node) => sum + (node.tokens?.length ?? perNode), 0) : perNode * nodes.length;
  if (total > MAX_POINTS) {
    throw ringError(`the ring would have ${total} points`, `keep nodes x points under ${MAX_POINTS}`);
  }
}
