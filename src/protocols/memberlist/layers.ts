/**
 * The wrappers memberlist puts around messages, shared by packets and streams: labels
 * (memberlist >= 0.3.0), CRC (protocol 5) and LZW compression.
 */
import { crc32 } from 'node:zlib';
import { decodeValue, MsgpackError } from '../msgpack/decode.js';
import { bytes, uint } from '../msgpack/fields.js';
import { lzwDecompress } from './lzw.js';
import { MSG } from './messages.js';

export class LayerError extends Error {
  override readonly name = 'LayerError';
}

/** `F4 len label`: returns the label and the rest, or no label when the header is absent. */
export function stripLabel(data: Uint8Array): { label: string | null; rest: Uint8Array } {
  if (data[0] !== MSG.hasLabel) return { label: null, rest: data };
  if (data.length < 2) throw new LayerError('truncated label header');
  const length = data[1] as number;
  if (length === 0 || data.length < 2 + length) throw new LayerError('bad label header');
  return { label: Buffer.from(data.subarray(2, 2 + length)).toString('utf8'), rest: data.subarray(2 + length) };
}

/**
 * memberlist >= 0.3.0 discards a packet or stream whose label is not its own (a missing one counts
 * as ""): so does ringside. Returns why, naming both labels, or null when they match.
 */
export function labelMismatch(received: string | null, expected: string | undefined, what: 'packet' | 'stream'): string | null {
  if ((received ?? '') === (expected ?? '')) return null;
  if (received === null) return `${what} has no gossip label, but --gossip-label is "${expected ?? ''}"`;
  if (!expected) return `${what} carries gossip label "${received}", but no --gossip-label was given`;
  return `${what} carries gossip label "${received}", but --gossip-label is "${expected}"`;
}

export function labelHeader(label: string): Uint8Array {
  const bytesOfLabel = Buffer.from(label, 'utf8');
  if (bytesOfLabel.length === 0 || bytesOfLabel.length > 255) throw new RangeError('a gossip label is 1 to 255 bytes');
  return Uint8Array.from([MSG.hasLabel, bytesOfLabel.length, ...bytesOfLabel]);
}

/** `0C crc32_be(rest) rest` -> rest, after checking the CRC. */
export function stripCrc(data: Uint8Array): Uint8Array {
  if (data.length < 6) throw new LayerError('truncated CRC message');
  const expected = ((data[1] as number) * 2 ** 24 + ((data[2] as number) << 16) + ((data[3] as number) << 8) + (data[4] as number)) >>> 0;
  const rest = data.subarray(5);
  if (crc32(rest) >>> 0 !== expected) throw new LayerError('CRC mismatch');
  return rest;
}

export function addCrc(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 5);
  const crc = crc32(body) >>> 0;
  out[0] = MSG.hasCrc;
  out[1] = crc >>> 24;
  out[2] = (crc >>> 16) & 0xff;
  out[3] = (crc >>> 8) & 0xff;
  out[4] = crc & 0xff;
  out.set(body, 5);
  return out;
}

/** `09 {Algo: 0, Buf: lzw}` -> the decompressed message (at most `maxOutput` bytes). */
export function decompressMessage(data: Uint8Array, maxOutput: number): Uint8Array {
  let value;
  try {
    ({ value } = decodeValue(data, 1));
  } catch (error) {
    throw new LayerError(`bad compress header: ${(error as MsgpackError).message}`);
  }
  if (!(value instanceof Map)) throw new LayerError('compress header is not a map');
  const algo = uint(value, 'Algo', 8);
  if (algo !== 0) throw new LayerError(`unknown compression algorithm ${String(algo)}`);
  const out = lzwDecompress(bytes(value, 'Buf'), maxOutput);
  if (out.length === 0) throw new LayerError('compressed message is empty');
  return out;
}
