/**
 * TCP streams (memberlist net.go handleConn, sendAndReceiveState): one message each way.
 *
 *   stream := [label] ( 0x0A len:u32be AESGCM(plain, aad = 0x0A len [label]) | plain )
 *   plain  := 0x09 compress(msg) | msg
 *   msg    := 0x06 push-pull | 0x00 ping | 0x08 user | 0x02 ack | 0x0D err
 *
 * openStream turns a whole received stream into a typed message, or a StreamError whose code
 * says what an operator needs to know (encrypted cluster, wrong key, not memberlist at all).
 */
import { MsgpackError } from '../msgpack/decode.js';
import { decompressMessage, LayerError, labelHeader, labelMismatch, stripLabel } from './layers.js';
import { LzwError } from './lzw.js';
import { type Ack, decodeMessage, type ErrorResponse, MSG, type Ping } from './messages.js';
import { decodePushPull, type PushPull } from './push-pull.js';
import { DecryptError, ENCRYPT_OVERHEAD, type Keyring } from './security.js';
import { decodeValue } from '../msgpack/decode.js';
import { int } from '../msgpack/fields.js';

/** memberlist refuses encrypted streams above 20 MiB; a compressed reply may expand beyond. */
export const MAX_STREAM_BYTES = 20 * 1024 * 1024;
export const MAX_DECOMPRESSED_STREAM = 64 * 1024 * 1024;

export type StreamErrorCode = 'empty' | 'encrypted' | 'wrong-key' | 'plaintext' | 'not-memberlist' | 'malformed' | 'too-large' | 'label';

export class StreamError extends Error {
  override readonly name = 'StreamError';
  constructor(
    readonly code: StreamErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface StreamOptions {
  keyring?: Keyring;
  label?: string;
}

export type StreamMessage =
  | { type: 'push-pull'; pushPull: PushPull }
  | { type: 'ack'; ack: Ack }
  | { type: 'ping'; ping: Ping }
  | { type: 'err'; err: ErrorResponse }
  | { type: 'user'; payload: Uint8Array };

/** Frames one message for sending as the dialer (label first) or as a replier (no label). */
export function sealStream(message: Uint8Array, options: StreamOptions & { dialer: boolean }): Uint8Array {
  const header = options.dialer && options.label ? labelHeader(options.label) : new Uint8Array(0);
  if (!options.keyring) return concat(header, message);
  const length = message.length + ENCRYPT_OVERHEAD;
  const prefix = Uint8Array.of(MSG.encrypt, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
  const aad = options.label ? concat(prefix, Buffer.from(options.label, 'utf8')) : prefix;
  return concat(header, prefix, options.keyring.encrypt(message, aad));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function preview(data: Uint8Array): string {
  const text = Buffer.from(data.subarray(0, 16)).toString('latin1');
  return /^[\x20-\x7e]+$/.test(text) ? JSON.stringify(text) : Buffer.from(data.subarray(0, 8)).toString('hex');
}

/** Peels label, encryption and compression off a complete stream and decodes the message. */
export function openStream(data: Uint8Array, options: StreamOptions & { acceptLabel?: boolean }): StreamMessage {
  if (data.length === 0) throw new StreamError('empty', 'the peer closed the connection without replying');
  if (data.length > MAX_STREAM_BYTES + 5 + 256) throw new StreamError('too-large', `the peer sent more than ${MAX_STREAM_BYTES} bytes`);
  let plain = data;
  try {
    let label: string | null = null;
    if (options.acceptLabel) {
      // A dialer's label, as memberlist checks it: only our own is accepted.
      ({ label, rest: plain } = stripLabel(plain));
      const mismatch = labelMismatch(label, options.label, 'stream');
      if (mismatch) throw new StreamError('label', mismatch);
    }
    if (plain[0] === MSG.encrypt) {
      if (!options.keyring) throw new StreamError('encrypted', 'the peer encrypts gossip and no key was given');
      if (plain.length < 5) throw new StreamError('malformed', 'truncated encrypted stream');
      const length = ((plain[1] as number) * 2 ** 24 + ((plain[2] as number) << 16) + ((plain[3] as number) << 8) + (plain[4] as number)) >>> 0;
      if (length > MAX_STREAM_BYTES) throw new StreamError('too-large', `encrypted stream of ${length} bytes`);
      if (plain.length < 5 + length) throw new StreamError('malformed', 'encrypted stream is truncated');
      const aad = options.label ? concat(plain.subarray(0, 5), Buffer.from(options.label, 'utf8')) : plain.subarray(0, 5);
      try {
        plain = options.keyring.decrypt(plain.subarray(5, 5 + length), aad);
      } catch (error) {
        if (error instanceof DecryptError) throw new StreamError('wrong-key', 'none of the given keys decrypts what the peer sent');
        throw error;
      }
    } else if (options.keyring && plain[0] !== MSG.err && !(plain[0] === MSG.compress && isCompressedError(plain))) {
      throw new StreamError('plaintext', 'the peer sent unencrypted gossip but a key was given');
    }
    if (plain[0] === MSG.compress) plain = decompressMessage(plain, MAX_DECOMPRESSED_STREAM);
    return dispatch(plain);
  } catch (error) {
    if (error instanceof StreamError) throw error;
    if (error instanceof MsgpackError || error instanceof LayerError || error instanceof LzwError) {
      throw new StreamError('malformed', `cannot decode the peer's reply (${error.message})`);
    }
    throw error;
  }
}

function isCompressedError(plain: Uint8Array): boolean {
  try {
    return decompressMessage(plain, 1 << 16)[0] === MSG.err;
  } catch {
    return false;
  }
}

function dispatch(plain: Uint8Array): StreamMessage {
  switch (plain[0]) {
    case MSG.pushPull:
      return { type: 'push-pull', pushPull: decodePushPull(plain) };
    case MSG.ack:
    case MSG.ping:
    case MSG.err: {
      const message = decodeMessage(plain);
      if (message.type === 'ack') return { type: 'ack', ack: message };
      if (message.type === 'ping') return { type: 'ping', ping: message };
      return { type: 'err', err: message as ErrorResponse };
    }
    case MSG.user: {
      const { value, end } = decodeValue(plain, 1);
      if (!(value instanceof Map)) throw new MsgpackError('user message header is not a map');
      const length = int(value, 'UserMsgLen');
      if (length < 0 || end + length > plain.length) throw new MsgpackError('user message is truncated');
      return { type: 'user', payload: plain.subarray(end, end + length) };
    }
    default:
      throw new StreamError('not-memberlist', `the peer does not speak memberlist (it sent ${preview(plain)})`);
  }
}
