/**
 * Plain memberlist nodes configured as Consul's LAN pool (test/peers/memberlist/main.go, built by
 * scripts/build-peers.js against memberlist v0.5.4 and v0.7.0): `startMemberlistCluster()` starts N
 * of them on free loopback ports, waits until each lists all N alive, and hands back each node's
 * own member list (asked over its stdin, never through ringside's codecs), kill -9, a graceful
 * leave, and `stop()`, which kills every node by PID even when a test failed half-way. Nodes also
 * exit when their stdin closes, and a process-exit hook SIGKILLs any left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { onTestProcessExit } from '../support/exit-hook.js';
import { waitFor } from '../support/wait.js';
import { builtPeer } from './built.js';

/** The memberlist versions the peer is built against (test/peers/memberlist/versions.json). */
export const MEMBERLIST_VERSIONS = JSON.parse(readFileSync(new URL('./memberlist/versions.json', import.meta.url), 'utf8')) as string[];
export type MemberlistVersion = string;

/** One entry of a node's own list: memberlist's Node as the peer prints it. */
export interface PeerMember {
  name: string;
  addr: string;
  port: number;
  state: 'alive' | 'suspect' | 'dead' | 'left';
  metaLen: number;
  incarnation: number;
  vsn: number[];
}

export interface MemberlistNode {
  name: string;
  /** HOST:PORT, what `--join` takes. */
  address: string;
  pid: number;
  process: ChildProcess;
  members(): Promise<PeerMember[]>;
  alive(): boolean;
}

export interface MemberlistCluster {
  version: MemberlistVersion;
  nodes: MemberlistNode[];
  /** Serf's keyring file format (a JSON array of the base64 key), for `--keyring-file`; absent unencrypted. */
  keyringFile?: string;
  label?: string;
  kill9(index: number): void;
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
  /** Meta size of node i. */
  metaBytes?: (index: number) => number;
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
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const waiting: Array<(line: string) => void> = [];
  let ready: () => void = () => undefined;
  const readyNow = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === '{"ready":true}') ready();
    else waiting.shift()?.(line);
  });
  const ask = (command: string): Promise<string> =>
    new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`memberlist peer ${name} is not running: ${stderr}`));
      waiting.push(resolve);
      child.stdin?.write(`${command}\n`);
    });
  const node: MemberlistNode = {
    name,
    address: `127.0.0.1:${port}`,
    pid: child.pid as number,
    process: child,
    members: async () => (JSON.parse(await ask('members')) as PeerMember[]).sort((a, b) => a.name.localeCompare(b.name)),
    alive: () => child.exitCode === null && child.signalCode === null,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`memberlist peer ${name} not ready after 20 s: ${stderr}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`memberlist peer ${name} exited ${code}: ${stderr}`)));
    void readyNow.then(() => {
      clearTimeout(timer);
      resolve(node);
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
    const key = randomBytes(32).toString('base64');
    writeFileSync(join(dir, 'key'), key, { mode: 0o600 });
    keyringFile = join(dir, 'keyring.json');
    writeFileSync(keyringFile, JSON.stringify([key]), { mode: 0o600 });
    common.push('-key-file', join(dir, 'key'));
  }
  if (o.label !== undefined) common.push('-label', o.label);
  if (o.protocol !== undefined) common.push('-protocol', String(o.protocol));
  const stop = async (): Promise<void> => {
    for (const n of nodes) n.process.kill('SIGKILL');
    await Promise.all(nodes.filter((n) => n.alive()).map((n) => new Promise((resolve) => n.process.once('exit', resolve))));
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
    kill9: (i) => {
      (nodes[i] as MemberlistNode).process.kill('SIGKILL');
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
