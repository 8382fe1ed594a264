/**
 * memberlist's messages (memberlist 0.2.2, net.go): a type byte followed by one msgpack map
 * keyed by Go field names. Pure: bytes <-> typed messages. Go writes []byte fields with string
 * type codes, so decoding reads every raw value as bytes and converts per field.
 */
import { decodeValue, type MsgMap, MsgpackError } from '../msgpack/decode.js';
import { type EncodeValue, encodeValue } from '../msgpack/encode.js';
import { bool, bytes, str, uint } from '../msgpack/fields.js';

/** Message type bytes (net.go `messageType`), append-only. */
export const MSG = {
  ping: 0,
  indirectPing: 1,
  ack: 2,
  suspect: 3,
  alive: 4,
  dead: 5,
  pushPull: 6,
  compound: 7,
  user: 8,
  compress: 9,
  encrypt: 10,
  nack: 11,
  hasCrc: 12,
  err: 13,
  hasLabel: 244,
} as const;

/** What every record about a node advertises: [pMin, pMax, pCur, dMin, dMax, dCur]. */
export type Vsn = Uint8Array;

export interface Ping {
  type: 'ping';
  seqNo: number;
  /** Intended target's name; '' skips the receiver's check. */
  node: string;
  sourceAddr?: Uint8Array;
  sourcePort?: number;
  sourceNode?: string;
}

export interface IndirectPing {
  type: 'indirect-ping';
  seqNo: number;
  target: Uint8Array;
  port: number;
  node: string;
  nack: boolean;
  sourceAddr?: Uint8Array;
  sourcePort?: number;
  sourceNode?: string;
}

export interface Ack {
  type: 'ack';
  seqNo: number;
  payload: Uint8Array;
}

export interface Nack {
  type: 'nack';
  seqNo: number;
}

export interface Suspect {
  type: 'suspect';
  incarnation: number;
  node: string;
  from: string;
}

/** `from === node` is a graceful leave. */
export interface Dead {
  type: 'dead';
  incarnation: number;
  node: string;
  from: string;
}

export interface Alive {
  type: 'alive';
  incarnation: number;
  node: string;
  addr: Uint8Array;
  port: number;
  meta: Uint8Array;
  vsn: Vsn;
}

/** A delegate (Serf) message: raw bytes after the type byte. */
export interface UserMessage {
  type: 'user';
  payload: Uint8Array;
}

export interface ErrorResponse {
  type: 'err';
  error: string;
}

export type Message = Ping | IndirectPing | Ack | Nack | Suspect | Dead | Alive | UserMessage | ErrorResponse;

function decodeMap(body: Uint8Array, offset: number): MsgMap {
  const { value } = decodeValue(body, offset);
  if (!(value instanceof Map)) throw new MsgpackError('message body is not a map');
  return value;
}

function optionalSource(m: MsgMap): Pick<Ping, 'sourceAddr' | 'sourcePort' | 'sourceNode'> {
  const out: Pick<Ping, 'sourceAddr' | 'sourcePort' | 'sourceNode'> = {};
  const addr = bytes(m, 'SourceAddr');
  if (addr.length > 0) out.sourceAddr = addr;
  const port = uint(m, 'SourcePort', 16) as number;
  if (port > 0) out.sourcePort = port;
  const node = str(m, 'SourceNode');
  if (node !== '') out.sourceNode = node;
  return out;
}

/**
 * Decodes one message whose type byte is at `body[offset]` (not compound, compress or crc:
 * those are layers, see packet.ts). Throws MsgpackError on malformed input.
 */
