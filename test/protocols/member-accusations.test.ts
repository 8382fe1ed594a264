// The member observer's record of who accused whom (what diagnose --mode member reads), with
// hand-built suspect messages beside real Serf agents: an accusation relayed to us late, of an
// incarnation the member has already refuted, is refuted at once; one the member refutes after we
// heard it is refuted when its higher incarnation reaches us (its alive gossip or, when we miss
// that, the push-pull member mode makes while it holds the member suspect).
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, type Message } from '../../src/protocols/memberlist/messages.js';
import { sealPacket } from '../../src/protocols/memberlist/packet.js';
import type { MemberObserver } from '../../src/protocols/serf/member-observer.js';
import { joinedObserver, type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { waitFor } from '../support/wait.js';

describe('member observer: accusations and their refutations', () => {
  let cluster: SerfCluster;
  let observer: MemberObserver;
  let socket: dgram.Socket;
  let observerPort = 0;
  const send = (message: Message, port: number): void => {
    socket.send(sealPacket(encodeMessage(message), {}), port, '127.0.0.1');
  };
  const incarnationOf = (name: string): number => observer.members().find((m) => m.name === name)?.incarnation ?? -1;
  const accusationBy = (accuser: string) => observer.accusations().find((a) => a.accuser === accuser);

  beforeAll(async () => {
    cluster = await startSerfCluster({ nodes: 2 });
    observer = await joinedObserver(cluster);
    observerPort = Number(observer.address.split(':').pop());
    socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    await waitFor(() => incarnationOf('sandbox-2') >= 1, { what: 'the observer to know sandbox-2' });
  });
  afterAll(async () => {
    socket?.close();
    await observer?.stop();
    await cluster?.stop();
  });

  it('an accusation below the incarnation the member already has is refuted as it is heard', async () => {
    const known = incarnationOf('sandbox-2');
    send({ type: 'suspect', incarnation: known - 1, node: 'sandbox-2', from: 'late-accuser' }, observerPort);
    const accusation = await waitFor(() => accusationBy('late-accuser'), { intervalMs: 10, what: 'the late accusation to be recorded' });
    expect([accusation.accused, accusation.incarnation, accusation.refutedAt]).toEqual(['sandbox-2', known - 1, accusation.at]);
    expect(observer.members().find((m) => m.name === 'sandbox-2')?.status).toBe('alive');
  });

  it('an accusation the member refutes afterwards is refuted once its higher incarnation reaches us', async () => {
    const known = incarnationOf('sandbox-2');
    const accusation: Message = { type: 'suspect', incarnation: known, node: 'sandbox-2', from: 'fresh-accuser' };
    send(accusation, observerPort);
    const heard = await waitFor(() => accusationBy('fresh-accuser'), { intervalMs: 10, what: 'the accusation to be recorded' });
    expect(heard.refutedAt).toBeNull();
    // Now the accused hears it too, and refutes (memberlist: incarnation + 1).
    send(accusation, Number(cluster.agents[1]!.bind.split(':').pop()));
    await waitFor(() => accusationBy('fresh-accuser')?.refutedAt !== null, { timeoutMs: 10_000, what: 'the refutation to reach the observer' });
    expect(incarnationOf('sandbox-2')).toBe(known + 1);
    await waitFor(() => observer.members().find((m) => m.name === 'sandbox-2')?.status === 'alive', { what: 'sandbox-2 alive again in the observer' });
  });
});
