// Bytes captured from real Serf agents of both generations (test/vectors/*.json, made by
// test/vectors/capture.ts): Debian's serf 0.9.4 on memberlist 0.2.2 and go-msgpack 0.5.5, and
// Serf 0.10.4 on memberlist 0.6.0 and go-msgpack/v2 2.1.5, which writes Go's signed integers above
// 127 as signed msgpack (0xd1/0xd2/0xd3) where the old one wrote unsigned (0xcc–0xcf). Every
// vector is decoded with ringside's codecs and checked against what the capture knew without any
// decoder: the agents' own `serf members -format=json` and the commands it ran. The integer form
// each generation used is read from the bytes themselves, so these tests prove both forms decode.
import { describe, expect, it } from 'vitest';
import { decompressMessage } from '../../src/protocols/memberlist/layers.js';
import { lzwCompress } from '../../src/protocols/memberlist/lzw.js';
import { decodeMessage, encodeMessage, type Message, MSG } from '../../src/protocols/memberlist/messages.js';
import { decodePacket } from '../../src/protocols/memberlist/packet.js';
import { decodePushPull, encodePushPull, type PushPull } from '../../src/protocols/memberlist/push-pull.js';
import { Keyring } from '../../src/protocols/memberlist/security.js';
import { openStream, StreamError } from '../../src/protocols/memberlist/stream.js';
import { decodeValue, type MsgMap } from '../../src/protocols/msgpack/decode.js';
import { encodeValue } from '../../src/protocols/msgpack/encode.js';
import { array, asFloat, bool, bytes, int, map, str, uint } from '../../src/protocols/msgpack/fields.js';
import { ipString } from '../../src/protocols/serf/membership.js';
import { decodeSerfMessage, decodeSerfPushPull, encodeJoinIntent, encodeLeaveIntent, SERF_MSG } from '../../src/protocols/serf/messages.js';
import { decodeTags } from '../../src/protocols/serf/tags.js';
import type { SerfMember } from '../../src/sandbox/members.js';
import { observerPushPull } from '../vectors/capture-endpoint.js';
import { formName, layerNames, plainMessages, typeByteAfter } from '../vectors/bytes.js';
import { GENERATIONS, type Generation, loadVectors, type Vector, type VectorFile, vectorBytes } from '../vectors/vectors.js';

/** What each generation's encoder writes for a Go signed int (`int`, `time.Duration`) whose value is in 128..2^63. */
function goSignedForm(generation: Generation, value: number): number {
  if (generation === 'serf-0.10.4') return value <= 0x7fff ? 0xd1 : value <= 0x7fff_ffff ? 0xd2 : 0xd3;
  return value <= 0xff ? 0xcc : value <= 0xffff ? 0xcd : value <= 0xffff_ffff ? 0xce : 0xcf;
}

const SERF_STATUS_TO_STATE: Record<string, string> = { alive: 'alive', left: 'left', failed: 'dead' };
const port = (hostPort: string): number => Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
const text = (value: Uint8Array): string => Buffer.from(value).toString('utf8');

