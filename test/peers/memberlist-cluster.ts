/**
 * Plain memberlist nodes configured as Consul's LAN pool (test/peers/memberlist/main.go, built by
 * scripts/build-peers.js against each version in test/peers/memberlist/versions.json):
 * `startMemberlistCluster()` starts N of them on free loopback ports, waits until every node lists
 * all N alive, and hands back each node's own node table (asked over its stdin: memberlist's own
 * state, never ringside's codecs), the packets it sent by first byte, kill -9, a graceful leave,
 * and `stop()`, which kills every node by PID even when a test failed half-way. Nodes also exit
 * when their stdin closes, and a process-exit hook SIGKILLs any left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onTestProcessExit } from '../support/exit-hook.js';
import { waitFor } from '../support/wait.js';
import { builtPeer } from './built.js';

/** The memberlist versions the peer is built against (test/peers/memberlist/versions.json). */
export const MEMBERLIST_VERSIONS = JSON.parse(readFileSync(new URL('./memberlist/versions.json', import.meta.url), 'utf8')) as string[];
export type MemberlistVersion = string;

export type PeerState = 'alive' | 'suspect' | 'dead' | 'left';

/** One entry of a node's own table, as memberlist holds it. */
export interface PeerMember {
  name: string;
  addr: string;
  port: number;
  state: PeerState;
  incarnation: number;
  /** [pMin, pMax, pCur, dMin, dMax, dCur] */
  vsn: number[];
  metaLen: number;
  /** The Meta decoded as Serf tags (0xFF + msgpack), null when it is not in that format. */
  tags: Record<string, string> | null;
}

/** UDP packets a node sent, by destination HOST:PORT, then by first byte (decimal). */
export type SentPackets = Record<string, Record<string, number>>;

/** What a node's first line says was compiled into it. */
export interface PeerBuild {
  memberlist: string;
  msgpack: string;
}

export interface MemberlistNode {
  name: string;
  /** The module versions compiled into the running binary (Go's build info). */
  build: PeerBuild;
  /** HOST:PORT, what `--join` takes. */
  address: string;
  pid: number;
  process: ChildProcess;
  /** Its own node table, sorted by name. */
  members(): Promise<PeerMember[]>;
  sent(): Promise<SentPackets>;
  /** Its [ERR] and [WARN] log lines so far (memberlist logs every refused merge there). */
  problems(): string[];
  /** User messages and non-empty remote user states that reached its delegate. */
  delegate(): Promise<{ userMessages: number; remoteStates: number }>;
  alive(): boolean;
}

export interface MemberlistCluster {
  version: MemberlistVersion;
  nodes: MemberlistNode[];
  /** Serf's keyring file format (a JSON array of the base64 key), for `--keyring-file`; absent unencrypted. */
  keyringFile?: string;
  label?: string;
  /** The nodes still running. */
  running(): MemberlistNode[];
  /** SIGKILL by PID; resolves once the node has exited. */
  kill9(index: number): Promise<void>;
  /** memberlist's graceful Leave, then the node exits. */
  leave(index: number): Promise<void>;
  stop(): Promise<void>;
}

export interface MemberlistClusterOptions {
  version: MemberlistVersion;
  nodes?: number;
  encrypt?: boolean;
  label?: string;
  /** memberlist protocol version the nodes speak (2 as Consul; up to 5). */
  protocol?: number;
  /** Meta size of node i, in Serf's tags format (at most 512, memberlist's limit). */
  metaBytes?: (index: number) => number;
  /** Delegate protocol [min, max, current]: Consul's Serf [2, 5, 4] (the default), a plain application's [0, 0, 0]. */
  delegate?: [number, number, number];
}

