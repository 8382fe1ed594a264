/**
 * The side-effect-free ringpop calls (ringpop.md 2.4): `/admin/stats`, `/admin/lookup`, and a
 * `/protocol/join` that never makes the caller a member (the join handler adds nobody; the
 * source `0.0.0.0:1` is a valid host:port no member can ever have). The app name comes from a
 * deliberate wrong-app join, which every ringpop refuses with the real name. No call here sends
 * a membership change.
 */
import { RingsideError } from '../../errors.js';
import { TChannelConnection, TChannelError } from '../tchannel/client.js';
import { ErrorCode } from '../tchannel/messages.js';
import { appFromJoinError, describeAppError, type JoinResponse, parseBody, parseJoinResponse, parseLookup, parseStats, RingpopDecodeError, type RingpopStats } from './messages.js';

export const RINGPOP_SERVICE = 'ringpop';
/** A syntactically valid joiner address that no member can have. */
export const OBSERVER_SOURCE = '0.0.0.0:1';
const WRONG_APP = 'ringside-app-probe';

/** An endpoint the member does not serve (an older or other implementation). */
export class MissingEndpointError extends Error {
  override readonly name = 'MissingEndpointError';
  constructor(readonly endpoint: string) {
    super(`does not serve ${endpoint}`);
  }
}

/** A ringpop application error (call res code != 0). */
export class RingpopCallError extends Error {
  override readonly name = 'RingpopCallError';
  constructor(
    readonly endpoint: string,
    readonly body: unknown,
  ) {
    super(`${endpoint} failed: ${describeAppError(body)}`);
  }
}

export async function callJson(connection: TChannelConnection, endpoint: string, body: unknown, timeoutMs: number): Promise<unknown> {
  let result;
  try {
    result = await connection.call({ service: RINGPOP_SERVICE, endpoint, arg2: '', arg3: body === undefined ? '' : JSON.stringify(body), timeoutMs });
  } catch (error) {
    if (error instanceof TChannelError && error.kind === 'remote' && error.code === ErrorCode.badRequest && /no such endpoint|unknown service/i.test(error.message)) throw new MissingEndpointError(endpoint);
    throw error;
  }
  const parsed = parseBody(result.arg3, endpoint);
  if (result.code !== 0) throw new RingpopCallError(endpoint, parsed);
  return parsed;
}

export async function fetchStats(connection: TChannelConnection, timeoutMs: number): Promise<RingpopStats> {
  return parseStats(await callJson(connection, '/admin/stats', undefined, timeoutMs));
}

export async function lookupKey(connection: TChannelConnection, key: string, timeoutMs: number): Promise<string> {
  return parseLookup(await callJson(connection, '/admin/lookup', { key }, timeoutMs));
}

/** The cluster's app name, read from the refusal of a join with a wrong one. */
export async function discoverApp(connection: TChannelConnection, timeoutMs: number): Promise<string> {
  try {
    await callJson(connection, '/protocol/join', { app: WRONG_APP, source: OBSERVER_SOURCE, incarnationNumber: Date.now() }, timeoutMs);
  } catch (error) {
    if (error instanceof RingpopCallError) {
      const app = appFromJoinError(error.body);
      if (app) return app;
    }
    throw error;
  }
  throw new RingpopDecodeError(`the member accepted a join for app "${WRONG_APP}" and did not reveal its own`);
}

/** The full membership through a join with the right app (no member is added by a join). */
export async function joinMembership(connection: TChannelConnection, app: string, timeoutMs: number): Promise<JoinResponse> {
  return parseJoinResponse(await callJson(connection, '/protocol/join', { app, source: OBSERVER_SOURCE, incarnationNumber: Date.now() }, timeoutMs));
}

/** One operator-facing line for a failed exchange with `addr` (exit 3). */
export function ringpopFailure(addr: string, error: unknown): RingsideError {
  if (error instanceof RingsideError) return error;
  if (error instanceof TChannelError) {
    switch (error.kind) {
      case 'refused':
        return new RingsideError('RS_UNREACHABLE', `${addr}: connection refused`, 'check --join: is a ringpop node listening there?');
      case 'timeout':
        return new RingsideError('RS_UNREACHABLE', `${addr}: ${error.message}`, 'check the address, firewalls and --timeout');
      case 'not-tchannel':
        return new RingsideError('RS_UNDECODABLE', `${addr}: ${error.message}`, 'give the ringpop TChannel port, not an HTTP or other service port');
      case 'remote':
        return new RingsideError('RS_UNDECODABLE', `${addr}: the node answered with a TChannel error: ${error.message.slice(0, 200)}`, 'check that this is a ringpop node');
      default:
        return new RingsideError('RS_UNREACHABLE', `${addr}: ${error.message}`, 'check --join and that the node is up');
    }
  }
  if (error instanceof MissingEndpointError) return new RingsideError('RS_UNDECODABLE', `${addr}: the node ${error.message}`, 'it may be an older or different ringpop; point --join at a ringpop >= 10 node');
  if (error instanceof RingpopCallError) return new RingsideError('RS_UNDECODABLE', `${addr}: ${error.message}`, 'check that this is a ringpop node');
  if (error instanceof RingpopDecodeError) return new RingsideError('RS_UNDECODABLE', `${addr}: undecodable ringpop reply (${error.message})`, 'check that this is a ringpop node');
  return new RingsideError('RS_UNREACHABLE', `${addr}: ${(error as Error).message}`, 'check --join');
}
