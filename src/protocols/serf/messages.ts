/**
 * Serf's messages, carried as memberlist user messages (serf messages.go): a Serf type byte then
 * msgpack. ringside reads membership intents, the push-pull state and the clocks of events and
 * queries; it writes only join and leave intents and its own push-pull state.
 */
import { decodeValue, type MsgMap, MsgpackError } from '../msgpack/decode.js';
import { MsgpackWriter } from '../msgpack/encode.js';
import { array, bool, map, str, uint } from '../msgpack/fields.js';

export const SERF_MSG = {
  leave: 0,
  join: 1,
  pushPull: 2,
  userEvent: 3,
  query: 4,
  queryResponse: 5,
  conflictResponse: 6,
  keyRequest: 7,
  keyResponse: 8,
  relay: 9,
} as const;

export type SerfMessage =
  | { type: 'leave'; ltime: number; node: string; prune: boolean }
  | { type: 'join'; ltime: number; node: string }
  | { type: 'user-event'; ltime: number; name: string }
  | { type: 'query'; ltime: number; name: string; sourceNode: string }
  | { type: 'other'; serfType: number };

export interface SerfPushPull {
  ltime: number;
  /** Lamport time of each tracked member's last join or leave intent. */
  statusLTimes: Map<string, number>;
  leftMembers: string[];
  eventLTime: number;
  queryLTime: number;
}

/** Lamport times are uint64 in Go; anything beyond 2^53 is treated as malformed. */
function ltime(m: MsgMap, field: string): number {
  const value = uint(m, field, 64);
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (!Number.isSafeInteger(n)) throw new MsgpackError(`${field} is out of range`);
  return n;
}

function body(payload: Uint8Array): MsgMap {
  const { value } = decodeValue(payload, 1);
  if (!(value instanceof Map)) throw new MsgpackError('serf message body is not a map');
  return value;
}

/** Decodes a Serf message (payload of a memberlist user message). Throws MsgpackError. */
export function decodeSerfMessage(payload: Uint8Array): SerfMessage {
  const type = payload[0];
  switch (type) {
    case SERF_MSG.leave: {
      const m = body(payload);
      return { type: 'leave', ltime: ltime(m, 'LTime'), node: str(m, 'Node'), prune: bool(m, 'Prune') };
    }
    case SERF_MSG.join: {
      const m = body(payload);
      return { type: 'join', ltime: ltime(m, 'LTime'), node: str(m, 'Node') };
    }
    case SERF_MSG.userEvent: {
      const m = body(payload);
      return { type: 'user-event', ltime: ltime(m, 'LTime'), name: str(m, 'Name') };
    }
    case SERF_MSG.query: {
      const m = body(payload);
      return { type: 'query', ltime: ltime(m, 'LTime'), name: str(m, 'Name'), sourceNode: str(m, 'SourceNode') };
    }
    case undefined:
      throw new MsgpackError('empty serf message');
    default:
      return { type: 'other', serfType: type };
  }
}

/** Decodes Serf's push-pull user state (0x02 + messagePushPull). */
export function decodeSerfPushPull(state: Uint8Array): SerfPushPull {
  if (state[0] !== SERF_MSG.pushPull) throw new MsgpackError('user state is not a serf push-pull');
  const m = body(state);
  const statusLTimes = new Map<string, number>();
  for (const [name, value] of map(m, 'StatusLTimes')) {
    const n = typeof value === 'bigint' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new MsgpackError(`StatusLTimes[${name}] is not a Lamport time`);
    statusLTimes.set(name, n);
  }
  const leftMembers = array(m, 'LeftMembers').map((v) => {
    if (!(v instanceof Uint8Array)) throw new MsgpackError('LeftMembers holds a non-string');
    return Buffer.from(v).toString('utf8');
  });
  return { ltime: ltime(m, 'LTime'), statusLTimes, leftMembers, eventLTime: ltime(m, 'EventLTime'), queryLTime: ltime(m, 'QueryLTime') };
}

function withSerfType(type: number, fields: Record<string, unknown>): Uint8Array {
  const writer = new MsgpackWriter();
  writer.writeRaw(Uint8Array.of(type));
  writer.write(fields as never);
  return writer.bytes();
}

export function encodeJoinIntent(ltimeValue: number, node: string): Uint8Array {
  return withSerfType(SERF_MSG.join, { LTime: ltimeValue, Node: node });
}

export function encodeLeaveIntent(ltimeValue: number, node: string): Uint8Array {
  return withSerfType(SERF_MSG.leave, { LTime: ltimeValue, Node: node, Prune: false });
}

/**
 * The push-pull state an observer member sends: only itself (never echo other members' intents
 * from a cache: a stale join time can flip a leaving member back to alive on the receiver).
 */
export function encodeSerfPushPull(state: { ltime: number; self: string; selfLTime: number; leaving: boolean; eventLTime: number; queryLTime: number }): Uint8Array {
  return withSerfType(SERF_MSG.pushPull, {
    LTime: state.ltime,
    StatusLTimes: new Map([[state.self, state.selfLTime]]),
    LeftMembers: state.leaving ? [state.self] : [],
    EventLTime: state.eventLTime,
    Events: [],
    QueryLTime: state.queryLTime,
  });
}
