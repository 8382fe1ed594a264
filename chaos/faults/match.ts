/**
 * Which packets a fault acts on: destination (or source) hosts and CIDRs, ports, protocol, and
 * gossip presets. Pure: turns a target into iptables match arguments and tc u32 selectors.
 * IPv4 only; names are refused (iptables resolves a name once, so its inverse would not be exact).
 */
import { usageError } from '../../src/errors.js';

export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** memberlist gossips on one port: UDP for probes and gossip, TCP for push-pull and fallback pings. */
export const GOSSIP_PRESETS = ['udp', 'tcp', 'all'] as const;
export type GossipPreset = (typeof GOSSIP_PRESETS)[number];
export const DEFAULT_GOSSIP_PORT = 7946;

export interface Target {
  /** Remote hosts or CIDRs (IPv4). Empty: any host. */
  hosts: string[];
  /** Ports (or `LOW:HIGH` ranges) of the receiving side. Empty: any port. */
  ports: string[];
  protocol: Protocol;
}

export const ANY_TARGET: Target = { hosts: [], ports: [], protocol: 'all' };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `10.0.0.1` or `10.0.0.0/24`; throws a usage error otherwise. */
export function parseCidr(text: string, flag = 'to'): string {
  const [ip, bits, extra] = text.split('/');
  const ok = extra === undefined && ip !== undefined && IPV4.test(ip) && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32));
  if (!ok) throw usageError(`--${flag} ${text} is not an IPv4 address or CIDR`, 'give addresses such as 10.0.0.5 or 10.0.0.0/24 (names are not resolved)');
  return text;
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
 * `HOST`, `HOST:PORT` or `CIDR` (from `--to`): hosts and ports of a target. Ports given this way
 * join the target's port list.
 */
export function parseDestination(text: string): { host: string; port?: string } {
  const m = /^([^:]+):(\d+(?::\d+)?)$/.exec(text);
  if (m) return { host: parseCidr(m[1] as string), port: parsePort(m[2] as string, 'to') };
  return { host: parseCidr(text) };
}

/** What a bandwidth limit spares: traffic with a host or CIDR, on one of its ports or on any. */
export interface Spare {
  host: string;
  port?: number;
}

/** `HOST`, `CIDR` or `HOST:PORT` (from `--spare`). */
export function parseSpare(text: string): Spare {
  const m = /^([^:]+):(\d+)$/.exec(text);
  const host = parseCidr(m ? (m[1] as string) : text, 'spare');
  if (!m) return { host };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw usageError(`--spare ${text}: ${port} is not a port`, 'give HOST, CIDR or HOST:PORT, e.g. 10.0.0.9:9100');
  return { host, port };
}

/**
 * tc u32 selectors for what leaves a host towards a spared peer: to the host, and with a port
 * either to it (a connection this host opened) or from it (one the peer opened to this host).
 */
export function spareSelectors(spares: readonly Spare[]): string[][] {
  return spares.flatMap(({ host, port }) => {
    const dst = ['match', 'ip', 'dst', host.includes('/') ? host : `${host}/32`];
    if (port === undefined) return [dst];
    return [
      [...dst, 'match', 'ip', 'dport', String(port), '0xffff'],
      [...dst, 'match', 'ip', 'sport', String(port), '0xffff'],
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

function portArgs(ports: string[]): string[] {
  if (ports.length === 0) return [];
  if (ports.length === 1) return ['--dport', ports[0] as string];
  return ['-m', 'multiport', '--dports', ports.join(',')];
}

/**
 * iptables match arguments, one array per rule. `direction` says where the remote hosts are:
 * `out` matches packets sent to them (-d), `in` packets received from them (-s). Ports are
 * always the receiving side's port (`--dport`), which for gossip is the gossip port both ways.
 */
export function iptablesMatches(target: Target, direction: 'in' | 'out'): string[][] {
  if (target.protocol === 'icmp' && target.ports.length > 0) throw usageError('icmp has no ports', 'drop --port or choose --protocol tcp|udp');
  const hostFlag = direction === 'out' ? '-d' : '-s';
  const hosts: Array<string | null> = target.hosts.length > 0 ? target.hosts : [null];
  const rules: string[][] = [];
  for (const host of hosts) {
    for (const protocol of protocolsOf(target)) {
      rules.push([
        ...(host !== null ? [hostFlag, host] : []),
        ...(protocol !== null ? ['-p', protocol] : []),
        ...(protocol === 'icmp' ? [] : portArgs(target.ports)),
      ]);
    }
  }
  return rules;
}

const IP_PROTOCOL_NUMBER = { tcp: '6', udp: '17', icmp: '1' } as const;

/** tc u32 selectors (egress: destination host and port), one array per filter. */
export function u32Matches(target: Target): string[][] {
  const hosts: Array<string | null> = target.hosts.length > 0 ? target.hosts : [null];
  const ports: Array<string | null> = target.ports.length > 0 ? target.ports : [null];
  const protocols = target.protocol === 'all' ? [null] : [target.protocol];
  const filters: string[][] = [];
  for (const host of hosts) {
    for (const port of ports) {
      if (port !== null && port.includes(':')) throw usageError(`port range ${port} cannot be shaped with tc`, 'list single ports or use --via iptables');
      for (const protocol of protocols) {
        const sel = [
          ...(host !== null ? ['match', 'ip', 'dst', host.includes('/') ? host : `${host}/32`] : []),
          ...(protocol !== null ? ['match', 'ip', 'protocol', IP_PROTOCOL_NUMBER[protocol], '0xff'] : []),
          ...(port !== null ? ['match', 'ip', 'dport', port, '0xffff'] : []),
        ];
        filters.push(sel.length > 0 ? sel : ['match', 'u32', '0', '0']);
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
