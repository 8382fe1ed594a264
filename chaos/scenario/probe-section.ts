/**
 * A scenario's `probe:` section (pure): the same settings as `ringside bench`, written in YAML.
 *
 *   probe:
 *     target: http://{host}:{port}/kv/{key}   # as bench --target
 *     rate: 50                                # requests/s per probe; 0 or max: closed loop
 *     probes: [routing]                       # first-connection, warm, routing (default warm)
 *     connections: 4
 *     keys: 200                               # key-0..key-199, or a list of keys
 *     portTag: http                           # routing: tag with PORT or HOST:PORT
 *     ring: ringpop                           # routing: ring flags (ring, hash, vnodes, nodeKey, weightTag, filter)
 *     nodeKey: tag:http
 *
 * The routing probe takes its members from the run's cluster source (--join, --members, --snapshot).
 */
import { usageError } from '../../src/errors.js';
import { PROBES, type BenchConfig, type ProbeName } from '../../src/probes/types.js';
import type { ClusterRingOptions } from '../../src/cluster/cluster-ring.js';
import { parseDuration } from '../../src/units.js';

export interface ProbeSection {
  config: Omit<BenchConfig, 'durationMs' | 'routing'>;
  /** Routing only: how to place the members and where their HTTP port is. */
  ring: ClusterRingOptions;
  portTag?: string;
}

const KNOWN = ['target', 'rate', 'probes', 'probe', 'connections', 'keys', 'freshKeys', 'workers', 'requestTimeout', 'insecure', 'portTag', 'ring', 'hash', 'vnodes', 'nodeKey', 'weightTag', 'filter', 'tableSize', 'numTokens', 'samples'];

function fail(what: string): never {
  throw usageError(`scenario probe section: ${what}`, 'see chaos/scenarios/service-loss.yaml for the format');
}

const int = (v: unknown, what: string, min: number): number => (typeof v === 'number' && Number.isInteger(v) && v >= min ? v : fail(`${what} must be a whole number of at least ${min}`));
const str = (v: unknown, what: string): string => (typeof v === 'string' && v !== '' ? v : fail(`${what} must be text`));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean));

export function parseProbeSection(raw: unknown): ProbeSection {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('must be a mapping with target, rate and probes');
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!KNOWN.includes(key)) fail(`unknown setting "${key}" (known: ${KNOWN.join(', ')})`);
  const rate = s.rate === 'max' ? 0 : typeof s.rate === 'number' && s.rate >= 0 ? s.rate : fail('rate must be requests per second (or 0/max for as fast as possible)');
  const probes = list(s.probes ?? s.probe ?? ['warm']);
  for (const p of probes) if (!(PROBES as readonly string[]).includes(p)) fail(`${p} is not a probe (use ${PROBES.join(', ')})`);
  const keys = s.keys === undefined ? 1000 : s.keys;
  const config: ProbeSection['config'] = {
    target: str(s.target, 'target'),
    rate,
    probes: [...new Set(probes)] as ProbeName[],
    connections: s.connections === undefined ? 4 : int(s.connections, 'connections', 1),
    keys: Array.isArray(keys) ? keys.map(String) : Array.from({ length: int(keys, 'keys', 1) }, (_, i) => `key-${i}`),
    freshKeys: s.freshKeys === undefined ? true : s.freshKeys === true,
    requestTimeoutMs: s.requestTimeout === undefined ? 5000 : parseDuration(String(s.requestTimeout), 'probe requestTimeout'),
    insecure: s.insecure === true,
  };
  if (s.workers !== undefined) config.workers = int(s.workers, 'workers', 1);
  const ring: ClusterRingOptions = { algorithm: s.ring === undefined ? 'ringpop' : str(s.ring, 'ring') };
  if (s.hash !== undefined) ring.hash = str(s.hash, 'hash');
  if (s.vnodes !== undefined) ring.vnodes = int(s.vnodes, 'vnodes', 1);
  if (s.tableSize !== undefined) ring.tableSize = int(s.tableSize, 'tableSize', 1);
  if (s.numTokens !== undefined) ring.numTokens = int(s.numTokens, 'numTokens', 1);
  if (s.samples !== undefined) ring.samples = int(s.samples, 'samples', 1);
  if (s.nodeKey !== undefined) ring.nodeKey = str(s.nodeKey, 'nodeKey');
  if (s.weightTag !== undefined) ring.weightTag = str(s.weightTag, 'weightTag');
  if (s.filter !== undefined) ring.filters = list(s.filter);
  return { config, ring, ...(s.portTag !== undefined ? { portTag: str(s.portTag, 'portTag') } : {}) };
}
