/**
 * Byte-level reading of captured vectors for tests: peel memberlist's layers (CRC, compound,
 * compression, stream encryption) down to the plain messages, and read which msgpack type byte
 * Go wrote for a field, by finding the field's name (a fixstr) and looking at the byte after it.
 * That last one looks at the bytes themselves, not at a decoder's result, so a test can say
 * "go-msgpack v2 wrote 0xd1 here" independently of how ringside decodes it.
 */
import { decompressMessage, stripCrc } from '../../src/protocols/memberlist/layers.js';
import { MSG } from '../../src/protocols/memberlist/messages.js';
import { splitCompound } from '../../src/protocols/memberlist/packet.js';
import type { Keyring } from '../../src/protocols/memberlist/security.js';

/** The plain messages inside a datagram or a stream, in order (layers peeled, compound parts split). */
export function plainMessages(bytes: Uint8Array, keyring?: Keyring): Uint8Array[] {
  if (bytes[0] === MSG.encrypt && keyring) return plainMessages(keyring.decrypt(bytes.subarray(5), bytes.subarray(0, 5)));
  if (bytes[0] === MSG.hasCrc) return plainMessages(stripCrc(bytes));
  if (bytes[0] === MSG.compress) return plainMessages(decompressMessage(bytes, 1 << 24));
  if (bytes[0] === MSG.compound) return splitCompound(bytes, { messages: [], dropped: [] }).flatMap((part) => plainMessages(part));
  return [bytes];
}

/** The layers around the messages of a datagram or stream, outermost first (`crc`, `compress`, `compound`). */
export function layerNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const walk = (body: Uint8Array): void => {
    if (body[0] === MSG.hasCrc) {
      names.push('crc');
      walk(stripCrc(body));
    } else if (body[0] === MSG.compress) {
      names.push('compress');
      walk(decompressMessage(body, 1 << 24));
    } else if (body[0] === MSG.compound) {
      names.push('compound');
      for (const part of splitCompound(body, { messages: [], dropped: [] })) walk(part);
    }
  };
  walk(bytes);
  return [...new Set(names)];
}

/**
 * The msgpack type byte right after the map key `key` (written as a fixstr), for each time the key
 * occurs in `body`. Field names are ASCII and never occur inside another field's fixstr-prefixed
 * name here, which tests check by the count they expect.
 */
export function typeBytesAfter(body: Uint8Array, key: string): number[] {
  const needle = Buffer.concat([Buffer.of(0xa0 | key.length), Buffer.from(key, 'ascii')]);
  const haystack = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(haystack[at + needle.length] as number);
  return found;
}

/** The one type byte after `key`; fails when the key is missing or occurs more than once. */
export function typeByteAfter(body: Uint8Array, key: string): number {
  const found = typeBytesAfter(body, key);
  if (found.length !== 1) throw new Error(`field ${key} occurs ${found.length} times, expected once`);
  return found[0] as number;
}

/** `0xd1`-style name of a msgpack type byte, or `fixint` for 0x00–0x7f. */
export function formName(typeByte: number): string {
  return typeByte <= 0x7f ? 'fixint' : `0x${typeByte.toString(16)}`;
}
