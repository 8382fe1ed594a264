/**
 * The ringpop bodies a read-only observer uses (ringpop.md 2.6, 2.8, 2.9, 2.12): `/admin/stats`,
 * `/protocol/join` (response, and the wrong-app error that names the real app), `/admin/lookup`.
 * Decoding is strict about shape and lenient about extras (node vs go fields, go's trailing
 * newline); anything else is a RingpopDecodeError. Pure.
 */
import { isRingpopStatus, type RingpopMember } from './membership.js';

export class RingpopDecodeError extends Error {
  override readonly name = 'RingpopDecodeError';
}

/** Bodies larger than this are refused (a 10,000-member stats body is about 1 MB). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_MEMBERS = 100_000;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseBody(bytes: Uint8Array, what: string): unknown {
  if (bytes.length > MAX_BODY_BYTES) throw new RingpopDecodeError(`${what} body of ${bytes.length} bytes is too large`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8').trim();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // node answers some endpoints with raw strings ("ok")
  }
}

function uint(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) throw new RingpopDecodeError(`${what} is not a non-negative integer`);
  return value;
}

function optionalChecksum(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  const n = uint(value, what);
  if (n > 0xffffffff) throw new RingpopDecodeError(`${what} is not a 32-bit checksum`);
  return n;
}

function address(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 300) throw new RingpopDecodeError(`${what} is not an address`);
  return value;
}

export function parseMember(value: unknown, what: string, wire = false): RingpopMember {
  if (!isObject(value)) throw new RingpopDecodeError(`${what} is not an object`);
  let status = value.status;
  if (wire && status === 'faulty' && value.tombstone === true) status = 'tombstone';
  if (!isRingpopStatus(status)) throw new RingpopDecodeError(`${what} has unknown status ${JSON.stringify(status)?.slice(0, 40)}`);
  const member: RingpopMember = { address: address(value.address, `${what}.address`), status, incarnationNumber: uint(value.incarnationNumber, `${what}.incarnationNumber`) };
  if (typeof value.dampScore === 'number' && Number.isFinite(value.dampScore)) member.dampScore = value.dampScore;
  if (isObject(value.labels)) {
    const labels = Object.entries(value.labels).filter((e): e is [string, string] => typeof e[1] === 'string');
    if (labels.length > 0) member.labels = Object.fromEntries(labels);
  }
  return member;
}

function memberList(value: unknown, what: string, wire: boolean): RingpopMember[] {
  if (!Array.isArray(value)) throw new RingpopDecodeError(`${what} is not an array`);
  if (value.length > MAX_MEMBERS) throw new RingpopDecodeError(`${what} has more than ${MAX_MEMBERS} members`);
  return value.map((m, i) => parseMember(m, `${what}[${i}]`, wire));
}

export interface RingpopStats {
  members: RingpopMember[];
  membershipChecksum: number | null;
  ringChecksum: number | null;
  ringServers: string[];
  /** ringpop-go only: `{"replica": n}`. */
  ringChecksums?: Record<string, number>;
  version: string | null;
  pid: number | null;
  /** Go's version is "???"; node's a semver. */
  implementation: 'node' | 'go' | 'unknown';
}

export function parseStats(body: unknown): RingpopStats {
  if (!isObject(body)) throw new RingpopDecodeError('/admin/stats body is not a JSON object');
  const membership = body.membership;
  if (!isObject(membership)) throw new RingpopDecodeError('/admin/stats has no membership object');
  const ring = isObject(body.ring) ? body.ring : {};
  const servers = Array.isArray(ring.servers) ? ring.servers.filter((s): s is string => typeof s === 'string').slice(0, MAX_MEMBERS) : [];
  const stats: RingpopStats = {
    members: memberList(membership.members, '/admin/stats membership.members', false),
    membershipChecksum: optionalChecksum(membership.checksum, 'membership.checksum'),
    ringChecksum: optionalChecksum(ring.checksum, 'ring.checksum'),
    ringServers: servers,
    version: typeof body.version === 'string' ? body.version.slice(0, 64) : null,
    pid: isObject(body.process) && typeof body.process.pid === 'number' ? body.process.pid : null,
    implementation: 'unknown',
  };
  if (isObject(ring.checksums)) stats.ringChecksums = Object.fromEntries(Object.entries(ring.checksums).filter((e): e is [string, number] => typeof e[1] === 'number'));
  stats.implementation = stats.version === '???' || stats.ringChecksums ? 'go' : stats.version !== null && /^\d+\.\d+/.test(stats.version) ? 'node' : 'unknown';
  return stats;
}

export interface JoinResponse {
  app: string | null;
  coordinator: string | null;
  members: RingpopMember[];
  membershipChecksum: number | null;
}

export function parseJoinResponse(body: unknown): JoinResponse {
  if (!isObject(body)) throw new RingpopDecodeError('/protocol/join body is not a JSON object');
  return {
    app: typeof body.app === 'string' ? body.app : null,
    coordinator: typeof body.coordinator === 'string' ? body.coordinator : null,
    members: memberList(body.membership, '/protocol/join membership', true),
    membershipChecksum: optionalChecksum(body.membershipChecksum, 'membershipChecksum'),
  };
}

/** The cluster's app name from the error a join with a wrong app gets (node: `expected`; go: the message). */
export function appFromJoinError(body: unknown): string | null {
  if (!isObject(body)) return null;
  if (typeof body.expected === 'string') return body.expected;
  const message = typeof body.message === 'string' ? body.message : '';
  const match = /expected app \(?"?([^)"\s]+)"?\)?/i.exec(message) ?? /app ([^\s]+) did not match/i.exec(message);
  return match ? (match[1] as string) : null;
}

export function parseLookup(body: unknown): string {
  if (!isObject(body)) throw new RingpopDecodeError('/admin/lookup body is not a JSON object');
  return address(body.dest, '/admin/lookup dest');
}

/** A short description of an application error body (code != 0). */
export function describeAppError(body: unknown): string {
  if (isObject(body)) {
    const text = [body.type, body.message].filter((v) => typeof v === 'string').join(': ');
    return text.slice(0, 200) || 'an error without details';
  }
  return typeof body === 'string' ? body.slice(0, 200) : 'an error without details';
}
