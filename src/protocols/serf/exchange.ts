/**
 * One push-pull exchange with one member, and what to tell an operator when it fails.
 * Used by the passive observer (polls with no nodes), the member observer (join and
 * anti-entropy) and --all-views.
 */
import { RingsideError } from '../../errors.js';
import { MsgpackError } from '../msgpack/decode.js';
import { OBSERVER_DEFAULTS } from '../memberlist/config.js';
import { encodePushPull, type PushPull } from '../memberlist/push-pull.js';
import type { Keyring } from '../memberlist/security.js';
import { openStream, sealStream, StreamError } from '../memberlist/stream.js';
import { DialError, exchangeStream } from '../memberlist/transport.js';
import type { Flavour } from './membership.js';
import { decodeSerfPushPull, type SerfPushPull } from './messages.js';

export interface GossipOptions {
  keyring?: Keyring;
  label?: string;
  flavour: Flavour;
  timeoutMs: number;
}

export interface RemoteView {
  pushPull: PushPull;
  serf?: SerfPushPull;
}

/** The keyring and label as packet and stream codecs take them (absent fields left out). */
export function wireOptions(options: Pick<GossipOptions, 'keyring' | 'label'>): { keyring?: Keyring; label?: string } {
  return { ...(options.keyring ? { keyring: options.keyring } : {}), ...(options.label ? { label: options.label } : {}) };
}

/** The listener's reply when we encrypt and it does not (memberlist net.go). */
const NOT_ENCRYPTED = /encryption is not configured/i;

/** Sends `request` (a push-pull) to host:port and decodes the member's full state. */
export async function pushPullWith(host: string, port: number, request: PushPull, options: GossipOptions): Promise<RemoteView> {
  const wire = wireOptions(options);
  const reply = await exchangeStream(host, port, sealStream(encodePushPull(request), { ...wire, dialer: true }), { timeoutMs: options.timeoutMs, maxBytes: OBSERVER_DEFAULTS.maxStreamBytes + 1024 });
  const message = openStream(reply, wire);
  if (message.type === 'err') throw new RemoteError(message.err.error);
  if (message.type !== 'push-pull') throw new StreamError('malformed', `expected a push-pull reply, got ${message.type}`);
  const { pushPull } = message;
  if (options.flavour !== 'serf' || pushPull.userState.length === 0) return { pushPull };
  return { pushPull, serf: decodeSerfPushPull(pushPull.userState) };
}

/** The member replied with memberlist's error response. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';
}

/**
 * Turns a failed exchange with `target` into the one line an operator sees (exit 3). `label` is the
 * gossip label ringside sent, if any: memberlist >= 0.3.0 drops a stream whose label is not its own
 * without a word, so a silent close names the label first.
 */
export function exchangeFailure(target: string, error: unknown, label?: string): RingsideError {
  const fail = (message: string, hint: string): RingsideError => new RingsideError('RS_UNREACHABLE', `${target}: ${message}`, hint, { cause: error });
  if (error instanceof DialError) {
    switch (error.code) {
      case 'refused':
        return fail('connection refused', 'check the address and port of a Serf, Consul or Nomad agent: the gossip port, e.g. 7946 or 8301');
      case 'timeout':
        return fail(error.message, 'check the address, firewalls, and --timeout');
      case 'dns':
        return fail(error.message, 'check the host name');
      default:
        return fail(error.message, 'check the address and that the agent is running');
    }
  }
  if (error instanceof StreamError) {
    switch (error.code) {
      case 'encrypted':
        return fail('the cluster encrypts gossip', 'pass its key with --encrypt-key, --keyring-file or RINGSIDE_GOSSIP_KEY');
      case 'wrong-key':
        return fail('the gossip key does not match the cluster', 'check --encrypt-key or --keyring-file; serf keys -list shows the installed keys');
      case 'empty':
        return fail(
          'closed the connection without replying',
          label
            ? `check --gossip-label: a member whose label is not "${label}" drops the connection; else it may use a different gossip key or encryption setting, not be memberlist, or be overloaded`
            : 'a cluster with a gossip label (a Consul admin partition or network segment) drops unlabelled connections: pass it with --gossip-label; else it may use a different gossip key or encryption setting, not be memberlist, or be overloaded',
        );
      case 'label':
        return fail(error.message, 'members discard gossip whose label is not their own: check --gossip-label');
      case 'not-memberlist':
        return fail(error.message.replace(/^the peer/, 'it'), 'point --join at a memberlist gossip port');
      default:
        return new RingsideError('RS_UNDECODABLE', `${target}: ${error.message}`, 'the agent may be newer than ringside understands; rerun with --debug and report it', { cause: error });
    }
  }
  if (error instanceof RemoteError) {
    if (NOT_ENCRYPTED.test(error.message)) return fail('the cluster does not encrypt gossip', 'drop --encrypt-key / --keyring-file');
    return fail(`the agent refused the request: ${error.message}`, 'check the gossip key and label settings');
  }
  if (error instanceof MsgpackError) {
    return new RingsideError('RS_UNDECODABLE', `${target}: cannot decode the reply (${error.message})`, 'rerun with --debug and report it', { cause: error });
  }
  return fail(error instanceof Error ? error.message : String(error), 'rerun with --debug for details');
}
