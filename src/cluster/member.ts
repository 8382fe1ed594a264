/**
 * The membership model every cluster source produces (static files and snapshots now, live
 * serf/memberlist/ringpop observers later): one shape, normalised statuses.
 */
export const MEMBER_STATUSES = ['alive', 'suspect', 'failed', 'left'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface Member {
  name: string;
  /** `HOST:PORT` (IPv6 hosts in brackets). */
  addr: string;
  port: number;
  status: MemberStatus;
  /** The protocol's own word for the status (serf `failed`, ringpop `faulty`, ...). */
  nativeStatus: string;
  incarnation: number;
  tags: Record<string, string>;
  /** Protocol-specific details (versions, checksums); opaque to the ring. */
  protocol: Record<string, unknown>;
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT`; returns undefined when malformed. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.%a-zA-Z0-9]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2]) as string, port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isMemberStatus(value: unknown): value is MemberStatus {
  return typeof value === 'string' && (MEMBER_STATUSES as readonly string[]).includes(value);
}

/** A member read from a static list: alive, incarnation 0. */
export function staticMember(name: string, hostPort: HostPort, tags: Record<string, string> = {}): Member {
  return {
    name,
    addr: formatHostPort(hostPort),
    port: hostPort.port,
    status: 'alive',
    nativeStatus: 'alive',
    incarnation: 0,
    tags,
    protocol: {},
  };
}
