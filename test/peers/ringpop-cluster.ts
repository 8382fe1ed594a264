/**
 * Real ringpop 10.21.0 nodes for tests: `startRingpopCluster()` starts N nodes (test/peers/ringpop/
 * node.cjs, or ringpop-go's test/peers/ringpop-go with `peer: 'ringpop-go'`; one child process
 * each) on free loopback ports, waits until every node sees all N
 * alive with one membership checksum, and hands back each node's own view through its
 * in-process query channel (stdin/stdout of the node, not TChannel, so ringside's client is
 * never used to check ringside).
 *
 * Call `stop()` in afterAll or finally: it kills every node by PID even when a test failed
 * half-way. As a last resort, nodes of clusters never stopped are SIGKILLed when the test
 * process exits (and each node exits by itself when its stdin closes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../support/wait.js';
import { builtPeer } from './built.js';

const launcher = fileURLToPath(new URL('./ringpop/node.cjs', import.meta.url));

export interface RingpopMemberInfo {
  address: string;
  status: string;
  incarnationNumber: number;
  /** ringpop-go only: the member's labels (`__identity` among them when it has an identity). */
  labels?: Record<string, string>;
}

export interface RingpopNode {
  address: string;
  pid: number;
  process: ChildProcess;
  /** The node's own membership, straight from its objects. */
  members(): Promise<{ checksum: number; members: RingpopMemberInfo[] }>;
  /** ringpop.lookup(key) for each key, on this node. */
  lookup(keys: string[]): Promise<string[]>;
  /** ringpop-go only: LookupN(key, n) for each key, on this node. */
  lookupN(keys: string[], n: number): Promise<string[][]>;
  /** The node's own ring: its checksum, ringpop-go's other checksums (`replica`), the servers in it. */
  ring(): Promise<{ checksum: number; checksums?: Record<string, number>; servers: string[] }>;
  alive(): boolean;
}

export interface RingpopCluster {
  app: string;
  nodes: RingpopNode[];
  addresses: string[];
  /** SIGKILL one node (a crash: the others mark it suspect, then faulty). */
  kill9(index: number): void;
  stop(): Promise<void>;
}

export interface RingpopClusterOptions {
  /** Which ringpop: ringpop-node 10.21.0 (node.cjs, the default) or ringpop-go (test/peers/ringpop-go, same interface). */
  peer?: 'ringpop-node' | 'ringpop-go';
  nodes?: number;
  app?: string;
  /** `seeded`: a hash no observer can reproduce (see node.cjs). */
  hash?: 'fingerprint32' | 'seeded';
  suspectMs?: number;
  /** How long a faulty member stays faulty before it becomes a tombstone (ringpop's default 24 h). */
  faultyMs?: number;
  /** How long a tombstone stays before it is evicted (ringpop's default 60 s). */
  tombstoneMs?: number;
  /** ringpop's partition-healer period (discoverProviderHealerPeriod; ringpop's default 30 s). */
  healPeriodMs?: number;
  /** Endpoints every node unregisters (an older or trimmed ringpop). */
  without?: string[];
  /** ringpop-go only: node i gets ringpop-go's Identity option `${identityPrefix}${i}`. */
  identityPrefix?: string;
  /** ringpop-go only: labels node i sets on itself once bootstrapped. */
  labels?: (index: number) => Record<string, string>;
  /** ringpop-go only: replica points per member (HashRingConfig; ringpop's default 100). */
  replicaPoints?: number;
}

const running = new Set<ChildProcess>();
let hookInstalled = false;

