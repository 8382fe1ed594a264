/**
 * Which packets a fault acts on: destination (or source) hosts and CIDRs, ports, protocol, and
 * gossip presets. Pure: turns a target into iptables match arguments and tc u32 selectors.
 * IPv4 and IPv6; names are refused (iptables resolves a name once, so its inverse would not be exact).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { usageError } from '../../src/errors.js';

export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** memberlist gossips on one port: UDP for probes and gossip, TCP for push-pull and fallback pings. */
export const GOSSIP_PRESETS = ['udp', 'tcp', 'all'] as const;
export type GossipPreset = (typeof GOSSIP_PRESETS)[number];
export const DEFAULT_GOSSIP_PORT = 7946;

export interface Target {
  /** Remote hosts or CIDRs (IPv4 or IPv6). Empty: any host. */
  hosts: string[];
  /** Ports (or `LOW:HIGH` ranges) of the receiving side. Empty: any port. */
  ports: string[];
  protocol: Protocol;
}

export const ANY_TARGET: Target = { hosts: [], ports: [], protocol: 'all' };

export type Family = 'ipv4' | 'ipv6';

/** The family of an address or CIDR this module has parsed. */
export function familyOf(address: string): Family {
  return address.includes(':') ? 'ipv6' : 'ipv4';
}

/**
 * `10.0.0.1`, `10.0.0.0/24`, `fd00::1`, `[fd00::1]` or `fd00::/64`; throws a usage error
 * otherwise. IPv6 comes back without brackets.
 */
export function parseCidr(text: string, flag = 'to'): string {
  const bare = /^\[[^\]]+\](\/\d+)?$/.test(text) ? text.replace(/^\[([^\]]+)\]/, '$1') : text;
  const [ip, bits, extra] = bare.split('/');
  const max = ip !== undefined && isIPv6(ip) ? 128 : 32;
  const ok = extra === undefined && ip !== undefined && (isIPv4(ip) || isIPv6(ip)) && !ip.includes('%') && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
  if (!ok) throw usageError(`--${flag} ${text} is not an IP address or CIDR`, 'give addresses such as 10.0.0.5, 10.0.0.0/24 or fd00::5 (names are not resolved)');
  return bare;
}

/** `HOST:PORT` or `[IPV6]:PORT` split, or null when the text carries no port. */
function splitPort(text: string): { host: string; port: string } | null {
  const bracketed = /^(\[[^\]]+\]):(\d+(?::\d+)?)$/.exec(text);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] as string };
  const m = /^([^:]+):(\d+(?::\d+)?)$/.exec(text);
  return m ? { host: m[1] as string, port: m[2] as string } : null;
}

/** A port `7946` or a range `7000:7999`. */
export function parsePort(text: string, flag = 'port'): string {
  const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(text);
  const low = Number(m?.[1]);
  const high = m?.[2] === undefined ? low : Number(m[2]);
  if (!m || low < 1 || high > 65535 || high < low) throw usageError(`--${flag} ${text} is not a port or LOW:HIGH range`, 'give a port such as 7946');
  return text;
}

export function parseProtocol(text: string): Protocol {
  if (!(PROTOCOLS as readonly string[]).includes(text)) throw usageError(`--protocol ${text} is not one of ${PROTOCOLS.join(', ')}`);
  return text as Protocol;
}

/**
 * `HOST`, `HOST:PORT`, `[IPV6]:PORT` or `CIDR` (from `--to`): hosts and ports of a target. Ports
 * given this way join the target's port list.
 */
export function parseDestination(text: string): { host: string; port?: string } {
  const m = splitPort(text);
  if (m) return { host: parseCidr(m.host), port: parsePort(m.port, 'to') };
  return { host: parseCidr(text) };
}

/** What a bandwidth limit spares: traffic with a host or CIDR, on one of its ports or on any. */
export interface Spare {
  host: string;
  port?: number;
}

/** `HOST`, `CIDR`, `HOST:PORT` or `[IPV6]:PORT` (from `--spare`). */
export function parseSpare(text: string): Spare {
  const m = splitPort(text);
  const host = parseCidr(m ? m.host : text, 'spare');
  if (!m) return { host };
  if (!/^\d+$/.test(m.port)) throw usageError(`--spare ${text}: ${m.port} is not a port`, 'give HOST, CIDR or HOST:PORT, e.g. 10.0.0.9:9100');
  const port = Number(m.port);
  if (port < 1 || port > 65535) throw usageError(`--spare ${text}: ${port} is not a port`, 'give HOST, CIDR or HOST:PORT, e.g. 10.0.0.9:9100');
  return { host, port };
}

/** u32 words for a destination address: `match ip dst A/32` or `match ip6 dst A/128`. */
function u32Dst(host: string): string[] {
  const v6 = familyOf(host) === 'ipv6';
  return ['match', v6 ? 'ip6' : 'ip', 'dst', host.includes('/') ? host : `${host}/${v6 ? 128 : 32}`];
}

