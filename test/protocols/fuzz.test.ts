// Hostile input: random and mutated packets and streams, into the decoders and into the sockets of
// a member-mode observer joined to a real Serf agent. Nothing may crash, memory and the counters
// of dropped messages must stay bounded, and the observer must keep doing its job.
import { createSocket } from 'node:dgram';
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
import { MemberObserver } from '../../src/protocols/serf/member-observer.js';
import { decodeSerfMessage, decodeSerfPushPull, encodeJoinIntent, encodeSerfPushPull } from '../../src/protocols/serf/messages.js';
import { decodeTags, encodeTags } from '../../src/protocols/serf/tags.js';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { prng } from '../support/random.js';
import { waitFor } from '../support/wait.js';

const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
const rand = prng(2024);
const int = (n: number): number => Math.floor(rand() * n);

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
  it('decodes 100,000 random and mutated packets and streams without throwing anything unexpected', () => {
    const keyring = new Keyring([new Uint8Array(32).fill(5)]);
    const streams = [pushPull, sealStream(pushPull, { dialer: false }), sealStream(pushPull, { dialer: false, keyring }), encodeMessage({ type: 'err', error: 'x' })];
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
    // Both outcomes happen: the mutations are not all rejected, nor all accepted.
    expect(decoded).toBeGreaterThan(1000);
    expect(dropped).toBeGreaterThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
  });
});

describe("a member-mode observer's sockets under hostile input", () => {
  let cluster: SerfCluster;
  let observer: MemberObserver;

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 1 });
    const [host = '', port = ''] = (cluster.agents[0] as { bind: string }).bind.split(':');
    observer = new MemberObserver({ seeds: [{ host, port: Number(port) }], bind: { host: '127.0.0.1', port: 0 }, advertise: '127.0.0.1', flavour: 'serf', timeoutMs: 5000 });
    await observer.start();
  });
  afterAll(async () => {
    await observer?.stop();
    await cluster?.stop();
  });

  it('survives 100,000 hostile datagrams and 2,000 hostile streams and stays a healthy member', async () => {
    const [, portText = ''] = observer.address.split(':');
    const port = Number(portText);
    const udp = createSocket('udp4');
    const heapBefore = process.memoryUsage().heapUsed;
    // The observer runs in this process: pause often so it can drain its socket (the kernel
    // drops what overflows its receive buffer, as it would for a real flood).
    for (let sent = 0; sent < 100_000; sent += 25) {
      for (let i = 0; i < 25; i++) udp.send(hostile(seeds), port, '127.0.0.1');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
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
            setTimeout(() => socket.destroy(), 2000);
          });
        }),
      );
    }
    udp.close();
    const stats = await waitFor(() => (observer.stats().packetsReceived > 20_000 ? observer.stats() : undefined), { timeoutMs: 20_000, what: 'the datagrams to arrive' });
    console.log(`observer read ${stats.packetsReceived} of 100000 hostile datagrams; dropped by reason: ${JSON.stringify(stats.dropped)}`);
    expect(Object.keys(stats.dropped).length).toBeLessThanOrEqual(33);
    expect(Object.values(stats.dropped).reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(256 * 1024 * 1024);
    // Still a member in good standing, and still seeing the agent correctly.
    const agentView = await cluster.members(0);
    expect(agentView.find((m) => m.tags.ringside === 'observer')?.status).toBe('alive');
    expect(observer.members().find((m) => m.name === 'sandbox-1')?.status).toBe('alive');
    expect(observer.members().some((m) => m.name === 'fuzz')).toBe(true);
  });
});

// Keep the Message type import used for readers of this file.
export type FuzzSeed = Message;
