#!/usr/bin/env node
// One round of the Serf observer beside Serf itself, on a fresh 5-agent encrypted sandbox of real
// Serf agents (Debian's serf on PATH); bench/run.js runs several rounds, each in a fresh process:
// 1. time to a complete membership: `ringside members` beside `serf members` over Serf's RPC, both
//    as fresh processes, alternating (PAIRS of each), and the observer's own exchange in-process
//    (median of 5 in this process);
// 2. detection lag: kill -9 one agent and compare when `watch --json` (passive, and member mode)
//    reports it failed with when Serf itself declared it failed: the first
//    `serf: EventMemberFailed: <victim>` line of `serf monitor` on any surviving agent. Serf logs
//    that line as the agent's member list changes (before its coalesced member-failed event and
//    event handlers). Both sides are child processes whose lines this process timestamps as they
//    arrive, on the same clock, so neither side is polled.
// Prints one JSON document on stdout.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sandboxDown, sandboxUp, findSerf } from '../dist/src/sandbox/index.js';
import { PassiveObserver } from '../dist/src/protocols/serf/passive-observer.js';
import { Keyring } from '../dist/src/protocols/memberlist/security.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/run.js`;
const PAIRS = 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const now = () => performance.now();
const timed = (fn) => {
  const start = now();
  fn();
  return now() - start;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every child this round starts, killed on the way out whatever happens. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** A child process whose stdout lines are kept with the time each one arrived here. */
function lines(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  children.add(child);
  const received = [];
  createInterface({ input: child.stdout }).on('line', (text) => received.push({ text, at: now() }));
  const stop = () => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGINT'))));
  return { received, stop };
}

async function until(what, predicate, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const failedIn = (watch, name) => watch.received.find((l) => l.text.startsWith('{') && JSON.parse(l.text).type === 'failed' && JSON.parse(l.text).member === name);

async function round() {
  const serf = findSerf();
  const stateDir = mkdtempSync(join(tmpdir(), 'ringside-bench-'));
  const up = await sandboxUp({ nodes: 5, encrypt: true, stateDir });
  const keyArgs = ['--keyring-file', up.keyringFile];
  const seed = up.agents[0].bind;
  const streams = [];
  try {
    const ours = [];
    const theirs = [];
    const oursOnce = () => ours.push(timed(() => execFileSync(process.execPath, [bin, 'members', '--join', seed, ...keyArgs, '--json'])));
    const theirsOnce = () => theirs.push(timed(() => execFileSync(serf, ['members', `-rpc-addr=${up.agents[0].rpc}`, '-format=json'])));
    for (let i = 0; i < PAIRS; i++) {
      if (i % 2 === 0) (oursOnce(), theirsOnce());
      else (theirsOnce(), oursOnce());
    }
    const inProcess = [];
    for (let i = 0; i < 5; i++) {
      const observer = new PassiveObserver({ seeds: [{ host: '127.0.0.1', port: Number(seed.split(':')[1]) }], intervalMs: 1000, timeoutMs: 5000, flavour: 'serf', keyring: new Keyring([Buffer.from(up.key, 'base64')]) });
      const start = now();
      await observer.start();
      inProcess.push(now() - start);
      await observer.stop();
    }

    const victim = up.agents[4];
    const survivors = up.agents.slice(0, 4);
    const monitors = survivors.map((a) => ({ name: a.name, ...lines(serf, ['monitor', `-rpc-addr=${a.rpc}`, '-log-level=info']) }));
    const passive = lines(process.execPath, [bin, 'watch', '--json', '--join', seed, ...keyArgs]);
    const member = lines(process.execPath, [bin, 'watch', '--json', '--join', up.agents[1].bind, '--mode', 'member', ...keyArgs]);
    streams.push(...monitors, passive, member);
    await until('both watchers to print their snapshot', () => passive.received.length > 0 && member.received.length > 0, 30_000);
    await sleep(1500);
    const killedAt = now();
    process.kill(victim.pid, 'SIGKILL');
    const declared = new RegExp(`serf: EventMemberFailed: ${victim.name} `);
    const serfFirst = await until('serf to declare the victim failed', () => {
      const times = monitors.map((m) => m.received.find((l) => l.at > killedAt && declared.test(l.text))?.at).filter((t) => t !== undefined);
      return times.length > 0 ? Math.min(...times) : 0;
    }, 60_000);
    const passiveAt = (await until('passive watch to report failed', () => failedIn(passive, victim.name), 30_000)).at;
    const memberAt = (await until('member-mode watch to report failed', () => failedIn(member, victim.name), 30_000)).at;
    await sleep(200); // the other agents' lines
    const serfAgents = monitors.map((m) => m.received.find((l) => l.at > killedAt && declared.test(l.text))?.at).filter((t) => t !== undefined);
    return {
      membersCommandMs: { ringside: ours, serf: theirs },
      observerStartMs: median(inProcess),
      detection: {
        victim: victim.name,
        serfFirstAfterKillMs: serfFirst - killedAt,
        serfAgentsAfterKillMs: serfAgents.map((t) => t - killedAt),
        passiveLagMs: passiveAt - serfFirst,
        memberLagMs: memberAt - serfFirst,
      },
    };
  } finally {
    for (const s of streams) await s.stop();
    await sandboxDown({ stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  }
}

process.stdout.write(`${JSON.stringify(await round())}\n`);