function killAll(): void {
  for (const child of running) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The state periods as both peers take them (suspect 5 s unless given; faulty and tombstone: ringpop's defaults). */
function statePeriods(options: RingpopClusterOptions): string[] {
  return [
    ...['--suspect-ms', String(options.suspectMs ?? 5000)],
    ...(options.faultyMs !== undefined ? ['--faulty-ms', String(options.faultyMs)] : []),
    ...(options.tombstoneMs !== undefined ? ['--tombstone-ms', String(options.tombstoneMs)] : []),
  ];
}

/** `netns`: run the node inside that network namespace (`ip netns exec`, which execs: the PID is the node's). */
function startNode(index: number, address: string, app: string, hosts: string[], options: RingpopClusterOptions, netns?: string): Promise<RingpopNode> {
  if (options.peer === 'ringpop-go') {
    if (options.hash !== undefined || options.healPeriodMs !== undefined || options.without !== undefined) throw new Error('the ringpop-go peer takes only nodes, app, the state periods, identityPrefix, labels and replicaPoints');
    const command = builtPeer('ringpop-go/node');
    const labels = Object.entries(options.labels?.(index) ?? {});
    if (labels.some(([k, v]) => /[=,]/.test(k) || v.includes(','))) throw new Error('ringpop-go peer labels cannot hold "," (nor "=" in a key)');
    const args = [
      ...['--listen', address, '--app', app, '--hosts', hosts.join(','), ...statePeriods(options)],
      ...(options.identityPrefix !== undefined ? ['--identity', `${options.identityPrefix}${index}`] : []),
      ...(labels.length > 0 ? ['--labels', labels.map(([k, v]) => `${k}=${v}`).join(',')] : []),
      ...(options.replicaPoints !== undefined ? ['--replica-points', String(options.replicaPoints)] : []),
    ];
    // ringpop-go's Bootstrap retries a join to peers not yet listening with a growing delay: on a
    // loaded machine the last of four nodes has taken more than 20 s to be ready.
    return superviseNode(address, netns === undefined ? spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn('ip', ['netns', 'exec', netns, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }), 60_000);
  }
  if (options.identityPrefix !== undefined || options.labels !== undefined || options.replicaPoints !== undefined) throw new Error('identityPrefix, labels and replicaPoints are ringpop-go options (peer: "ringpop-go")');
  const args = [launcher, '--listen', address, '--app', app, '--hosts', hosts.join(','), '--hash', options.hash ?? 'fingerprint32', ...statePeriods(options), ...(options.healPeriodMs !== undefined ? ['--heal-period-ms', String(options.healPeriodMs)] : []), ...(options.without?.length ? ['--without', options.without.join(',')] : [])];
  return superviseNode(address, netns === undefined ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }) : spawn('ip', ['netns', 'exec', netns, process.execPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Waits for a started node's ready line and wires its stdin/stdout query channel. */
function superviseNode(address: string, child: ChildProcess, readyWithinMs = 20_000): Promise<RingpopNode> {
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()).slice(-4000));
  const answers: ((line: string) => void)[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ringpop node ${address} not ready after ${readyWithinMs / 1000} s: ${stderr}`)), readyWithinMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ringpop node ${address} exited with ${code}: ${stderr}`));
    });
    const ask = <T>(request: object): Promise<T> =>
      new Promise((res, rej) => {
        if (child.exitCode !== null || child.signalCode !== null) return rej(new Error(`node ${address} is not running`));
        answers.push((line) => res(JSON.parse(line) as T));
        child.stdin?.write(`${JSON.stringify(request)}\n`);
      });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready"')) {
        clearTimeout(timer);
        // Killing by PID must kill the node itself, not a wrapper (`ip netns exec` execs, it does not fork).
        const reported = (JSON.parse(line) as { pid: number }).pid;
        if (reported !== child.pid) {
          child.kill('SIGKILL');
          reject(new Error(`ringpop node ${address} runs as PID ${reported}, not the spawned PID ${child.pid}`));
          return;
        }
        resolve({
          address,
          pid: child.pid as number,
          process: child,
          members: () => ask({ q: 'members' }),
          lookup: async (keys) => (await ask<{ owners: string[] }>({ q: 'lookup', keys })).owners,
          lookupN: async (keys, n) => {
            const answer = await ask<{ owners?: string[][]; error?: string }>({ q: 'lookupN', keys, n });
            if (!answer.owners) throw new Error(`node ${address} cannot answer lookupN: ${answer.error ?? 'no owners'}`);
            return answer.owners;
          },
          ring: () => ask({ q: 'ring' }),
          alive: () => child.exitCode === null && child.signalCode === null,
        });
      } else answers.shift()?.(line);
    });
  });
}

