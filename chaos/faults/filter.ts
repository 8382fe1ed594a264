/**
 * A packet filter rule as data, and its two spellings (pure): iptables/ip6tables match arguments
 * and nft rule words. Faults are planned as these rules; the host's firewall (iptables, or nft
 * alone) decides which spelling is applied, and an address decides the family.
 */
import { type Family, familyOf } from './match.js';

export type Hook = 'INPUT' | 'OUTPUT';
export const HOOKS: readonly Hook[] = ['INPUT', 'OUTPUT'];

export interface FilterRule {
  hook: Hook;
  /** Not on the loopback device (`! -i lo` in INPUT, `! -o lo` in OUTPUT). */
  notLoopback?: boolean;
  /** Source and destination address or CIDR; they decide the rule's family. */
  src?: string;
  dst?: string;
  protocol?: 'tcp' | 'udp' | 'icmp';
  /** Destination ports or `LOW:HIGH` ranges (need tcp or udp). */
  dports?: string[];
  sport?: string;
  /** Drop (or accept) only this share of the matching packets, 0..1. */
  probability?: number;
  verdict: 'drop' | 'accept';
}

/** The families a rule applies to: its addresses' family, or both when it names none. */
export function ruleFamilies(rule: FilterRule): Family[] {
  const address = rule.src ?? rule.dst;
  return address === undefined ? ['ipv4', 'ipv6'] : [familyOf(address)];
}

/** `0.8` as iptables' statistic match takes it (six decimals, no trailing zeros). */
export function probabilityText(p: number): string {
  return p.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** iptables (or ip6tables, by `family`) match arguments and `-j` verdict for one rule. */
export function iptablesArgs(rule: FilterRule, family: Family): string[] {
  const ports = rule.dports ?? [];
  const protocol = rule.protocol === 'icmp' && family === 'ipv6' ? 'ipv6-icmp' : rule.protocol;
  return [
    ...(rule.notLoopback ? ['!', rule.hook === 'INPUT' ? '-i' : '-o', 'lo'] : []),
    ...(rule.src !== undefined ? ['-s', rule.src] : []),
    ...(rule.dst !== undefined ? ['-d', rule.dst] : []),
    ...(protocol !== undefined ? ['-p', protocol] : []),
    ...(ports.length === 1 ? ['--dport', ports[0] as string] : ports.length > 1 ? ['-m', 'multiport', '--dports', ports.join(',')] : []),
    ...(rule.sport !== undefined ? ['--sport', rule.sport] : []),
    ...(rule.probability !== undefined ? ['-m', 'statistic', '--mode', 'random', '--probability', probabilityText(rule.probability)] : []),
    '-j',
    rule.verdict === 'drop' ? 'DROP' : 'RETURN',
  ];
}

/** nft's random draw: `numgen random mod 1000000 < N` drops a share N/10^6. */
export const NFT_RANDOM_RANGE = 1_000_000;

function set(items: string[]): string[] {
  if (items.length === 1) return [items[0] as string];
  return ['{', ...items.map((x, i) => (i < items.length - 1 ? `${x},` : x)), '}'];
}

/** nft rule words for one rule in an `inet` table (each word one argv element). */
export function nftWords(rule: FilterRule): string[] {
  const family = rule.src ?? rule.dst;
  const ip = family === undefined ? undefined : familyOf(family) === 'ipv6' ? 'ip6' : 'ip';
  const ports = (rule.dports ?? []).map((p) => p.replace(':', '-'));
  const words: string[] = [];
  if (rule.notLoopback) words.push(rule.hook === 'INPUT' ? 'iifname' : 'oifname', '!=', 'lo');
  if (rule.src !== undefined) words.push(ip as string, 'saddr', rule.src);
  if (rule.dst !== undefined) words.push(ip as string, 'daddr', rule.dst);
  if (rule.protocol === 'icmp') words.push('meta', 'l4proto', ...set(ip === 'ip' ? ['icmp'] : ip === 'ip6' ? ['ipv6-icmp'] : ['icmp', 'ipv6-icmp']));
  else if (rule.protocol !== undefined && ports.length === 0 && rule.sport === undefined) words.push('meta', 'l4proto', rule.protocol);
  if (rule.protocol !== undefined && rule.protocol !== 'icmp') {
    if (ports.length > 0) words.push(rule.protocol, 'dport', ...set(ports));
    if (rule.sport !== undefined) words.push(rule.protocol, 'sport', rule.sport);
  }
  // A draw below N of 0..999999 hits N times in a million; a certain drop needs no draw.
  const share = rule.probability === undefined ? NFT_RANDOM_RANGE : Math.round(rule.probability * NFT_RANDOM_RANGE);
  if (share < NFT_RANDOM_RANGE) words.push('numgen', 'random', 'mod', String(NFT_RANDOM_RANGE), '<', String(share));
  words.push(rule.verdict);
  return words;
}