describe.each(GENERATIONS)('vectors captured from %s', (generation) => {
  const file: VectorFile = loadVectors(generation);
  const { script, members } = file;
  const v2 = generation === 'serf-0.10.4';
  const member = (name: string, list: SerfMember[] = members.joined): SerfMember => {
    const found = list.find((m) => m.name === name);
    if (!found) throw new Error(`serf members did not list ${name}`);
    return found;
  };
  const byId = (id: string): Vector => {
    const found = file.vectors.find((v) => v.id === id);
    if (!found) throw new Error(`no vector ${id} in ${generation}.json`);
    return found;
  };
  /** The datagram the capture kept for `label` (one may cover several labels). */
  const datagram = (label: string): Uint8Array => {
    const found = file.vectors.find((v) => v.transport === 'udp' && v.covers.includes(label));
    if (!found) throw new Error(`no datagram covering ${label} in ${generation}.json`);
    return vectorBytes(found);
  };
  const messagesOf = (label: string): Message[] => decodePacket(datagram(label), {}).messages;
  const serfBodies = (label: string): Array<{ type: number; body: MsgMap; end: number; payload: Uint8Array }> =>
    messagesOf(label).flatMap((m) => {
      if (m.type !== 'user') return [];
      const { value, end } = decodeValue(m.payload, 1);
      return [{ type: m.payload[0] as number, body: value as MsgMap, end, payload: m.payload }];
    });
  const agentNames = [...script.agents, script.lateJoiner];

  it('came from the generation it is filed under', () => {
    const firstLine = file.provenance.serfVersion.split('\n')[0];
    if (v2) {
      expect(firstLine).toBe('0.10.2-dev');
      expect(file.provenance.modules).toMatchObject({ 'github.com/hashicorp/serf': 'v0.10.4', 'github.com/hashicorp/memberlist': 'v0.6.0', 'github.com/hashicorp/go-msgpack/v2': 'v2.1.5' });
    } else {
      expect(firstLine).toBe('0.8.2-dev');
      expect(file.provenance.debianPackage).toMatch(/^serf 0\.9\.4.*golang-github-hashicorp-go-msgpack \(= 0\.5\.5.*golang-github-hashicorp-memberlist \(= 0\.2\.2/);
    }
    expect(member(script.observer.name).status).toBe('alive');
    expect(members.final.map((m) => [m.name, m.status]).sort()).toEqual(
      [...agentNames.map((n) => [n, n === script.left ? 'left' : n === script.killed ? 'failed' : 'alive']), [script.observer.name, 'alive']].sort(),
    );
  });

  describe('push-pull (TCP)', () => {
    const pushPullOf = (id: string, keyring?: Keyring): PushPull => {
      const message = openStream(vectorBytes(byId(id)), keyring ? { keyring } : {});
      if (message.type !== 'push-pull') throw new Error(`${id} is a ${message.type}`);
      return message.pushPull;
    };
    const expectNodesAsSerfSaysThem = (pushPull: PushPull, names: string[], list: SerfMember[]): void => {
      expect(pushPull.nodes.map((n) => n.name).sort()).toEqual([...names].sort());
      for (const node of pushPull.nodes) {
        const serf = member(node.name, list);
        expect(`${ipString(node.addr)}:${node.port}`).toBe(serf.addr);
        expect(node.state).toBe(SERF_STATUS_TO_STATE[serf.status]);
        expect(decodeTags(node.meta)).toEqual(serf.tags);
        // Serf's protocol numbers are the delegate's part of Vsn: [pMin, pMax, pCur, dMin, dMax, dCur].
        expect([...node.vsn.subarray(3)]).toEqual([serf.protocol.min, serf.protocol.max, serf.protocol.version]);
        expect(node.incarnation).toBeGreaterThanOrEqual(1);
      }
    };
    const expectObserver = (pushPull: PushPull): void => {
      const own = pushPull.nodes.find((n) => n.name === script.observer.name);
      expect(own).toMatchObject({ incarnation: script.observer.incarnation, port: script.observer.port, state: 'alive' });
      expect(ipString(own?.addr ?? new Uint8Array(0))).toBe(script.observer.addr);
      expect([...(own?.vsn ?? [])]).toEqual(script.observer.vsn);
      expect(decodeTags(own?.meta ?? new Uint8Array(0))).toEqual(script.observer.tags);
    };

    it("replies to ringside's 0-node poll and to the observer's join with the three agents", () => {
      for (const [id, join] of [['tcp-push-pull-reply-poll', false], ['tcp-push-pull-reply-join', true]] as const) {
        const pushPull = pushPullOf(id);
        expect(pushPull.join).toBe(join);
        expectNodesAsSerfSaysThem(pushPull, script.agents, members.joined);
        expect(port(byId(id).from)).toBe(port(member(script.agents[0] as string).addr));
        const serf = decodeSerfPushPull(pushPull.userState);
        expect([...serf.statusLTimes.keys()].sort()).toEqual([...script.agents].sort());
        expect(serf.leftMembers).toEqual([]);
      }
    });

    it('replies after the leave and the kill with left and dead node states, as serf members shows them', () => {
      const pushPull = pushPullOf('tcp-push-pull-reply-final');
      expectNodesAsSerfSaysThem(pushPull, [...agentNames, script.observer.name], members.final);
      expectObserver(pushPull);
      const serf = decodeSerfPushPull(pushPull.userState);
      expect(serf.leftMembers).toEqual([script.left]);
      expect([...serf.statusLTimes.keys()].sort()).toEqual([...agentNames, script.observer.name].sort());
      expect(serf.eventLTime).toBeGreaterThan(0);
      expect(serf.queryLTime).toBeGreaterThan(script.queries.length - 1);
    });

    it("carries the late joiner's push-pull join to the observer (every member alive)", () => {
      const pushPull = pushPullOf('tcp-push-pull-join-request');
      expect(pushPull.join).toBe(true);
      expectNodesAsSerfSaysThem(pushPull, [...agentNames, script.observer.name], members.joined);
      expectObserver(pushPull);
    });

    it('decrypts the encrypted reply with the capture key, and says so without one', () => {
      const keyring = new Keyring([Buffer.from(script.encrypted.key, 'base64')]);
      const raw = vectorBytes(byId('tcp-push-pull-reply-encrypted'));
      expect(raw[0]).toBe(MSG.encrypt);
      expect(raw[5]).toBe(1); // encryption version 1 (no padding) in both generations
      const pushPull = pushPullOf('tcp-push-pull-reply-encrypted', keyring);
      expect(pushPull.nodes.map((n) => [n.name, `${ipString(n.addr)}:${n.port}`])).toEqual([[script.encrypted.agent, byId('tcp-push-pull-reply-encrypted').from]]);
      expect(() => openStream(raw, {})).toThrow(StreamError);
    });

    it(`writes the header's UserStateLen (a Go int over 255) as ${v2 ? 'signed 0xd1' : 'unsigned 0xcd'}, and ringside reads it`, () => {
      for (const vector of file.vectors.filter((v) => v.transport === 'tcp')) {
        const keyring = vector.covers.includes('encrypt') ? new Keyring([Buffer.from(script.encrypted.key, 'base64')]) : undefined;
        const [body] = plainMessages(vectorBytes(vector), keyring);
        if (!body) throw new Error(`${vector.id} is empty`);
        const pushPull = decodePushPull(body);
        // The whole stream is the header, the nodes and exactly UserStateLen bytes of Serf state.
        expect(encodePushPull(pushPull).length, vector.id).toBe(body.length);
        expect(pushPull.userState.length, vector.id).toBeGreaterThan(255);
        expect(pushPull.userState.length, vector.id).toBeLessThan(0x8000);
        expect(formName(typeByteAfter(body, 'UserStateLen')), vector.id).toBe(v2 ? '0xd1' : '0xcd');
        expect(typeByteAfter(body, 'Nodes'), vector.id).toBe(pushPull.nodes.length); // a fixint in both
      }
    });
  });

  describe('gossip (UDP)', () => {
    it('decodes every datagram whole: no part dropped, every Serf message readable', () => {
      for (const vector of file.vectors.filter((v) => v.transport === 'udp')) {
        const decoded = decodePacket(vectorBytes(vector), {});
        expect(decoded.dropped, vector.id).toEqual([]);
        expect(decoded.messages.length, vector.id).toBeGreaterThan(0);
        for (const m of decoded.messages) if (m.type === 'user') expect(() => decodeSerfMessage(m.payload)).not.toThrow();
      }
    });

    it('reads a probe of the observer, from the agent that sent it', () => {
      const ping = messagesOf(`ping:${script.observer.name}`).find((m) => m.type === 'ping');
      if (ping?.type !== 'ping') throw new Error('no ping');
      const sender = member(ping.sourceNode ?? '');
      expect(agentNames).toContain(sender.name);
      expect(`${ipString(ping.sourceAddr ?? new Uint8Array(0))}:${ping.sourcePort}`).toBe(sender.addr);
      expect(ping.node).toBe(script.observer.name);
    });

    it("reads the first agent's ack to the observer's ping: uint32 SeqNo 0xce in both, Serf's coordinate as payload", () => {
      const body = plainMessages(datagram('ack+payload')).find((b) => b[0] === MSG.ack) as Uint8Array;
      const ack = decodeMessage(body);
      if (ack.type !== 'ack') throw new Error('no ack');
      expect(ack.seqNo).toBe(script.ping.seqNo);
      expect(formName(typeByteAfter(body, 'SeqNo'))).toBe('0xce'); // unsigned stays unsigned in go-msgpack v2
      expect(ack.payload[0]).toBe(1); // Serf's ping payload version
      const coordinate = decodeValue(ack.payload, 1).value as MsgMap;
      expect(array(coordinate, 'Vec').map((x) => asFloat(x, 'Vec[]'))).toHaveLength(8);
      expect(asFloat(coordinate.get('Error') ?? null, 'Error')).toBeGreaterThan(0);
    });

    it('reads alive gossip about the observer with the values it joined with (incarnation 70000: 0xce in both)', () => {
      const body = plainMessages(datagram(`alive:${script.observer.name}`)).find((b) => b[0] === MSG.alive && text(b).includes(script.observer.name)) as Uint8Array;
      const alive = decodeMessage(body);
      if (alive.type !== 'alive') throw new Error('no alive');
      expect({ node: alive.node, incarnation: alive.incarnation, addr: ipString(alive.addr), port: alive.port, vsn: [...alive.vsn], tags: decodeTags(alive.meta) }).toEqual({
        node: script.observer.name,
        incarnation: script.observer.incarnation,
        addr: script.observer.addr,
        port: script.observer.port,
        vsn: script.observer.vsn,
        tags: script.observer.tags,
      });
      expect(formName(typeByteAfter(body, 'Incarnation'))).toBe('0xce');
    });

    it('reads alive gossip and the Serf join intent of the late joiner', () => {
      const alive = messagesOf(`alive:${script.lateJoiner}`).find((m) => m.type === 'alive' && m.node === script.lateJoiner);
      if (alive?.type !== 'alive') throw new Error('no alive');
      const serf = member(script.lateJoiner);
      expect(`${ipString(alive.addr)}:${alive.port}`).toBe(serf.addr);
      expect(decodeTags(alive.meta)).toEqual(serf.tags);
      const intents = messagesOf(`serf-join:${script.lateJoiner}`).flatMap((m) => (m.type === 'user' ? [decodeSerfMessage(m.payload)] : []));
      expect(intents).toContainEqual({ type: 'join', ltime: expect.any(Number), node: script.lateJoiner });
    });

    it('reads the user event from `serf event`: name, payload, no coalescing', () => {
      const event = serfBodies(`serf-event:${script.event.name}`).find((s) => s.type === SERF_MSG.userEvent);
      if (!event) throw new Error('no user event');
      expect(decodeSerfMessage(event.payload)).toMatchObject({ type: 'user-event', name: script.event.name });
      expect(text(bytes(event.body, 'Payload'))).toBe(script.event.payload);
      expect(bool(event.body, 'CC')).toBe(script.event.coalesce);
      // A 51-byte []byte: the old raw str16 in both generations (never str8 0xd9 or bin 0xc4).
      expect(formName(typeByteAfter(event.payload, 'Payload'))).toBe('0xda');
    });

    it.each(script.queries.map((q) => [q.name, q] as const))('reads the query %s: its Timeout is a Go time.Duration, signed in v2', (_name, query) => {
      const found = serfBodies(`serf-query:${query.name}`).find((s) => s.type === SERF_MSG.query && text(bytes(s.body, 'Name')) === query.name);
      if (!found) throw new Error(`no query ${query.name}`);
      const { body, payload } = found;
      expect(decodeSerfMessage(payload)).toMatchObject({ type: 'query', name: query.name, sourceNode: script.agents[0] });
      expect(int(body, 'Timeout', 64)).toBe(BigInt(query.timeoutNs));
      expect(typeByteAfter(payload, 'Timeout')).toBe(goSignedForm(generation, query.timeoutNs));
      expect(uint(body, 'RelayFactor', 8)).toBe(query.relayFactor);
      expect(text(bytes(body, 'Payload'))).toBe(query.payload);
      expect(`${ipString(bytes(body, 'Addr'))}:${uint(body, 'Port', 16)}`).toBe(member(script.agents[0] as string).addr);
      expect(uint(body, 'Flags', 32) & 1).toBe(1); // the ack flag: `serf query` asks for acks
    });

    it("reads a relayed query ack: the relay header's port is a Go int, signed in v2", () => {
      const relay = serfBodies('serf-relay').find((s) => s.type === SERF_MSG.relay);
      if (!relay) throw new Error('no relay');
      const querier = member(script.agents[0] as string);
      const destination = map(relay.body, 'DestAddr');
      const destinationPort = int(destination, 'Port', 32);
      expect(`${ipString(bytes(destination, 'IP'))}:${destinationPort}`).toBe(querier.addr);
      expect(str(relay.body, 'DestName')).toBe(querier.name);
      expect(destinationPort).toBeGreaterThan(255);
      expect(typeByteAfter(relay.payload, 'Port')).toBe(goSignedForm(generation, destinationPort));
      // Then the relayed message itself: a query response with the ack flag, for the relayed query.
      expect(relay.payload[relay.end]).toBe(SERF_MSG.queryResponse);
      const response = decodeValue(relay.payload, relay.end + 1).value as MsgMap;
      expect(agentNames).toContain(str(response, 'From'));
      expect(uint(response, 'Flags', 32)).toBe(1);
      const relayed = serfBodies(`serf-query:${script.queries.find((q) => q.relayFactor > 0)?.name}`).find((s) => s.type === SERF_MSG.query && uint(s.body, 'RelayFactor', 8) > 0);
      expect(uint(response, 'ID', 32)).toBe(uint(relayed?.body ?? new Map(), 'ID', 32));
    });

    it('reads the graceful leave: Serf leave intent, then dead from the node itself', () => {
      const intents = messagesOf(`serf-leave:${script.left}`).flatMap((m) => (m.type === 'user' ? [decodeSerfMessage(m.payload)] : []));
      expect(intents).toContainEqual({ type: 'leave', ltime: expect.any(Number), node: script.left, prune: false });
      expect(messagesOf(`dead-leave:${script.left}`)).toContainEqual({ type: 'dead', incarnation: expect.any(Number), node: script.left, from: script.left });
    });

    it('reads the failure of the SIGKILLed agent: indirect probe, suspect, then dead from another member', () => {
      const killed = member(script.killed);
      const indirect = messagesOf(`indirect-ping:${script.killed}`).find((m) => m.type === 'indirect-ping');
      if (indirect?.type !== 'indirect-ping') throw new Error('no indirect ping');
      expect(`${ipString(indirect.target)}:${indirect.port}`).toBe(killed.addr);
      for (const kind of ['suspect', 'dead'] as const) {
        const accusation = messagesOf(`${kind}:${script.killed}`).find((m) => m.type === kind && m.node === script.killed);
        if (accusation?.type !== kind) throw new Error(`no ${kind}`);
        expect(agentNames.filter((n) => n !== script.killed)).toContain(accusation.from);
      }
    });

    it('holds CRC, compound and LZW-compressed datagrams', () => {
      const layers = new Set(file.vectors.filter((v) => v.transport === 'udp').flatMap((v) => layerNames(vectorBytes(v))));
      expect([...layers].sort()).toEqual(['compound', 'compress', 'crc']);
    });
  });

  it(`uses ${v2 ? '0xd1, 0xd2 and 0xd3' : '0xcd, 0xce and 0xcf'} for Go signed ints above 127 (UserStateLen, query Timeouts, relay port)`, () => {
    const forms = new Set<string>();
    const [pushPull] = plainMessages(vectorBytes(byId('tcp-push-pull-reply-final')));
    forms.add(formName(typeByteAfter(pushPull as Uint8Array, 'UserStateLen')));
    for (const query of script.queries) {
      const found = serfBodies(`serf-query:${query.name}`).find((s) => s.type === SERF_MSG.query && text(bytes(s.body, 'Name')) === query.name);
      forms.add(formName(typeByteAfter(found?.payload ?? new Uint8Array(0), 'Timeout')));
    }
    const relay = serfBodies('serf-relay').find((s) => s.type === SERF_MSG.relay);
    forms.add(formName(typeByteAfter(relay?.payload ?? new Uint8Array(0), 'Port')));
    expect([...forms].sort()).toEqual(v2 ? ['0xd1', '0xd2', '0xd3'] : ['0xcd', '0xce', '0xcf']);
  });

  describe("ringside's encoder against Go's bytes", () => {
    // What ringside writes for a Go signed int (push-pull Nodes and UserStateLen; it sends no user
    // message over TCP, no query and no relay) is the smallest unsigned form, as go-msgpack 0.5.5
    // does. go-msgpack v2 changed only what it writes: decoding into a Go int still takes any msgpack
    // integer family, signed or unsigned. So both generations accept ringside's push-pull, which
    // this capture shows for each: the observer's join (built by ringside's encoders, UserStateLen
    // 0xcc) made every agent list it alive with its tags (serf members, above), and test/live runs
    // ringside's observers against both generations.
    const plainOf = (vector: Vector): Uint8Array[] =>
      plainMessages(vectorBytes(vector), vector.covers.includes('encrypt') ? new Keyring([Buffer.from(script.encrypted.key, 'base64')]) : undefined);

    it('re-encodes every memberlist message and Serf intent byte for byte', () => {
      const kinds = new Set<string>();
      for (const vector of file.vectors) {
        for (const body of plainOf(vector)) {
          if (body[0] === MSG.pushPull) continue;
          if (body[0] === MSG.user) {
            const serf = decodeSerfMessage(body.subarray(1));
            if (serf.type !== 'join' && serf.type !== 'leave') continue; // ringside writes no other Serf message
            const again = serf.type === 'join' ? encodeJoinIntent(serf.ltime, serf.node) : encodeLeaveIntent(serf.ltime, serf.node);
            expect(Buffer.from(again).toString('hex'), vector.id).toBe(Buffer.from(body.subarray(1)).toString('hex'));
            kinds.add(`serf-${serf.type}`);
          } else {
            const message = decodeMessage(body);
            expect(Buffer.from(encodeMessage(message)).toString('hex'), vector.id).toBe(Buffer.from(body).toString('hex'));
            kinds.add(message.type);
          }
        }
      }
      expect([...kinds].sort()).toEqual(['ack', 'alive', 'dead', 'indirect-ping', 'ping', 'serf-join', 'serf-leave', 'suspect']);
    });

    it(v2 ? 're-encodes push-pulls byte for byte except UserStateLen (ringside 0xcd, Go v2 0xd1)' : 're-encodes push-pulls byte for byte', () => {
      for (const vector of file.vectors.filter((v) => v.transport === 'tcp')) {
        const [body] = plainOf(vector) as [Uint8Array];
        const again = encodePushPull(decodePushPull(body));
        const differ = [...body.keys()].filter((i) => body[i] !== again[i]);
        if (!v2) expect(differ, vector.id).toEqual([]);
        else {
          expect(differ, vector.id).toHaveLength(1);
          const at = differ[0] as number;
          expect([body[at], again[at]], vector.id).toEqual([0xd1, 0xcd]);
          expect(text(body.subarray(at - 12, at)), vector.id).toBe('UserStateLen');
        }
      }
    });

    it('compresses with LZW exactly as Go does', () => {
      let checked = 0;
      for (const vector of file.vectors.filter((v) => !v.covers.includes('encrypt'))) {
        let body = vectorBytes(vector);
        if (body[0] === MSG.hasCrc) body = body.subarray(5);
        if (body[0] !== MSG.compress) continue;
        const again = Uint8Array.from([MSG.compress, ...encodeValue({ Algo: 0, Buf: lzwCompress(decompressMessage(body, 1 << 24)) })]);
        expect(Buffer.from(again).toString('hex'), vector.id).toBe(Buffer.from(body).toString('hex'));
        checked++;
      }
      expect(checked).toBeGreaterThan(2);
    });

    it("sent the agents a join whose UserStateLen is unsigned 0xcc, and they took it", () => {
      const sent = encodePushPull(observerPushPull(script.observer, true));
      expect(decodePushPull(sent).userState.length).toBeGreaterThan(127);
      expect(formName(typeByteAfter(sent, 'UserStateLen'))).toBe('0xcc');
      expect(member(script.observer.name)).toMatchObject({ status: 'alive', tags: script.observer.tags, port: script.observer.port });
    });
  });
});