export function decodeMessage(body: Uint8Array, offset = 0): Message {
  const type = body[offset];
  const at = offset + 1;
  switch (type) {
    case MSG.ping: {
      const m = decodeMap(body, at);
      return { type: 'ping', seqNo: uint(m, 'SeqNo', 32) as number, node: str(m, 'Node'), ...optionalSource(m) };
    }
    case MSG.indirectPing: {
      const m = decodeMap(body, at);
      return {
        type: 'indirect-ping',
        seqNo: uint(m, 'SeqNo', 32) as number,
        target: bytes(m, 'Target'),
        port: uint(m, 'Port', 16) as number,
        node: str(m, 'Node'),
        nack: bool(m, 'Nack'),
        ...optionalSource(m),
      };
    }
    case MSG.ack: {
      const m = decodeMap(body, at);
      return { type: 'ack', seqNo: uint(m, 'SeqNo', 32) as number, payload: bytes(m, 'Payload') };
    }
    case MSG.nack: {
      const m = decodeMap(body, at);
      return { type: 'nack', seqNo: uint(m, 'SeqNo', 32) as number };
    }
    case MSG.suspect:
    case MSG.dead: {
      const m = decodeMap(body, at);
      return { type: type === MSG.suspect ? 'suspect' : 'dead', incarnation: uint(m, 'Incarnation', 32) as number, node: str(m, 'Node'), from: str(m, 'From') };
    }
    case MSG.alive: {
      const m = decodeMap(body, at);
      return {
        type: 'alive',
        incarnation: uint(m, 'Incarnation', 32) as number,
        node: str(m, 'Node'),
        addr: bytes(m, 'Addr'),
        port: uint(m, 'Port', 16) as number,
        meta: bytes(m, 'Meta'),
        vsn: bytes(m, 'Vsn'),
      };
    }
    case MSG.user:
      return { type: 'user', payload: body.subarray(at) };
    case MSG.err: {
      const m = decodeMap(body, at);
      return { type: 'err', error: str(m, 'Error') };
    }
    default:
      throw new MsgpackError(`message type ${String(type)} is not a plain message`);
  }
}

function withType(type: number, fields: EncodeValue): Uint8Array {
  const payload = encodeValue(fields);
  const out = new Uint8Array(payload.length + 1);
  out[0] = type;
  out.set(payload, 1);
  return out;
}

/** Encodes a message as Go writes it: type byte, then a map with sorted Go field names. */
export function encodeMessage(msg: Message): Uint8Array {
  switch (msg.type) {
    case 'ping':
      return withType(MSG.ping, { SeqNo: msg.seqNo, Node: msg.node, SourceAddr: msg.sourceAddr, SourcePort: msg.sourcePort, SourceNode: msg.sourceNode });
    case 'indirect-ping':
      return withType(MSG.indirectPing, {
        SeqNo: msg.seqNo,
        Target: msg.target,
        Port: msg.port,
        Node: msg.node,
        Nack: msg.nack,
        SourceAddr: msg.sourceAddr,
        SourcePort: msg.sourcePort,
        SourceNode: msg.sourceNode,
      });
    case 'ack':
      // A nil payload (c0) is what an observer should send: Serf ignores an empty ack payload.
      return withType(MSG.ack, { SeqNo: msg.seqNo, Payload: msg.payload.length > 0 ? msg.payload : null });
    case 'nack':
      return withType(MSG.nack, { SeqNo: msg.seqNo });
    case 'suspect':
      return withType(MSG.suspect, { Incarnation: msg.incarnation, Node: msg.node, From: msg.from });
    case 'dead':
      return withType(MSG.dead, { Incarnation: msg.incarnation, Node: msg.node, From: msg.from });
    case 'alive':
      // memberlist 0.2.2 indexes Vsn[0..5] unchecked: a short Vsn can crash an agent.
      if (msg.vsn.length !== 6) throw new RangeError(`refusing to send an alive with a ${msg.vsn.length}-byte Vsn`);
      return withType(MSG.alive, { Incarnation: msg.incarnation, Node: msg.node, Addr: msg.addr, Port: msg.port, Meta: msg.meta, Vsn: msg.vsn });
    case 'user': {
      const out = new Uint8Array(msg.payload.length + 1);
      out[0] = MSG.user;
      out.set(msg.payload, 1);
      return out;
    }
    case 'err':
      return withType(MSG.err, { Error: msg.error });
  }
}