const running = new Set<ChildProcess>();
onTestProcessExit(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port free for both TCP and UDP on 127.0.0.1 (memberlist listens on both). */
async function freePort(): Promise<number> {
  for (;;) {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const udp = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    udp.close();
    await new Promise((resolve) => server.close(resolve));
    if (ok) return port;
  }
}

function startNode(binary: string, name: string, port: number, args: string[]): Promise<MemberlistNode> {
  const child = spawn(binary, ['-name', name, '-bind', '127.0.0.1', '-port', String(port), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  const problems: string[] = [];
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (/\[(ERR|WARN)\]/.test(line) && problems.length < 1000) problems.push(line);
  });
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  child.once('exit', () => {
    running.delete(child);
    for (const w of waiting.splice(0)) w.reject(new Error(`memberlist peer ${name} exited: ${stderr}`));
  });
  let ready: (build: PeerBuild) => void = () => undefined;
  const readyNow = new Promise<PeerBuild>((resolve) => (ready = resolve));
  let first = true;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (first) {
      first = false;
      ready(JSON.parse(line) as PeerBuild);
    } else waiting.shift()?.resolve(line);
  });
  const ask = (command: string): Promise<string> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`memberlist peer ${name} is not running: ${stderr}`));
      waiting.push({ resolve, reject });
      child.stdin?.write(`${command}\n`);
    });
  const node: Omit<MemberlistNode, 'build'> = {
    name,
    address: `127.0.0.1:${port}`,
    pid: child.pid as number,
    process: child,
    members: async () => (JSON.parse(await ask('members')) as PeerMember[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    sent: async () => JSON.parse(await ask('sent')) as SentPackets,
    problems: () => [...problems],
    delegate: async () => JSON.parse(await ask('delegate')) as { userMessages: number; remoteStates: number },
    alive: () => child.exitCode === null && child.signalCode === null,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`memberlist peer ${name} not ready after 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`memberlist peer ${name} exited ${code}: ${stderr}`)));
    void readyNow.then((build) => {
      clearTimeout(timer);
      resolve({ ...node, build: { memberlist: build.memberlist, msgpack: build.msgpack } });
    });
  });
}

export async function startMemberlistCluster(o: MemberlistClusterOptions): Promise<MemberlistCluster> {
  const binary = builtPeer(`memberlist-${o.version}/peer`);
  const count = o.nodes ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'ringside-memberlist-'));
  const nodes: MemberlistNode[] = [];
  let keyringFile: string | undefined;
  const common: string[] = [];
  if (o.encrypt !== false) {
    // The key reaches the nodes and ringside in 0600 files only, never on a command line.
    const key = randomBytes(32).toString('base64');
    writeFileSync(join(dir, 'key'), key, { mode: 0o600 });
    keyringFile = join(dir, 'keyring.json');
    writeFileSync(keyringFile, JSON.stringify([key]), { mode: 0o600 });
    common.push('-key-file', join(dir, 'key'));
  }
  if (o.label !== undefined) common.push('-label', o.label);
  if (o.protocol !== undefined) common.push('-protocol', String(o.protocol));
  if (o.delegate !== undefined) common.push('-delegate', o.delegate.join(','));
  const stop = async (): Promise<void> => {
    const exits = nodes.filter((n) => n.alive()).map((n) => new Promise((resolve) => n.process.once('exit', resolve)));
    for (const n of nodes) n.process.kill('SIGKILL');
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const join0 = i === 0 ? [] : ['-join', (nodes[0] as MemberlistNode).address];
      nodes.push(await startNode(binary, `ml-${i + 1}`, await freePort(), [...common, '-meta-bytes', String(o.metaBytes?.(i) ?? 0), ...join0]));
    }
    for (const n of nodes) await waitFor(async () => (await n.members()).filter((m) => m.state === 'alive').length === count, { timeoutMs: 30_000, what: `${n.name} to list all ${count} alive` });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    version: o.version,
    nodes,
    ...(keyringFile !== undefined ? { keyringFile } : {}),
    ...(o.label !== undefined ? { label: o.label } : {}),
    running: () => nodes.filter((n) => n.alive()),
    kill9: async (i) => {
      const n = nodes[i] as MemberlistNode;
      const exited = new Promise((resolve) => n.process.once('exit', resolve));
      n.process.kill('SIGKILL');
      await exited;
    },
    leave: async (i) => {
      const n = nodes[i] as MemberlistNode;
      const exited = new Promise((resolve) => n.process.once('exit', resolve));
      n.process.stdin?.write('leave\n');
      await exited;
    },
    stop,
  };
}
