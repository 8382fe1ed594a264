/**
 * Push-pull, memberlist's full-state exchange over TCP (net.go sendLocalState/readRemoteState):
 *
 *   06 | msgpack {Join, Nodes, UserStateLen} | Nodes x msgpack pushNodeState | UserStateLen raw bytes
 *
 * No length prefixes: the decoder reads exactly `Nodes` maps, then `UserStateLen` bytes.
 */
import { decodeValue, type MsgMap, MsgpackError } from '../msgpack/decode.js';
import { MsgpackWriter } from '../msgpack/encode.js';
import { bool, bytes, int, str, uint } from '../msgpack/fields.js';
import { MSG, type Vsn } from './messages.js';

/** memberlist's NodeStateType. */
export const NODE_STATE = { alive: 0, suspect: 1, dead: 2, left: 3 } as const;
export type NodeStateName = keyof typeof NODE_STATE;
const STATE_NAMES: readonly NodeStateName[] = ['alive', 'suspect', 'dead', 'left'];

/** Newer memberlist refuses headers above these; so do we. */
export const MAX_PUSH_NODES = 1 << 20;
export const MAX_USER_STATE = 20 * 1024 * 1024;

export interface PushNodeState {
  name: string;
  addr: Uint8Array;
  port: number;
  meta: Uint8Array;
  incarnation: number;
  state: NodeStateName;
  vsn: Vsn;
}

export interface PushPull {
  join: boolean;
  nodes: PushNodeState[];
  /** Delegate state; for Serf: 0x02 + msgpack messagePushPull. */
  userState: Uint8Array;
}

function nodeFromMap(m: MsgMap): PushNodeState {
  const state = int(m, 'State');
  const name = STATE_NAMES[state];
  if (name === undefined) throw new MsgpackError(`node state ${state} is not alive, suspect, dead or left`);
  return {
    name: str(m, 'Name'),
    addr: bytes(m, 'Addr'),
    port: uint(m, 'Port', 16) as number,
    meta: bytes(m, 'Meta'),
    incarnation: uint(m, 'Incarnation', 32) as number,
    state: name,
    vsn: bytes(m, 'Vsn'),
  };
}

/** Decodes a push-pull whose type byte (0x06) is at `data[0]`. Throws MsgpackError. */
export function decodePushPull(data: Uint8Array): PushPull {
  if (data[0] !== MSG.pushPull) throw new MsgpackError('not a push-pull message');
  let { value, end } = decodeValue(data, 1);
  if (!(value instanceof Map)) throw new MsgpackError('push-pull header is not a map');
  const count = int(value, 'Nodes');
  const userStateLen = int(value, 'UserStateLen');
  const join = bool(value, 'Join');
  if (count < 0 || count > MAX_PUSH_NODES || count > data.length - end) throw new MsgpackError(`push-pull claims ${count} nodes`);
  if (userStateLen < 0 || userStateLen > MAX_USER_STATE) throw new MsgpackError(`push-pull claims ${userStateLen} bytes of user state`);
  const nodes: PushNodeState[] = [];
  for (let i = 0; i < count; i++) {
    ({ value, end } = decodeValue(data, end));
    if (!(value instanceof Map)) throw new MsgpackError(`push-pull node ${i} is not a map`);
    nodes.push(nodeFromMap(value));
  }
  if (end + userStateLen > data.length) throw new MsgpackError('push-pull user state is truncated');
  return { join, nodes, userState: data.subarray(end, end + userStateLen) };
}

export function encodePushPull(pushPull: PushPull): Uint8Array {
  const writer = new MsgpackWriter();
  writer.writeRaw(Uint8Array.of(MSG.pushPull));
  writer.write({ Join: pushPull.join, Nodes: pushPull.nodes.length, UserStateLen: pushPull.userState.length });
  for (const node of pushPull.nodes) {
    if (node.vsn.length !== 6) throw new RangeError(`refusing to send node ${node.name} with a ${node.vsn.length}-byte Vsn`);
    writer.write({ Name: node.name, Addr: node.addr, Port: node.port, Meta: node.meta, Incarnation: node.incarnation, State: NODE_STATE[node.state], Vsn: node.vsn });
  }
  writer.writeRaw(pushPull.userState);
  return writer.bytes();
}

/** The 0-node request a passive observer polls with: the listener replies with its whole state and merges nothing. */
export function pollRequest(): Uint8Array {
  return encodePushPull({ join: false, nodes: [], userState: new Uint8Array(0) });
}
