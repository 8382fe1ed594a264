/**
 * UDP datagrams (memberlist net.go ingestPacket / handleCommand):
 *
 *   datagram := [label] ( AESGCM(inner) | inner )      (no type byte, no AAD unless labelled)
 *   inner    := [0x0C crc32] body
 *   body     := ping | ack | ... | compound(body...) | compress(body)
 *
 * Decoding never throws on bad input: what cannot be read is counted as dropped, with a reason,
 * so a hostile or corrupt packet costs a counter, not a crash. Encoding refuses to build what
 * would crash a memberlist 0.2.2 agent (empty parts, more than 127 compound parts).
 */
import { MsgpackError } from '../msgpack/decode.js';
import { addCrc, decompressMessage, LayerError, labelHeader, labelMismatch, stripCrc, stripLabel } from './layers.js';
import { LzwError } from './lzw.js';
import { decodeMessage, type Message, MSG } from './messages.js';
import { DecryptError, type Keyring } from './security.js';

export interface PacketOptions {
  keyring?: Keyring;
  /** memberlist >= 0.3.0 gossip label; absent for memberlist 0.2.2 (Serf on Debian bookworm). */
  label?: string;
}

export interface DecodedPacket {
  messages: Message[];
  /** Why parts of the packet were dropped (bounded: at most one entry per part). */
  dropped: string[];
}

/** Nesting allowed for compound/compress layers (Go senders nest at most two deep). */
const MAX_DEPTH = 4;
/** A compressed UDP body never needs more than this once decompressed. */
const MAX_DECOMPRESSED = 1 << 20;
export const MAX_COMPOUND_PARTS = 127;

function describe(error: unknown): string {
  if (error instanceof DecryptError || error instanceof LayerError || error instanceof MsgpackError || error instanceof LzwError) return error.message;
  throw error;
}

/** Removes the label and encryption layers; throws LayerError or DecryptError. */
export function openPacket(datagram: Uint8Array, options: PacketOptions): Uint8Array {
  const { label, rest } = stripLabel(datagram);
  const mismatch = labelMismatch(label, options.label, 'packet');
  if (mismatch) throw new LayerError(mismatch);
  if (!options.keyring) return rest;
  const aad = options.label ? Buffer.from(options.label, 'utf8') : undefined;
  return options.keyring.decrypt(rest, aad);
}

export function decodePacket(datagram: Uint8Array, options: PacketOptions): DecodedPacket {
  const result: DecodedPacket = { messages: [], dropped: [] };
  let inner: Uint8Array;
  try {
    inner = openPacket(datagram, options);
  } catch (error) {
    result.dropped.push(describe(error));
    return result;
  }
  decodeBody(inner, 0, result);
  return result;
}

function decodeBody(body: Uint8Array, depth: number, out: DecodedPacket): void {
  if (body.length === 0) {
    out.dropped.push('empty message');
    return;
  }
  if (depth > MAX_DEPTH) {
    out.dropped.push('messages nested too deep');
    return;
  }
  try {
    switch (body[0]) {
      case MSG.hasCrc:
        decodeBody(stripCrc(body), depth + 1, out);
        return;
      case MSG.compound:
        for (const part of splitCompound(body, out)) decodeBody(part, depth + 1, out);
        return;
      case MSG.compress:
        decodeBody(decompressMessage(body, MAX_DECOMPRESSED), depth + 1, out);
        return;
      case MSG.pushPull:
      case MSG.encrypt:
      case MSG.hasLabel:
        out.dropped.push(`message type ${String(body[0])} is not valid in a packet`);
        return;
      default:
        out.messages.push(decodeMessage(body));
    }
  } catch (error) {
    out.dropped.push(describe(error));
  }
}

/** `07 N len_1..len_N msg_1..msg_N`; parts that do not fit are dropped (as Go does). */
export function splitCompound(body: Uint8Array, out: DecodedPacket): Uint8Array[] {
  if (body.length < 2) throw new LayerError('truncated compound header');
  const count = body[1] as number;
  let at = 2 + count * 2;
  if (body.length < at) throw new LayerError('truncated compound length table');
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const length = ((body[2 + i * 2] as number) << 8) | (body[3 + i * 2] as number);
    if (at + length > body.length) {
      out.dropped.push(`compound truncated: ${count - i} of ${count} parts lost`);
      break;
    }
    parts.push(body.subarray(at, at + length));
    at += length;
  }
  return parts;
}

/** Builds a compound message; refuses empty parts and more than 127 (both crash memberlist 0.2.2). */
export function encodeCompound(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0 || parts.length > MAX_COMPOUND_PARTS) throw new RangeError(`a compound holds 1 to ${MAX_COMPOUND_PARTS} parts`);
  let size = 2 + parts.length * 2;
  for (const part of parts) {
    if (part.length === 0 || part.length > 0xffff) throw new RangeError('compound parts must be 1 to 65535 bytes');
    size += part.length;
  }
  const out = new Uint8Array(size);
  out[0] = MSG.compound;
  out[1] = parts.length;
  let at = 2 + parts.length * 2;
  parts.forEach((part, i) => {
    out[2 + i * 2] = part.length >>> 8;
    out[3 + i * 2] = part.length & 0xff;
    out.set(part, at);
    at += part.length;
  });
  return out;
}

/** Wraps a body for sending: optional CRC, then encryption, then the label. */
export function sealPacket(body: Uint8Array, options: PacketOptions & { crc?: boolean }): Uint8Array {
  if (body.length === 0) throw new RangeError('refusing to send an empty message');
  const inner = options.crc ? addCrc(body) : body;
  const aad = options.label ? Buffer.from(options.label, 'utf8') : undefined;
  const sealed = options.keyring ? options.keyring.encrypt(inner, aad) : inner;
  if (!options.label) return sealed;
  const header = labelHeader(options.label);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  return out;
}