export async function startRingpopCluster(options: RingpopClusterOptions = {}): Promise<RingpopCluster> {
  const count = options.nodes ?? 3;
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) addresses.push(`127.0.0.1:${await freePort()}`);
  return launchCluster(addresses.map((address) => ({ address })), options);
}

/**
 * One node in each network namespace of a lab (test/chaos/lab.ts, which must be created with
 * `serf: false` or another free port), listening on the namespace's address and `port`, every
 * node seeded with all of them; so `ringside chaos partition --on netns:...` cuts real TChannel
 * traffic between them while the root namespace still reaches every node over the bridge.
 * Waits for convergence like startRingpopCluster; `stop()` kills every node by PID.
 */
export async function startRingpopInNamespaces(lab: { hosts: readonly { ns: string; ip: string }[] }, options: Omit<RingpopClusterOptions, 'nodes'> & { port?: number } = {}): Promise<RingpopCluster> {
  const port = options.port ?? 3000;
  return launchCluster(
    lab.hosts.map((h) => ({ address: `${h.ip}:${port}`, netns: h.ns })),
    options,
  );
}

async function launchCluster(specs: readonly { address: string; netns?: string }[], options: RingpopClusterOptions): Promise<RingpopCluster> {
  if (!hookInstalled) {
    process.once('exit', killAll);
    hookInstalled = true;
  }
  const count = specs.length;
  const app = options.app ?? `ringside-test-${process.pid}`;
  const addresses = specs.map((s) => s.address);
  const started = await Promise.allSettled(specs.map((s, i) => startNode(i, s.address, app, addresses, options, s.netns)));
  const nodes = started.filter((s): s is PromiseFulfilledResult<RingpopNode> => s.status === 'fulfilled').map((s) => s.value);
  const stop = async (): Promise<void> => {
    await Promise.all(
      nodes.map(
        (n) =>
          new Promise<void>((resolve) => {
            if (!n.alive()) return resolve();
            n.process.once('exit', () => resolve());
            n.process.kill('SIGKILL');
          }),
      ),
    );
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  try {
    await waitFor(
      async () => {
        const views = await Promise.all(nodes.map((n) => n.members()));
        return views.every((v) => v.checksum === views[0]?.checksum && v.members.length === count && v.members.every((m) => m.status === 'alive'));
      },
      { timeoutMs: 30_000, intervalMs: 100, what: `${count} ringpop nodes to converge` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    app,
    nodes,
    addresses,
    kill9: (index) => void nodes[index]?.process.kill('SIGKILL'),
    stop,
  };
}

/** A plain tchannel 3.10.1 server (test/peers/ringpop/bare-tchannel.cjs): /echo and /health only. */
export async function startBareTChannel(): Promise<{ address: string; port: number; stop(): Promise<void> }> {
  if (!hookInstalled) {
    process.once('exit', killAll);
    hookInstalled = true;
  }
  const child = spawn(process.execPath, [fileURLToPath(new URL('./ringpop/bare-tchannel.cjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const address = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare-tchannel exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { address: string }).address));
  });
  return { address, port: Number(address.split(':')[1]), stop };
}

/** A node's own membership as ringside's members JSON puts it (addr, nativeStatus, incarnation), sorted by address. */
export async function ownView(node: RingpopNode): Promise<{ addr: string; nativeStatus: string; incarnation: number }[]> {
  const { members } = await node.members();
  return members.map((m) => ({ addr: m.address, nativeStatus: m.status, incarnation: m.incarnationNumber })).sort((a, b) => (a.addr < b.addr ? -1 : 1));
}

/** The addresses each running node lists, sorted: they must be the cluster's own (no observer ever joined). */
export async function listedAddresses(cluster: RingpopCluster): Promise<string[][]> {
  return Promise.all(cluster.nodes.filter((n) => n.alive()).map(async (n) => (await n.members()).members.map((m) => m.address).sort()));
}

