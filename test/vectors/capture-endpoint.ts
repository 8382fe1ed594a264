/**
 * The capture's member-like endpoint: a UDP socket and a TCP listener on one loopback port that
 * joins a Serf cluster as an ordinary member (a push-pull join carrying its own alive state and
 * Serf state), so the agents probe it and gossip to it, and records every datagram and every
 * inbound stream exactly as it arrived. It does the least a member must to stay alive: it acks
 * pings (UDP and TCP) and answers push-pulls with its own state. It never re-gossips.
 */
import type { RemoteInfo } from 'node:dgram';
import { encodeMessage } from '../../src/protocols/memberlist/messages.js';
import { decodePacket, sealPacket } from '../../src/protocols/memberlist/packet.js';
import { encodePushPull, type PushPull } from '../../src/protocols/memberlist/push-pull.js';
import { openStream, sealStream, StreamError } from '../../src/protocols/memberlist/stream.js';
import { exchangeStream, PacketSocket, StreamListener } from '../../src/protocols/memberlist/transport.js';
import type { Keyring } from '../../src/protocols/memberlist/security.js';
import { ipBytes } from '../../src/protocols/serf/member-identity.js';
import { encodeSerfPushPull } from '../../src/protocols/serf/messages.js';
import { encodeTags } from '../../src/protocols/serf/tags.js';
import type { Script } from './vectors.js';

export interface Recorded {
  /** Milliseconds since the endpoint started. */
  at: number;
  from: string;
  bytes: Uint8Array;
}

export interface EndpointIdentity {
  name: string;
  host: string;
  port: number;
  incarnation: number;
  tags: Record<string, string>;
  vsn: Uint8Array;
}

/**
 * The endpoint's side of a push-pull, built by ringside's encoders: itself alive, and its Serf
 * state (its join at Lamport time 1). Pure, so tests can rebuild exactly what the agents were sent.
 */
export function observerPushPull(observer: Script['observer'], join: boolean): PushPull {
  const { name, incarnation, port } = observer;
  return {
    join,
    nodes: [{ name, addr: ipBytes(observer.addr), port, meta: encodeTags(observer.tags), incarnation, state: 'alive', vsn: Uint8Array.from(observer.vsn) }],
    userState: encodeSerfPushPull({ ltime: 2, self: name, selfLTime: 1, leaving: false, eventLTime: 0, queryLTime: 0 }),
  };
}

export class CaptureEndpoint {
  readonly packets: Recorded[] = [];
  readonly streams: Recorded[] = [];
  private readonly started = Date.now();

  private constructor(
    readonly identity: EndpointIdentity,
    private readonly udp: PacketSocket,
    private readonly tcp: StreamListener,
  ) {}

  static async start(identity: EndpointIdentity): Promise<CaptureEndpoint> {
    let endpoint: CaptureEndpoint | undefined;
    const tcp = await StreamListener.listen(identity.host, identity.port, (data, remote) => endpoint?.onStream(data, remote), { timeoutMs: 10_000, maxBytes: 1 << 24 });
    const udp = await PacketSocket.bind(identity.host, identity.port, (data, from) => endpoint?.onPacket(data, from)).catch(async (error: unknown) => {
      await tcp.close();
      throw error;
    });
    endpoint = new CaptureEndpoint(identity, udp, tcp);
    return endpoint;
  }

  localState(join: boolean): PushPull {
    return observerPushPull({ ...this.identity, addr: this.identity.host, vsn: [...this.identity.vsn] }, join);
  }

  /** Opens a TCP stream to `host:port`, sends `request` (encrypted with `keyring`, if given) and returns the raw reply. */
  exchange(host: string, port: number, request: Uint8Array, keyring?: Keyring): Promise<Uint8Array> {
    return exchangeStream(host, port, sealStream(request, { dialer: true, ...(keyring ? { keyring } : {}) }), { timeoutMs: 10_000, maxBytes: 1 << 24 });
  }

  /** Sends one UDP message (with memberlist's CRC layer, as to a protocol-5 member). */
  send(message: Uint8Array, host: string, port: number): void {
    this.udp.send(sealPacket(message, { crc: true }), host, port);
  }

  close(): Promise<void> {
    return Promise.all([this.udp.close(), this.tcp.close()]).then(() => undefined);
  }

  private now(): number {
    return Date.now() - this.started;
  }

  private onPacket(data: Uint8Array, from: RemoteInfo): void {
    this.packets.push({ at: this.now(), from: `${from.address}:${from.port}`, bytes: data.slice() });
    for (const message of decodePacket(data, {}).messages) {
      if (message.type !== 'ping' || (message.node !== '' && message.node !== this.identity.name)) continue;
      const host = message.sourceAddr?.length === 4 ? message.sourceAddr.join('.') : from.address;
      this.send(encodeMessage({ type: 'ack', seqNo: message.seqNo, payload: new Uint8Array(0) }), host, message.sourcePort ?? from.port);
    }
  }

  private onStream(data: Uint8Array, remote: { address: string; port: number }): Uint8Array | null | undefined {
    let message;
    try {
      message = openStream(data, { acceptLabel: true });
    } catch (error) {
      if (error instanceof StreamError && error.code === 'malformed') return undefined; // not all here yet
      return null;
    }
    this.streams.push({ at: this.now(), from: `${remote.address}:${remote.port}`, bytes: data.slice() });
    if (message.type === 'ping') return sealStream(encodeMessage({ type: 'ack', seqNo: message.ping.seqNo, payload: new Uint8Array(0) }), { dialer: false });
    if (message.type === 'push-pull') return sealStream(encodePushPull(this.localState(message.pushPull.join)), { dialer: false });
    return null;
  }
}
