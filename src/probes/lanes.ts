/**
 * A lane is one probe inside a worker: it turns "request n, due at t" into a real request on the
 * right connection and records its outcome. Warm and routing lanes send on keep-alive pools;
 * the first-connection lane opens a new connection per request.
 */
import { FirstConnectionSender } from './first-connection.js';
import { requestHead } from './http1-connection.js';
import { ProbeRecorder } from './recorder.js';
import type { ProbeName, RoutingMember } from './types.js';
import { parseTarget, pathFor, type Target } from './url-template.js';
import { WarmPool } from './warm-pool.js';

/** A key's two destinations in the routing probe (indices into the members). */
export interface Route {
  key: string;
  direct: number;
  routed: number;
}

/** What one worker runs (plain data, crosses into the worker thread). */
export interface WorkerPlan {
  worker: number;
  workers: number;
  /**
   * The pacer's spacing and this worker's place in the run's one schedule: global request
   * `sent * stride + offset` (default workers and worker; with `--shard i/N`, workers x N and
   * worker x N + i, so the shards' union is the schedule one process would send).
   */
  stride?: number;
  offset?: number;
  /** This worker's share of the rate (requests per second; 0 = closed loop). */
  rate: number;
  /** The whole run's rate, for the pacer's spacing over workers. */
  totalRate: number;
  durationMs: number;
  /** This worker's connections (per member for routing). */
  connections: number;
  probes: ProbeName[];
  target: string;
  keys: string[];
  freshKeys: boolean;
  runId: string;
  requestTimeoutMs: number;
  insecure: boolean;
  routes?: Route[];
  members?: RoutingMember[];
}

export interface Lane {
  readonly name: ProbeName;
  readonly recorders: ProbeRecorder[];
  prepare(): Promise<void>;
  /** Sends global request `index`, due at `intendedNs`; `done` when it ended either way. */
  submit(index: number, intendedNs: number, done: () => void): void;
  pending(): number;
  sweep(now: number): void;
  close(): void;
}

function isTls(target: Target): boolean {
  return target.protocol === 'https:';
}

export function warmLane(plan: WorkerPlan): Lane {
  const target = parseTarget(plan.target);
  const pool = new WarmPool({ host: target.host, port: target.port, tls: isTls(target), insecure: plan.insecure }, plan.connections, plan.requestTimeoutMs);
  const heads = plan.keys.map((key) => requestHead(target.host, target.port, pathFor(target, key)));
  const recorder = new ProbeRecorder('warm');
  return {
    name: 'warm',
    recorders: [recorder],
    prepare: () => pool.open(),
    submit(index, intendedNs, done) {
      recorder.submitted();
      pool.submit({ head: heads[index % heads.length] as Buffer, intendedNs, recorder, done });
    },
    pending: () => pool.pending,
    sweep: (now) => pool.sweep(now),
    close: () => pool.close(),
  };
}

export function firstConnectionLane(plan: WorkerPlan): Lane {
  const target = parseTarget(plan.target);
  const sender = new FirstConnectionSender({ target, timeoutMs: plan.requestTimeoutMs, insecure: plan.insecure });
  const recorder = new ProbeRecorder('first-connection', true);
  const keyOf = (index: number): string => (plan.freshKeys || plan.keys.length === 0 ? `${plan.runId}-${index}` : (plan.keys[index % plan.keys.length] as string));
  return {
    name: 'first-connection',
    recorders: [recorder],
    prepare: async () => {},
    submit(index, intendedNs, done) {
      recorder.submitted();
      sender.send(pathFor(target, keyOf(index)), intendedNs, recorder, done);
    },
    pending: () => sender.pending,
    sweep: (now) => sender.sweep(now),
    close: () => sender.close(),
  };
}

export function routingLane(plan: WorkerPlan): Lane {
  const routes = plan.routes ?? [];
  const members = plan.members ?? [];
  if (routes.length === 0 || members.length < 2) throw new Error('the routing probe needs routes over at least two members');
  const targets = members.map((m) => parseTarget(plan.target, m.host, m.port));
  const pools = targets.map((t) => new WarmPool({ host: t.host, port: t.port, tls: isTls(t), insecure: plan.insecure }, plan.connections, plan.requestTimeoutMs));
  const heads = routes.map((r) => [requestHead(targets[r.direct]!.host, targets[r.direct]!.port, pathFor(targets[r.direct]!, r.key)), requestHead(targets[r.routed]!.host, targets[r.routed]!.port, pathFor(targets[r.routed]!, r.key))] as const);
  const direct = new ProbeRecorder('routing-direct');
  const routed = new ProbeRecorder('routing-routed');
  return {
    name: 'routing',
    recorders: [direct, routed],
    prepare: () => Promise.all(pools.map((p) => p.open())).then(() => undefined),
    submit(index, intendedNs, done) {
      const pair = Math.floor(index / 2) % routes.length;
      const route = routes[pair] as Route;
      // Half the keys go to their owner first, half to the other member first: a service that
      // loads state on a key's first access then pays those cold loads evenly on both sides,
      // instead of always on the direct one (which would make routing look cheaper than direct).
      const toOwner = (index % 2 === 0) === (pair % 2 === 0);
      const pool = pools[toOwner ? route.direct : route.routed] as WarmPool;
      (toOwner ? direct : routed).submitted();
      pool.submit({ head: (heads[pair] as readonly [Buffer, Buffer])[toOwner ? 0 : 1], intendedNs, recorder: toOwner ? direct : routed, done });
    },
    pending: () => pools.reduce((sum, p) => sum + p.pending, 0),
    sweep: (now) => {
      for (const p of pools) p.sweep(now);
    },
    close: () => {
      for (const p of pools) p.close();
    },
  };
}

export function createLane(name: ProbeName, plan: WorkerPlan): Lane {
  if (name === 'warm') return warmLane(plan);
  if (name === 'first-connection') return firstConnectionLane(plan);
  return routingLane(plan);
}

