#!/usr/bin/env node
// The Serf observer beside the peer, on a 5-agent encrypted sandbox of real Serf agents:
// 1. time to a complete membership: `ringside members` beside `serf members` over Serf's RPC
//    (both as commands, median of 5), and the observer's own exchange in-process;
// 2. detection lag: kill -9 one agent, compare when `watch` reports it failed (passive and
//    member mode) with when `serf members` on another agent first shows it failed;
// 3. decoding a push-pull state of 10,000 members (synthesized: Go's layout and compression,
//    10,000 node records and Serf statuses), time and heap.
// Prints one JSON document on stdout; bench/run.js renders it.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, serfMembers, findSerf } from '../dist/src/sandbox/index.js';
import { PassiveObserver } from '../dist/src/protocols/serf/passive-observer.js';
import { Keyring } from '../dist/src/protocols/memberlist/security.js';
import { encodePushPull } from '../dist/src/protocols/memberlist/push-pull.js';
import { openStream, sealStream } from '../dist/src/protocols/memberlist/stream.js';
import { lzwCompress } from '../dist/src/protocols/memberlist/lzw.js';
import { encodeValue } from '../dist/src/protocols/msgpack/encode.js';
import { encodeTags } from '../dist/src/protocols/serf/tags.js';
import { decodeSerfPushPull } from '../dist/src/protocols/serf/messages.js';
import { MembershipTable } from '../dist/src/protocols/serf/membership.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/run.js`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = (fn) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function watch(args) {
  const child = spawn(process.execPath, [bin, 'watch', '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  createInterface({ input: child.stdout }).on('line', (l) => lines.push({ ...JSON.parse(l), receivedAt: Date.now() }));
  return { lines, stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGINT')))) };
}

async function until(predicate, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(25);
  }
}

async function clusterFigures() {
  const serf = findSerf();
  const stateDir = mkdtempSync(join(tmpdir(), 'ringside-bench-'));
  const up = await sandboxUp({ nodes: 5, encrypt: true, stateDir });
  const keyArgs = ['--keyring-file', up.keyringFile];
  const seed = up.agents[0].bind;
  const watchers = [];
  try {
    const ours = [];
    const theirs = [];
    for (let i = 0; i < 5; i++) {
      ours.push(timed(() => execFileSync(process.execPath, [bin, 'members', '--join', seed, ...keyArgs, '--json'])));
      theirs.push(timed(() => execFileSync(serf, ['members', `-rpc-addr=${up.agents[0].rpc}`, '-format=json'])));
    }
    const inProcess = [];
    for (let i = 0; i < 5; i++) {
      const observer = new PassiveObserver({ seeds: [{ host: '127.0.0.1', port: Number(seed.split(':')[1]) }], intervalMs: 1000, timeoutMs: 5000, flavour: 'serf', keyring: new Keyring([Buffer.from(up.key, 'base64')]) });
      const start = process.hrtime.bigint();
      await observer.start();
      inProcess.push(Number(process.hrtime.bigint() - start) / 1e6);
      await observer.stop();
    }

    const passive = watch(['--join', seed, ...keyArgs]);
    const member = watch(['--join', up.agents[1].bind, '--mode', 'member', ...keyArgs]);
    watchers.push(passive, member);
    await until(() => passive.lines.length > 0 && member.lines.length > 0, 15_000);
    await sleep(1500);
    const victim = up.agents[4];
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');
    const agentsAt = await until(async () => ((await serfMembers(serf, up.agents[0].rpc)).find((m) => m.name === victim.name)?.status === 'failed' ? Date.now() : 0), 60_000);
    const failedAt = async (w) => (await until(() => w.lines.find((l) => l.member === victim.name && l.type === 'failed'), 30_000)).receivedAt;
    const passiveAt = await failedAt(passive);
    const memberAt = await failedAt(member);
    return {
      membersCommandMs: { ringside: median(ours), serf: median(theirs) },
      observerStartMs: median(inProcess),
      detection: { agentsAfterKillMs: agentsAt - killedAt, passiveLagMs: passiveAt - agentsAt, memberLagMs: memberAt - agentsAt },
    };
  } finally {
    for (const w of watchers) await w.stop();
    await sandboxDown({ stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function bigStateFigures(count = 10_000) {
  const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
  const nodes = Array.from({ length: count }, (_, i) => ({
    name: `node-${String(i).padStart(5, '0')}.dc1.example.internal`,
    addr: Uint8Array.of(10, (i >> 16) & 255, (i >> 8) & 255, i & 255),
    port: 7946,
    meta: encodeTags({ role: i % 3 ? 'web' : 'db', zone: `zone-${i % 4}` }),
    incarnation: 1 + (i % 7),
    state: i % 97 === 0 ? 'dead' : 'alive',
    vsn,
  }));
  const serfState = Uint8Array.from([
    2,
    ...encodeValue({ LTime: count * 2, StatusLTimes: new Map(nodes.map((n, i) => [n.name, i + 1])), LeftMembers: [], EventLTime: 1, Events: new Array(512).fill(null), QueryLTime: 1 }),
  ]);
  const plain = encodePushPull({ join: false, nodes, userState: serfState });
  // As Go sends it: compressed with LZW, then encrypted.
  const keyring = new Keyring([new Uint8Array(32).fill(9)]);
  const wire = sealStream(Uint8Array.from([9, ...encodeValue({ Algo: 0, Buf: lzwCompress(plain) })]), { dialer: false, keyring });
  const run = () => {
    const message = openStream(wire, { keyring });
    const table = new MembershipTable('serf');
    table.applyView(message.pushPull, decodeSerfPushPull(message.pushPull.userState));
    return table.members();
  };
  run();
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let members;
  const ms = median(Array.from({ length: 5 }, () => timed(() => (members = run()))));
  const heapAfter = process.memoryUsage().heapUsed;
  return { members: members.length, wireBytes: wire.length, plainBytes: plain.length, decodeMs: ms, retainedHeapMB: (heapAfter - heapBefore) / 2 ** 20 };
}

const result = { cluster: await clusterFigures(), bigState: bigStateFigures() };
process.stdout.write(`${JSON.stringify(result)}\n`);