/**
 * tc u32 selectors for what leaves a host towards a spared peer: to the host, and with a port
 * either to it (a connection this host opened) or from it (one the peer opened to this host).
 */
export function spareSelectors(spares: readonly Spare[]): string[][] {
  return spares.flatMap(({ host, port }) => {
    const dst = u32Dst(host);
    const ip = dst[1] as string;
    if (port === undefined) return [dst];
    return [
      [...dst, 'match', ip, 'dport', String(port), '0xffff'],
      [...dst, 'match', ip, 'sport', String(port), '0xffff'],
    ];
  });
}

/** The target of a gossip preset: memberlist's UDP or TCP traffic on its gossip port. */
export function gossipTarget(preset: GossipPreset, port = DEFAULT_GOSSIP_PORT, hosts: string[] = []): Target {
  return { hosts, ports: [String(port)], protocol: preset };
}

/** Splits a target into the protocols iptables needs one rule each for (ports need tcp or udp). */
function protocolsOf(target: Target): Array<Exclude<Protocol, 'all'> | null> {
  if (target.protocol !== 'all') return [target.protocol];
  return target.ports.length > 0 ? ['tcp', 'udp'] : [null];
}

/** What one filter rule matches of a target: a remote host (or any), a protocol, ports. */
export interface PacketMatch {
  host?: string;
  protocol?: Exclude<Protocol, 'all'>;
  ports: string[];
}

/** A target as packet matches, one per rule (a host and a protocol each). */
export function packetMatches(target: Target): PacketMatch[] {
  if (target.protocol === 'icmp' && target.ports.length > 0) throw usageError('icmp has no ports', 'drop --port or choose --protocol tcp|udp');
  const hosts: Array<string | undefined> = target.hosts.length > 0 ? target.hosts : [undefined];
  return hosts.flatMap((host) =>
    protocolsOf(target).map((protocol) => ({
      ...(host !== undefined ? { host } : {}),
      ...(protocol !== null ? { protocol } : {}),
      ports: protocol === 'icmp' ? [] : target.ports,
    })),
  );
}

/**
 * iptables match arguments, one array per rule. `direction` says where the remote hosts are:
 * `out` matches packets sent to them (-d), `in` packets received from them (-s). Ports are
 * always the receiving side's port (`--dport`), which for gossip is the gossip port both ways.
 */
export function iptablesMatches(target: Target, direction: 'in' | 'out'): string[][] {
  return packetMatches(target).map((m) => [
    ...(m.host !== undefined ? [direction === 'out' ? '-d' : '-s', m.host] : []),
    ...(m.protocol !== undefined ? ['-p', m.protocol] : []),
    ...(m.ports.length === 1 ? ['--dport', m.ports[0] as string] : m.ports.length > 1 ? ['-m', 'multiport', '--dports', m.ports.join(',')] : []),
  ]);
}

const IP_PROTOCOL_NUMBER = { tcp: '6', udp: '17', icmp: '1' } as const;

/**
 * tc u32 selectors (egress: destination host and port), one array per filter. A selector
 * without a host is given for IPv4 and for IPv6 (u32 reads each family's header at its own
 * offsets); one that matches everything is a single `match u32 0 0`.
 */
export function u32Matches(target: Target): string[][] {
  const hosts: Array<string | null> = target.hosts.length > 0 ? target.hosts : [null];
  const ports: Array<string | null> = target.ports.length > 0 ? target.ports : [null];
  const protocols = target.protocol === 'all' ? [null] : [target.protocol];
  const filters: string[][] = [];
  for (const host of hosts) {
    for (const port of ports) {
      if (port !== null && port.includes(':')) throw usageError(`port range ${port} cannot be shaped with tc`, 'list single ports or use --via iptables');
      for (const protocol of protocols) {
        const families = host !== null ? [familyOf(host)] : protocol !== null || port !== null ? (['ipv4', 'ipv6'] as const) : [];
        for (const family of families) {
          const ip = family === 'ipv6' ? 'ip6' : 'ip';
          const number = protocol === 'icmp' && family === 'ipv6' ? '58' : protocol !== null ? IP_PROTOCOL_NUMBER[protocol] : null;
          filters.push([
            ...(host !== null ? u32Dst(host) : []),
            ...(number !== null ? ['match', ip, 'protocol', number, '0xff'] : []),
            ...(port !== null ? ['match', ip, 'dport', port, '0xffff'] : []),
          ]);
        }
        if (families.length === 0) filters.push(['match', 'u32', '0', '0']);
      }
    }
  }
  return filters;
}

/** A short description of a target, e.g. `udp:7946 to 10.0.0.2`. */
export function describeTarget(target: Target): string {
  const what = `${target.protocol === 'all' ? 'all traffic' : target.protocol}${target.ports.length > 0 ? `:${target.ports.join(',')}` : ''}`;
  return target.hosts.length > 0 ? `${what} with ${target.hosts.join(',')}` : what;
}
