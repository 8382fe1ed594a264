/**
 * libketama's continuum (RJ's ketama.c, as used by memcached clients; npm `hashring` is a
 * compatible implementation).
 *
 * - Server i with weight w_i gets floor(w_i/W * 40 * N) md5 digests, computed the way
 *   ketama.c does it: the share in single precision, the product in double, floorf on the
 *   result (so `--vnodes 160` = 40 digests x 4 points per unit of weight).
 * - Digest k of a server is md5("<server>-<k>"); each digest gives four points, bytes
 *   [3+4h, 2+4h, 1+4h, 4h] read as a big-endian uint32 (h = 0..3).
 * - A key hashes to the first four bytes of md5(key) read the same way; it belongs to the first
 *   point >= that value, wrapping. Equal points keep insertion order (server order, then k, h).
 */
import { createRequire } from 'node:module';
import { PointRing } from './point-ring.js';
import { Continuum32 } from './continuum32.js';
import type { RingNode, RingSettings } from './types.js';

export const KETAMA_DEFAULT_POINTS = 160;

/** Digests per server as ketama.c computes `floorf(pct * 40.0 * (float)numservers)`. */
export function ketamaDigests(weight: number, totalWeight: number, servers: number, digestsPerUnit: number): number {
  const pct = Math.fround(Math.fround(weight) / Math.fround(totalWeight));
  return Math.floor(Math.fround(pct * digestsPerUnit * Math.fround(servers)));
}

/** node:crypto, loaded on first use: it costs a few ms at start-up that rings of other kinds never need. */
let createHash: typeof import('node:crypto').createHash | undefined;

function md5(text: string): Buffer {
  createHash ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash;
  return createHash('md5').update(text, 'utf8').digest();
}

function pointOf(digest: Uint8Array, h: number): number {
  const o = h * 4;
  return (((digest[3 + o] as number) << 24) | ((digest[2 + o] as number) << 16) | ((digest[1 + o] as number) << 8) | (digest[o] as number)) >>> 0;
}

export class KetamaRing extends PointRing<number> {
  protected readonly continuum: Continuum32;

  constructor(nodes: readonly RingNode[], settings: RingSettings) {
    super('ketama', nodes, settings);
    const digestsPerUnit = (settings.vnodes ?? KETAMA_DEFAULT_POINTS) / 4;
    const totalWeight = nodes.reduce((sum, node) => sum + node.weight, 0);
    const counts = nodes.map((node) => ketamaDigests(node.weight, totalWeight, nodes.length, digestsPerUnit));
    const total = counts.reduce((a, b) => a + b, 0) * 4;
    const hashes = new Uint32Array(total);
    const owners = new Int32Array(total);
    let p = 0;
    nodes.forEach((node, index) => {
      for (let k = 0; k < (counts[index] as number); k++) {
        const digest = md5(`${node.key}-${k}`);
        for (let h = 0; h < 4; h++) {
          hashes[p] = pointOf(digest, h);
          owners[p++] = index;
        }
      }
    });
    this.continuum = Continuum32.fromPoints(hashes, owners, nodes.length);
  }

  keyHash(key: string): number {
    return pointOf(md5(key), 0);
  }
}
