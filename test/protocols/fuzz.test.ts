// Hostile input: random and mutated packets and streams, into the decoders and into the sockets of
// a member-mode observer joined to a real Serf agent. Nothing may crash, memory and the counters
// of dropped messages must stay bounded, and the observer must keep doing its job. Inputs are
// seeded, so what is decoded and dropped is counted exactly; the datagrams are paced so that the
// kernel drops none, and every one must be read.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lzwCompress } from '../../src/protocols/memberlist/lzw.js';
import { encodeMessage, type Message, MSG } from '../../src/protocols/memberlist/messages.js';
import { decodePacket, encodeCompound, sealPacket } from '../../src/protocols/memberlist/packet.js';
import { encodePushPull } from '../../src/protocols/memberlist/push-pull.js';
import { Keyring } from '../../src/protocols/memberlist/security.js';
import { openStream, sealStream, StreamError } from '../../src/protocols/memberlist/stream.js';
import { MsgpackError } from '../../src/protocols/msgpack/decode.js';
import { encodeValue } from '../../src/protocols/msgpack/encode.js';
import type { MemberObserver } from '../../src/protocols/serf/member-observer.js';
import { decodeSerfMessage, decodeSerfPushPull, encodeJoinIntent, encodeSerfPushPull } from '../../src/protocols/serf/messages.js';
import { decodeTags, encodeTags } from '../../src/protocols/serf/tags.js';
import { joinedObserver, type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { prng } from '../support/random.js';
import { waitFor } from '../support/wait.js';

const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
/** A seeded integer source: `int(n)` is in [0, n). Each test starts its own, so each is reproducible alone. */
function ints(seed: number): (n: number) => number {
  const rand = prng(seed);
  return (n) => Math.floor(rand() * n);
}
let int = ints(2024);

const seeds: Uint8Array[] = [
  encodeMessage({ type: 'ping', seqNo: 1, node: 'x', sourceAddr: Uint8Array.of(127, 0, 0, 1), sourcePort: 1, sourceNode: 'y' }),
  encodeMessage({ type: 'alive', incarnation: 3, node: 'fuzz', addr: Uint8Array.of(127, 0, 0, 1), port: 9, meta: encodeTags({ a: 'b' }), vsn }),
  encodeMessage({ type: 'suspect', incarnation: 3, node: 'fuzz', from: 'x' }),
  encodeMessage({ type: 'indirect-ping', seqNo: 2, target: Uint8Array.of(127, 0, 0, 1), port: 9, node: 'fuzz', nack: true }),
  encodeMessage({ type: 'user', payload: encodeJoinIntent(5, 'fuzz') }),
  encodeMessage({ type: 'user', payload: encodeSerfPushPull({ ltime: 1, self: 'a', selfLTime: 1, leaving: false, eventLTime: 1, queryLTime: 1 }) }),
];
seeds.push(encodeCompound(seeds.slice(0, 4)));
seeds.push(Uint8Array.from([MSG.compress, ...encodeValue({ Algo: 0, Buf: lzwCompress(seeds[6] as Uint8Array) })]));
seeds.push(sealPacket(seeds[1] as Uint8Array, { crc: true }));
const pushPull = encodePushPull({ join: false, nodes: [{ name: 'fuzz', addr: Uint8Array.of(127, 0, 0, 1), port: 9, meta: encodeTags({}), incarnation: 1, state: 'alive', vsn }], userState: encodeSerfPushPull({ ltime: 1, self: 'fuzz', selfLTime: 1, leaving: false, eventLTime: 1, queryLTime: 1 }) });

/** Random bytes, or a valid message bit-flipped, truncated, extended, or with a count byte blown up. */
function hostile(base: readonly Uint8Array[]): Uint8Array {
  const choice = int(6);
  if (choice === 0) return Uint8Array.from({ length: int(1500) }, () => int(256));
  const out = Uint8Array.from(base[int(base.length)] as Uint8Array);
  if (choice === 1) {
    for (let i = 0; i < 1 + int(4); i++) {
      const at = int(out.length);
      out[at] = (out[at] as number) ^ (1 << int(8));
    }
  }
  if (choice === 2) return out.subarray(0, int(out.length));
  if (choice === 3) return Uint8Array.from([...out, ...Array.from({ length: int(64) }, () => int(256))]);
  if (choice === 4) out[int(out.length)] = [0xdd, 0xdf, 0xdb, 0xff, 0x7f][int(5)] as number;
  if (choice === 5) out[0] = int(256);
  return out;
}

describe('decoders under hostile input', () => {
  it('decodes 100,000 seeded random and mutated packets and streams: 34,375 messages decoded, 80,301 dropped, nothing unexpected thrown', () => {
    const keyring = new Keyring([new Uint8Array(32).fill(5)]);
    const streams = [pushPull, sealStream(pushPull, { dialer: false }), sealStream(pushPull, { dialer: false, keyring }), encodeMessage({ type: 'err', error: 'x' })];
    int = ints(2024);
    const heapBefore = process.memoryUsage().heapUsed;
    let decoded = 0;
    let dropped = 0;
    for (let i = 0; i < 100_000; i++) {
      const packet = hostile(seeds);
      const result = decodePacket(packet, i % 2 ? { keyring } : {});
      decoded += result.messages.length;
      dropped += result.dropped.length;
      expect(result.dropped.length).toBeLessThanOrEqual(200);
      try {
        openStream(hostile(streams), i % 3 === 0 ? { keyring } : {});
      } catch (error) {
        if (!(error instanceof StreamError)) throw error;
      }
      for (const payload of [hostile(seeds.slice(4, 6).map((s) => s.subarray(1))), hostile([Uint8Array.from([2, ...encodeValue({ LTime: 1 })])])]) {
        try {
          decodeSerfMessage(payload);
          decodeSerfPushPull(payload);
        } catch (error) {
          if (!(error instanceof MsgpackError)) throw error;
        }
      }
      decodeTags(hostile([encodeTags({ role: 'web', dc: 'x' })]));
    }
    // Seeded (2024), so exact: both outcomes happen, the mutations are not all rejected, nor all accepted.
    expect({ decoded, dropped }).toEqual({ decoded: 34_375, dropped: 80_301 });
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });
});

describe("a member-mode observer's sockets under hostile input", () => {
  let cluster: SerfCluster;
  let observer: MemberObserver;

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 1 });
    observer = await joinedObserver(cluster);
  });
  afterAll(async () => {
    await observer?.stop();
    await cluster?.stop();
  });

  it('reads every one of 100,000 seeded hostile datagrams (the kernel drops none) and drops 63,613 messages, drops 1,011 of 2,000 hostile streams, and stays a healthy member', async () => {
    int = ints(2025);
    const [, portText = ''] = observer.address.split(':');
    const port = Number(portText);
    const udp = createSocket('udp4');
    const heapBefore = process.memoryUsage().heapUsed;
    const receivedBefore = observer.stats().packetsReceived;
    // The observer runs in this process: each batch waits until the observer has read it, so its
    // socket's receive buffer never overflows and every datagram sent must be read.
    let sent = 0;
    for (let batch = 0; batch < 100_000 / 50; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => new Promise<void>((resolve, reject) => udp.send(hostile(seeds), port, '127.0.0.1', (error) => (error ? reject(error) : resolve())))));
      sent += 50;
      await waitFor(() => observer.stats().packetsReceived - receivedBefore >= sent, { timeoutMs: 20_000, intervalMs: 1, what: `the observer to read the ${sent} datagrams sent` }).catch((error: Error) => {
        throw new Error(`${error.message}: it has read ${observer.stats().packetsReceived - receivedBefore}; the kernel dropped ${kernelDrops(port)} on its socket`);
      });
    }
    udp.close();
    const received = observer.stats().packetsReceived - receivedBefore;
    const afterDatagrams = observer.stats();
    const total = (d: Record<string, number>): number => Object.values(d).reduce((a, b) => a + b, 0);
    console.log(`observer read ${received} datagrams: the ${sent} hostile ones and ${received - sent} from the agent; dropped by reason: ${JSON.stringify(afterDatagrams.dropped)}`);
    // Every datagram sent was read; the agent's own gossip (a few pings) comes on top.
    expect(sent).toBe(100_000);
    expect(received).toBeGreaterThanOrEqual(sent);
    expect(kernelDrops(port)).toBe(0);
    const streams = [pushPull, sealStream(pushPull, { dialer: true }), Uint8Array.of(MSG.encrypt, 0xff, 0xff, 0xff, 0xff), Uint8Array.from([MSG.pushPull, ...encodeValue({ Join: false, Nodes: 1 << 30, UserStateLen: 1 << 30 })])];
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () => {
          const socket = new Socket();
          return new Promise<void>((resolve) => {
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            socket.resume(); // read (and discard) any reply, so the socket can reach its end
            socket.connect(port, '127.0.0.1', () => socket.end(hostile(streams)));
            setTimeout(() => socket.destroy(), 20_000); // only if the observer never closes it
          });
        }),
      );
    }
    const stats = observer.stats();
    // At most 32 reasons and "other"; the seeded datagrams and streams are dropped exactly as often each run.
    expect(Object.keys(stats.dropped).length).toBeLessThanOrEqual(33);
    expect(total(afterDatagrams.dropped)).toBe(63_613);
    expect(total(stats.dropped) - total(afterDatagrams.dropped)).toBe(1011);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    // Still a member in good standing, and still seeing the agent correctly.
    const agentView = await cluster.members(0);
    expect(agentView.find((m) => m.tags.ringside === 'observer')?.status).toBe('alive');
    expect(observer.members().find((m) => m.name === 'sandbox-1')?.status).toBe('alive');
    expect(observer.members().some((m) => m.name === 'fuzz')).toBe(true);
  });
});

/** The kernel's count of datagrams dropped on the UDP socket bound to 127.0.0.1:`port` (Linux /proc/net/udp). */
function kernelDrops(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const line = readFileSync('/proc/net/udp', 'utf8').split('\n').find((l) => l.trim().split(/\s+/)[1] === local);
  if (!line) throw new Error(`no UDP socket on 127.0.0.1:${port} in /proc/net/udp`);
  return Number(line.trim().split(/\s+/).at(-1));
}

// Keep the Message type import used for readers of this file.
export type FuzzSeed = Message;
