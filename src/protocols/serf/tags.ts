/**
 * Serf tags in memberlist's node Meta (serf.go encodeTags/decodeTags): 0xFF then a msgpack
 * map[string]string, at most 512 bytes in all. Meta without the magic byte is the legacy form,
 * where the whole Meta is the value of the `role` tag.
 */
import { decodeValue, MsgpackError } from '../msgpack/decode.js';
import { encodeValue } from '../msgpack/encode.js';

export const TAG_MAGIC = 0xff;
export const META_MAX_SIZE = 512;

const utf8 = new TextDecoder();

export function decodeTags(meta: Uint8Array): Record<string, string> {
  if (meta.length === 0 || meta[0] !== TAG_MAGIC) return { role: utf8.decode(meta) };
  const tags: Record<string, string> = {};
  try {
    const { value } = decodeValue(meta, 1);
    if (!(value instanceof Map)) return tags;
    // Sorted by name: Go writes map keys in random order, people and diffs want a stable one.
    for (const [key, raw] of [...value].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // Serf keeps the tags decoded before an error; so do we.
      if (raw instanceof Uint8Array) Object.defineProperty(tags, key, { value: utf8.decode(raw), enumerable: true, writable: true, configurable: true });
    }
  } catch (error) {
    if (!(error instanceof MsgpackError)) throw error;
  }
  return tags;
}

export function encodeTags(tags: Readonly<Record<string, string>>): Uint8Array {
  const body = encodeValue(new Map(Object.entries(tags)));
  const meta = new Uint8Array(body.length + 1);
  meta[0] = TAG_MAGIC;
  meta.set(body, 1);
  if (meta.length > META_MAX_SIZE) throw new RangeError(`tags take ${meta.length} bytes; Serf allows ${META_MAX_SIZE}`);
  return meta;
}
