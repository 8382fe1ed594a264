/**
 * IPv6 and nft-only hosts as exact plans (pure): addresses of both families, ip6tables chains,
 * nft's own `inet ringside` table, the firewall chosen from what a host has, and recover finding
 * all of it. netns.test.ts and hosts.test.ts run the same plans on real kernels.
 */
import { describe, expect, it } from 'vitest';
import { chooseFirewall } from '../../chaos/capabilities.js';
import { nftWords } from '../../chaos/faults/filter.js';
import { ANY_TARGET, familyOf, parseCidr, parseDestination, parseSpare, u32Matches } from '../../chaos/faults/match.js';
import { NFT_TABLE_EMPTY } from '../../chaos/faults/nft.js';
import { planFault } from '../../chaos/faults/plan.js';
import type { LossSpec } from '../../chaos/faults/spec.js';
import { groupCuts, isolateCuts } from '../../chaos/faults/topology.js';
import { findRingsideState, recoverSteps } from '../../chaos/recover.js';
import { planScenarioFault } from '../../chaos/scenario/faults.js';
import { parseHostBinding } from '../../chaos/scenario/files.js';

const IPT = ['iptables', '-w', '5'];
const IP6T = ['ip6tables', '-w', '5'];

describe('addresses of both families', () => {
  it('parses IPv6 addresses, CIDRs and [IPV6]:PORT, and refuses names, zones and long prefixes', () => {
    expect(parseCidr('fd00::5')).toBe('fd00::5');
    expect(parseCidr('[fd00::5]')).toBe('fd00::5');
    expect(parseCidr('fd00:1::/64')).toBe('fd00:1::/64');
    expect(familyOf('fd00::5')).toBe('ipv6');
    expect(familyOf('10.0.0.0/8')).toBe('ipv4');
    expect(() => parseCidr('fd00::/129')).toThrow(/--to fd00::\/129 is not an IP address or CIDR/);
    expect(() => parseCidr('fe80::1%eth0')).toThrow(/not an IP address/);
    expect(() => parseCidr('10.0.0.1/33')).toThrow(/not an IP address/);
    expect(() => parseCidr('db.internal')).toThrow(/--to db.internal is not an IP address or CIDR/);
    expect(parseDestination('[fd00::2]:7946')).toEqual({ host: 'fd00::2', port: '7946' });
    expect(parseDestination('fd00::2')).toEqual({ host: 'fd00::2' });
    expect(parseSpare('[fd00::9]:9100')).toEqual({ host: 'fd00::9', port: 9100 });
    expect(() => parseSpare('[fd00::9]:70000')).toThrow(/70000 is not a port/);
  });

  it('u32 selectors read each family at its own offsets; a port-only target gets one of each', () => {
    expect(u32Matches({ hosts: ['fd00::2'], ports: ['7946'], protocol: 'udp' })).toEqual([['match', 'ip6', 'dst', 'fd00::2/128', 'match', 'ip6', 'protocol', '17', '0xff', 'match', 'ip6', 'dport', '7946', '0xffff']]);
    expect(u32Matches({ hosts: [], ports: ['7946'], protocol: 'all' })).toEqual([
      ['match', 'ip', 'dport', '7946', '0xffff'],
      ['match', 'ip6', 'dport', '7946', '0xffff'],
    ]);
    expect(u32Matches(ANY_TARGET)).toEqual([['match', 'u32', '0', '0']]);
  });

  it('bandwidth over an IPv6 control connection spares it with an ipv6 filter at its own priority', () => {
    const plan = planFault({ kind: 'bandwidth', rateBytesPerS: 125_000, spare: [{ host: '10.0.0.9' }] }, 'bw6', { dev: 'eth0', control: { peerIp: 'fd00::1', localPort: 22 } });
    const filters = plan.apply.filter((s) => s.run[1] === 'filter').map((s) => s.run.slice(7, 12).concat(s.run.slice(12, 16)));
    expect(filters).toEqual([
      ['protocol', 'ipv6', 'prio', '11', 'u32', 'match', 'ip6', 'dst', 'fd00::1/128'],
      ['protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '10.0.0.9/32'],
    ]);
  });
});

describe('IPv6 rules in ip6tables', () => {
  it('a partition of IPv6 groups writes ip6tables chains only; a dual-stack partition writes both', () => {
    const v6 = planFault({ kind: 'partition', cuts: groupCuts([['fd00::1'], ['fd00::2']]), target: { ports: [], protocol: 'all' }, description: 'v6' }, 'p6', { ipv6: true });
    expect(v6.apply.map((s) => s.run)).toEqual([
      [...IP6T, '-N', 'RINGSIDE-p6-I'],
      [...IP6T, '-F', 'RINGSIDE-p6-I'],
      [...IP6T, '-A', 'RINGSIDE-p6-I', '!', '-i', 'lo', '-s', 'fd00::1', '-d', 'fd00::2', '-j', 'DROP'],
      [...IP6T, '-A', 'RINGSIDE-p6-I', '!', '-i', 'lo', '-s', 'fd00::2', '-d', 'fd00::1', '-j', 'DROP'],
      [...IP6T, '-I', 'INPUT', '1', '-m', 'comment', '--comment', 'ringside:p6', '-j', 'RINGSIDE-p6-I'],
    ]);
    expect(v6.needs).toEqual({ firewall: 'iptables', ipv6: true });
    // Each host listed by both its addresses: every cross pair of one family is cut, mixed pairs are skipped.
    const dual = planFault({ kind: 'partition', cuts: groupCuts([['10.0.0.1', 'fd00::1'], ['10.0.0.2', 'fd00::2']]), target: { ports: [], protocol: 'all' }, description: 'dual' }, 'pd', { ipv6: true });
    const drops = dual.apply.filter((s) => s.run.includes('-A')).map((s) => `${s.run[0]} ${s.run.slice(s.run.indexOf('-s'), s.run.indexOf('-j')).join(' ')}`);
    expect(drops).toEqual(['iptables -s 10.0.0.1 -d 10.0.0.2', 'iptables -s 10.0.0.2 -d 10.0.0.1', 'ip6tables -s fd00::1 -d fd00::2', 'ip6tables -s fd00::2 -d fd00::1']);
    // The revert removes both families' jumps and chains.
    expect(dual.revert.map((s) => s.run.slice(0, 4).join(' '))).toEqual(['ip6tables -w 5 -D', 'ip6tables -w 5 -F', 'ip6tables -w 5 -X', 'iptables -w 5 -D', 'iptables -w 5 -F', 'iptables -w 5 -X']);
  });

  it('a loss without addresses covers both families on a host with IPv6, and only IPv4 without it', () => {
    const spec: LossSpec = { kind: 'loss', percent: 30, via: 'iptables', direction: 'in', target: { hosts: [], ports: ['7946'], protocol: 'udp' } };
    const tools = (ipv6: boolean): string[] => [...new Set(planFault(spec, 'l6', { ipv6 }).apply.map((s) => s.run[0] as string))];
    expect(tools(true)).toEqual(['iptables', 'ip6tables']);
    expect(tools(false)).toEqual(['iptables']);
    const v6 = planFault({ ...spec, target: { hosts: [], ports: [], protocol: 'icmp' } }, 'l7', { ipv6: true });
    expect(v6.apply.find((s) => s.run[0] === 'ip6tables' && s.run.includes('-A'))?.run.slice(5)).toEqual(['!', '-i', 'lo', '-p', 'ipv6-icmp', '-m', 'statistic', '--mode', 'random', '--probability', '0.3', '-j', 'DROP']);
  });
});

describe("nft-only hosts: table inet ringside", () => {
  it('a partition is one nft transaction; its revert deletes the chains, then the table once empty', () => {
    const plan = planFault({ kind: 'partition', cuts: isolateCuts('10.0.0.3'), target: { ports: ['7946'], protocol: 'udp' }, description: 'isolate' }, 'n1', { firewall: 'nft', control: { peerIp: '10.1.0.1', localPort: 22 } });
    expect(plan.needs).toEqual({ firewall: 'nft' });
    expect(plan.summary).toBe('partition isolate (udp:7946 only) (nft)');
    expect(plan.apply).toEqual([
      {
        run: [
          'nft', 'add', 'table', 'inet', 'ringside',
          ';', 'add', 'chain', 'inet', 'ringside', 'RINGSIDE-n1-I', '{', 'type', 'filter', 'hook', 'input', 'priority', '0', ';', 'policy', 'accept', ';', '}',
          ';', 'flush', 'chain', 'inet', 'ringside', 'RINGSIDE-n1-I',
          ';', 'add', 'rule', 'inet', 'ringside', 'RINGSIDE-n1-I', 'ip', 'saddr', '10.1.0.1', 'tcp', 'dport', '22', 'accept',
          ';', 'add', 'rule', 'inet', 'ringside', 'RINGSIDE-n1-I', 'iifname', '!=', 'lo', 'ip', 'saddr', '10.0.0.3', 'udp', 'dport', '7946', 'drop',
          ';', 'add', 'rule', 'inet', 'ringside', 'RINGSIDE-n1-I', 'iifname', '!=', 'lo', 'ip', 'daddr', '10.0.0.3', 'udp', 'dport', '7946', 'drop',
        ],
      },
    ]);
    expect(plan.revert).toEqual([
      { onlyIf: ['nft', 'list', 'chain', 'inet', 'ringside', 'RINGSIDE-n1-I'], run: ['nft', 'flush', 'chain', 'inet', 'ringside', 'RINGSIDE-n1-I', ';', 'delete', 'chain', 'inet', 'ringside', 'RINGSIDE-n1-I'] },
      { onlyIf: NFT_TABLE_EMPTY, run: ['nft', 'delete', 'table', 'inet', 'ringside'] },
    ]);
  });

  it('loss draws nft random numbers; IPv6, icmp of both families and port sets are spelled as nft takes them', () => {
    const loss = planFault({ kind: 'loss', percent: 12.5, via: 'iptables', direction: 'out', target: { hosts: ['fd00::2'], ports: ['7946', '8000:8010'], protocol: 'tcp' } }, 'n2', { firewall: 'nft' });
    expect(loss.summary).toBe('loss 12.5% of tcp:7946,8000:8010 with fd00::2 sent (nft numgen random)');
    expect((loss.apply[0]?.run ?? []).join(' ')).toContain('add rule inet ringside RINGSIDE-n2-O ip6 daddr fd00::2 tcp dport { 7946, 8000-8010 } numgen random mod 1000000 < 125000 drop');
    // A certain drop needs no draw (nft refuses `< 1000000` on a 0..999999 draw).
    expect(nftWords({ hook: 'INPUT', src: '10.0.0.1', probability: 1, verdict: 'drop' })).toEqual(['ip', 'saddr', '10.0.0.1', 'drop']);
    expect(nftWords({ hook: 'INPUT', probability: 0.000001, verdict: 'drop' })).toEqual(['numgen', 'random', 'mod', '1000000', '<', '1', 'drop']);
    expect(nftWords({ hook: 'INPUT', protocol: 'icmp', verdict: 'drop' })).toEqual(['meta', 'l4proto', '{', 'icmp,', 'ipv6-icmp', '}', 'drop']);
    expect(nftWords({ hook: 'OUTPUT', notLoopback: true, protocol: 'udp', verdict: 'drop' })).toEqual(['oifname', '!=', 'lo', 'meta', 'l4proto', 'udp', 'drop']);
  });
});

describe('which firewall a host gets', () => {
  const probe = (lines: string[]): string => `${lines.join('\n')}\n`;

  it('iptables where it works (saying its back end), nft where iptables is missing or broken', () => {
    expect(chooseFirewall('h', probe(['iptables=iptables v1.8.9 (nf_tables)', 'iptables_works=yes', 'ip6tables_works=yes', 'nft=works', 'nft_tables=1', 'nft_own=0', 'ipv6=yes', 'ipv6_global=yes']))).toEqual({ firewall: 'iptables', label: 'iptables (nf_tables)', ipv6: true, ipv6Global: true });
    expect(chooseFirewall('h', probe(['iptables=iptables v1.8.9 (legacy)', 'iptables_works=yes', 'nft=works', 'nft_tables=2', 'nft_own=0']))).toEqual({ firewall: 'iptables', label: 'iptables (legacy), beside nft with 2 tables of its own (rules in one are not listed by the other)', ipv6: false, ipv6Global: false });
    expect(chooseFirewall('h', probe(['iptables=none', 'nft=works', 'nft_tables=1', 'nft_own=1', 'ipv6=yes']))).toEqual({ firewall: 'nft', label: 'nft (no iptables)', ipv6: true, ipv6Global: false });
    expect(chooseFirewall('h', probe(['iptables=iptables v1.8.9 (legacy)', 'nft=works', 'nft_tables=0', 'nft_own=0']))).toEqual({ firewall: 'nft', label: 'nft (iptables legacy does not work)', ipv6: false, ipv6Global: false });
    expect(chooseFirewall('h', probe(['iptables=iptables v1.8.9 (nf_tables)', 'iptables_works=yes', 'nft=works', 'nft_tables=0', 'nft_own=0']), 'nft').firewall).toBe('nft');
  });

  it('names the missing piece (exit 4) when neither works, or the one asked for is not there', () => {
    const fail = (text: string, prefer?: 'iptables' | 'nft'): unknown => {
      try {
        chooseFirewall('ssh:h', text, prefer);
      } catch (error) {
        return { message: (error as Error).message, code: (error as { code?: string }).code };
      }
      return 'no error';
    };
    expect(fail(probe(['iptables=none', 'nft=none']))).toEqual({ message: 'neither iptables nor nft is available on ssh:h', code: 'RS_NO_CAPABILITY' });
    expect(fail(probe(['iptables=none', 'nft=works']), 'iptables')).toEqual({ message: 'iptables is not available on ssh:h', code: 'RS_NO_CAPABILITY' });
    expect(fail(probe(['iptables=iptables v1.8.9 (nf_tables)', 'iptables_works=yes', 'nft=none']), 'nft')).toEqual({ message: 'nft is not available on ssh:h', code: 'RS_NO_CAPABILITY' });
    expect(fail(probe(['iptables=iptables v1.8.9 (legacy)', 'nft=broken']))).toEqual({ message: 'iptables (legacy) does not work on ssh:h, and nft does not work either', code: 'RS_NO_CAPABILITY' });
  });
});

describe('recover finds ip6tables chains and the nft table', () => {
  it('removes ip6tables jumps and chains, and the whole inet ringside table', () => {
    const found = findRingsideState({
      iptables: '-P INPUT ACCEPT\n',
      ip6tables: '-P INPUT ACCEPT\n-N RINGSIDE-x-I\n-A INPUT -m comment --comment "ringside:x" -j RINGSIDE-x-I\n-A RINGSIDE-x-I -s fd00::1/128 -j DROP\n',
      nft: 'table inet ringside {\n\tchain RINGSIDE-y-I {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n',
      tc: '',
    });
    expect(found).toMatchObject({ chains: [], chains6: ['RINGSIDE-x-I'], nftChains: ['RINGSIDE-y-I'] });
    expect(recoverSteps(found).map((s) => s.run.join(' '))).toEqual([
      'ip6tables -w 5 -D INPUT -m comment --comment ringside:x -j RINGSIDE-x-I',
      'ip6tables -w 5 -F RINGSIDE-x-I',
      'ip6tables -w 5 -X RINGSIDE-x-I',
      'nft delete table inet ringside',
    ]);
  });
});

describe('dual-stack scenario hosts', () => {
  it('--host NAME=ON,ADDR+ADDR6 makes a partition or a targeted loss cut both families', () => {
    const hosts = ['a', 'b', 'c', 'd'].map((n, i) => parseHostBinding(`${n}=netns:${n},10.0.0.${i + 1}+fd00::${i + 1},node-${n}`));
    expect(hosts[0]).toEqual({ name: 'a', on: 'netns:a', addr: '10.0.0.1', addr6: 'fd00::1', member: 'node-a' });
    expect(() => parseHostBinding('a=local,10.0.0.1+db.internal')).toThrow(/--host db.internal is not an IP address/);
    const groups = planScenarioFault({ kind: 'partition', groups: [['a', 'b'], ['c', 'd']] }, hosts);
    expect(groups.spec.kind === 'partition' && groups.spec.cuts[0]).toEqual({ from: ['10.0.0.1', 'fd00::1', '10.0.0.2', 'fd00::2'], to: ['10.0.0.3', 'fd00::3', '10.0.0.4', 'fd00::4'] });
    const halves = planScenarioFault({ kind: 'partition', topology: 'halves' }, hosts);
    const plan = planFault(halves.spec, 'h1', { ipv6: true });
    const drops = plan.apply.filter((s) => s.run.includes('-A')).map((s) => s.run[0]);
    expect(drops.filter((t) => t === 'iptables')).toHaveLength(8);
    expect(drops.filter((t) => t === 'ip6tables')).toHaveLength(8);
    const iso = planScenarioFault({ kind: 'partition', isolate: 'c' }, hosts);
    expect(iso.spec.kind === 'partition' && iso.spec.cuts).toEqual([{ from: ['10.0.0.3'], to: ['any'] }, { from: ['any'], to: ['10.0.0.3'] }, { from: ['fd00::3'], to: ['any'] }, { from: ['any'], to: ['fd00::3'] }]);
    const loss = planScenarioFault({ kind: 'loss', percent: 50, via: 'iptables', to: 'b' }, hosts);
    expect(loss.spec.kind === 'loss' && loss.spec.target.hosts).toEqual(['10.0.0.2', 'fd00::2']);
  });
});
