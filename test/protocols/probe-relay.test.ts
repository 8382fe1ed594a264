// The member observer's part in SWIM's indirect probes, with hand-built packets: a member asks it
// to ping a target; the target's ack is relayed back under the requester's sequence number, and
// when the target stays silent a nack comes back after the probe timeout (when asked for).
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVER_DEFAULTS } from '../../src/protocols/memberlist/config.js';
import { encodeMessage, type Message } from '../../src/protocols/memberlist/messages.js';
import { decodePacket, sealPacket } from '../../src/protocols/memberlist/packet.js';
import type { MemberObserver } from '../../src/protocols/serf/member-observer.js';
import { joinedObserver, type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { waitFor } from '../support/wait.js';

interface Peer {
  socket: dgram.Socket;
  port: number;
  received: Message[];
}

async function udpPeer(): Promise<Peer> {
  const socket = dgram.createSocket('udp4');
  const peer: Peer = { socket, port: 0, received: [] };
  socket.on('message', (data) => peer.received.push(...decodePacket(data, {}).messages));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  peer.port = socket.address().port;
  return peer;
}

function send(from: Peer, message: Message, port: number): void {
  from.socket.send(sealPacket(encodeMessage(message), {}), port, '127.0.0.1');
}

/** Long enough for a relayed probe to time out (the negative checks must wait that long). */
const PAST_PROBE_TIMEOUT_MS = OBSERVER_DEFAULTS.probeTimeoutMs + 300;

describe('member observer: indirect probes', () => {
  let cluster: SerfCluster;
  let observer: MemberObserver;
  let requester: Peer;
  let target: Peer;
  let observerPort = 0;

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 1 });
    observer = await joinedObserver(cluster);
    observerPort = Number(observer.address.split(':').pop());
    requester = await udpPeer();
    target = await udpPeer();
  });
  afterAll(async () => {
    requester?.socket.close();
    target?.socket.close();
    await observer?.stop();
    await cluster?.stop();
  });

  it("pings the target under its own sequence number and relays the target's ack to the requester", async () => {
    send(requester, { type: 'indirect-ping', seqNo: 4242, target: Uint8Array.of(127, 0, 0, 1), port: target.port, node: 'target-node', nack: true }, observerPort);
    const ping = await waitFor(() => target.received.find((m): m is Extract<Message, { type: 'ping' }> => m.type === 'ping' && m.node === 'target-node'), { intervalMs: 10, what: 'the relayed ping' });
    expect(ping.sourceNode).toBe(observer.name);
    expect(ping.sourcePort).toBe(observerPort);
    send(target, { type: 'ack', seqNo: ping.seqNo, payload: new Uint8Array(0) }, observerPort);
    const ack = await waitFor(() => requester.received.find((m) => m.type === 'ack'), { intervalMs: 10, what: 'the relayed ack' });
    expect(ack).toMatchObject({ type: 'ack', seqNo: 4242 });
    // Acked: no nack follows after the probe timeout.
    await new Promise((r) => setTimeout(r, PAST_PROBE_TIMEOUT_MS));
    expect(requester.received.filter((m) => m.type === 'nack')).toEqual([]);
  });

  it('nacks after the probe timeout when the target stays silent and a nack was asked for; nothing when not', async () => {
    requester.received.length = 0;
    send(requester, { type: 'indirect-ping', seqNo: 7, target: Uint8Array.of(127, 0, 0, 1), port: target.port, node: 'silent', nack: true }, observerPort);
    send(requester, { type: 'indirect-ping', seqNo: 8, target: Uint8Array.of(127, 0, 0, 1), port: target.port, node: 'silent-no-nack', nack: false }, observerPort);
    const nack = await waitFor(() => requester.received.find((m) => m.type === 'nack'), { intervalMs: 10, what: 'the nack' });
    expect(nack).toMatchObject({ type: 'nack', seqNo: 7 });
    await new Promise((r) => setTimeout(r, PAST_PROBE_TIMEOUT_MS));
    expect(requester.received.filter((m) => m.type === 'nack' || m.type === 'ack')).toEqual([{ type: 'nack', seqNo: 7 }]);
  });
});
