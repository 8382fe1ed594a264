/**
 * Who the member observer is on the wire: a unique name (reusing a live member's name makes Serf
 * vote the real node out) and its advertised address as memberlist's raw IP bytes. Pure.
 */
import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';

/** A unique observer name: reusing a live member's name makes Serf vote the real node out. */
export function observerName(): string {
  return `ringside-${hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 32)}-${process.pid}-${randomInt(0x10000).toString(16)}`;
}

export function ipBytes(host: string): Uint8Array {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return Uint8Array.from(host.split('.').map(Number));
  const [head = '', tail = ''] = host.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = host.includes('::') ? parse(tail) : [];
  const groups = host.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill(0), ...right] : left;
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) throw new RangeError(`cannot advertise ${host}: not an IP address`);
  return Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
}
