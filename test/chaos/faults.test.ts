/**
 * Fault plans as exact argv vectors. netem cannot run on this project's CI kernel (no sch_netem),
 * so its commands are checked here word for word; iptables and tbf plans are also run for real
 * in netns.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deadmanScript, stepScript } from '../../chaos/deadman.js';
import { shellCommand, shellQuote } from '../../chaos/executors/quote.js';
import { ANY_TARGET, gossipTarget, iptablesMatches, parseSpare, u32Matches } from '../../chaos/faults/match.js';
import { netemArgs } from '../../chaos/faults/netem.js';
import { planFault } from '../../chaos/faults/plan.js';
import { tcHandle } from '../../chaos/faults/tc.js';
import { groupCuts, isolateCuts, reachable, topologyCuts } from '../../chaos/faults/topology.js';
import { findRingsideState, recoverSteps, splitRule } from '../../chaos/recover.js';

const IPT = ['iptables', '-w', '5'];
const control = { peerIp: '10.1.0.1', localPort: 22 };

describe('netem plans (argv only: this kernel has no sch_netem)', () => {
  it('loss on a whole device is one root netem qdisc with a ringside handle, removed by handle', () => {
    const plan = planFault({ kind: 'loss', percent: 80, via: 'tc', direction: 'out', target: ANY_TARGET, dev: 'eth0' }, 'abc123', { dev: 'eth0' });
    const h = tcHandle('abc123');
    expect(h).toMatch(/^52[0-9a-f]{2}:$/);
    const guard = ['sh', '-c', 'tc qdisc show dev "$1" root | grep -q "^qdisc [a-z_]* $2 "', 'ringside-guard', 'eth0', h];
    expect(plan.apply).toEqual([{ unless: guard, run: ['tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'handle', h, 'netem', 'loss', 'random', '80%'] }]);
    expect(plan.revert).toEqual([{ onlyIf: guard, run: ['tc', 'qdisc', 'del', 'dev', 'eth0', 'root', 'handle', h], repeat: true }]);
    expect(plan.needs).toEqual({ qdiscs: ['netem'], devices: ['eth0'] });
  });

  it('a targeted delay sits under a prio root; filters send only the target to band 4; the SSH control path stays in band 1', () => {
    const plan = planFault(
      { kind: 'delay', netem: { delayMs: 100, jitterMs: 20, delayCorrelationPct: 25, distribution: 'normal' }, target: { hosts: ['10.0.0.7'], ports: ['7946'], protocol: 'udp' }, dev: 'eth0' },
      'abc123',
      { dev: 'eth0', control },
    );
    const h = tcHandle('abc123');
    const major = h.slice(0, -1);
    const child = `53${h.slice(2)}`;
    const childGuard = ['sh', '-c', 'tc qdisc show dev "$1" | grep -q "^qdisc $3 $2 "', 'ringside-guard', 'eth0', child, 'netem'];
    expect(plan.apply.map((s) => s.run)).toEqual([
      ['tc', 'qdisc', 'add', 'dev', 'eth0', 'root', 'handle', h, 'prio', 'bands', '4', 'priomap', '1', '2', '2', '2', '1', '2', '0', '0', '1', '1', '1', '1', '1', '1', '1', '1'],
      ['tc', 'filter', 'add', 'dev', 'eth0', 'parent', h, 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '10.1.0.1/32', 'match', 'ip', 'protocol', '6', '0xff', 'match', 'ip', 'sport', '22', '0xffff', 'flowid', `${major}:1`],
      ['tc', 'filter', 'add', 'dev', 'eth0', 'parent', h, 'protocol', 'ip', 'prio', '2', 'u32', 'match', 'ip', 'dst', '10.0.0.7/32', 'match', 'ip', 'protocol', '17', '0xff', 'match', 'ip', 'dport', '7946', '0xffff', 'flowid', `${major}:4`],
      ['tc', 'qdisc', 'add', 'dev', 'eth0', 'parent', `${major}:4`, 'handle', child, 'netem', 'delay', '100ms', '20ms', '25%', 'distribution', 'normal'],
    ]);
    expect(plan.apply.slice(1).every((s) => JSON.stringify(s.unless) === JSON.stringify(childGuard))).toBe(true);
    expect(plan.revert.map((s) => s.run)).toEqual([['tc', 'qdisc', 'del', 'dev', 'eth0', 'root', 'handle', h]]);
    expect(plan.needs.qdiscs).toEqual(['netem', 'prio']);
  });

  it('netem arguments for duplicate, reorder and corrupt, with correlations', () => {
    expect(netemArgs({ duplicatePct: 5, duplicateCorrelationPct: 10 })).toEqual(['duplicate', '5%', '10%']);
    expect(netemArgs({ delayMs: 10, reorderPct: 25, reorderCorrelationPct: 50 })).toEqual(['delay', '10ms', 'reorder', '25%', '50%']);
    expect(netemArgs({ corruptPct: 0.1 })).toEqual(['corrupt', '0.1%']);
    expect(netemArgs({ delayMs: 0.25 })).toEqual(['delay', '250us']);
    expect(netemArgs({ lossPct: 12.5, lossCorrelationPct: 25 })).toEqual(['loss', 'random', '12.5%', '25%']);
  });

  it('refuses netem combinations tc would refuse', () => {
    expect(() => netemArgs({ reorderPct: 10 })).toThrow(/reorder needs a delay/);
    expect(() => netemArgs({ delayMs: 10, distribution: 'normal' })).toThrow(/need a jitter/);
    expect(() => netemArgs({ lossPct: 101 })).toThrow(/not a percentage/);
    expect(() => netemArgs({})).toThrow(/no effect/);
  });
});

describe('htb and iptables plans', () => {
  it('bandwidth is a tbf (a bucket of at least one packet) under an htb root that only classifies: everything unfiltered goes to the limited class', () => {
    const plan = planFault({ kind: 'bandwidth', rateBytesPerS: 125_000, dev: 'veth0' }, 'bw1', { dev: 'veth0' });
    const h = tcHandle('bw1');
    const major = h.slice(0, -1);
    const leaf = `53${h.slice(2)}`;
    expect(plan.apply.map((st) => st.run)).toEqual([
      ['tc', 'qdisc', 'add', 'dev', 'veth0', 'root', 'handle', h, 'htb', 'default', '2'],
      ['tc', 'class', 'add', 'dev', 'veth0', 'parent', h, 'classid', `${major}:1`, 'htb', 'rate', '100gbit', 'quantum', '60000'],
      ['tc', 'class', 'add', 'dev', 'veth0', 'parent', h, 'classid', `${major}:2`, 'htb', 'rate', '100gbit', 'quantum', '60000'],
      ['tc', 'qdisc', 'add', 'dev', 'veth0', 'parent', `${major}:2`, 'handle', leaf, 'tbf', 'rate', '1000000bit', 'burst', '2500b', 'latency', '400ms'],
    ]);
    // Every step after the root is skipped once the leaf (set up last) exists: re-applying is a no-op.
    expect(plan.apply.slice(1).map((st) => st.unless?.slice(-3))).toEqual(Array(3).fill(['veth0', leaf, 'tbf']));
    expect(plan.revert.map((st) => st.run)).toEqual([['tc', 'qdisc', 'del', 'dev', 'veth0', 'root', 'handle', h]]);
    expect(plan.needs).toEqual({ qdiscs: ['htb', 'tbf'], devices: ['veth0'] });
    expect(plan.summary).toBe('bandwidth 1000000bit/s on veth0 egress (tc tbf under htb, burst 2500 bytes, latency 400ms)');
  });

  it('bandwidth spares the control connection and every --spare: filtered to the unlimited class', () => {
    const spare = ['10.0.0.9:9100', '10.1.0.0/16'].map(parseSpare);
    const plan = planFault({ kind: 'bandwidth', rateBytesPerS: 1000, dev: 'eth0', spare }, 'bw2', { dev: 'eth0', control: { peerIp: '10.0.0.1', localPort: 22 } });
    const h = tcHandle('bw2');
    const filters = plan.apply.filter((st) => st.run[1] === 'filter').map((st) => st.run);
    const u32 = (...sel: string[]) => ['tc', 'filter', 'add', 'dev', 'eth0', 'parent', h, 'protocol', 'ip', 'prio', '1', 'u32', ...sel, 'flowid', `${h.slice(0, -1)}:1`];
    expect(filters).toEqual([
      u32('match', 'ip', 'dst', '10.0.0.1/32', 'match', 'ip', 'protocol', '6', '0xff', 'match', 'ip', 'sport', '22', '0xffff'),
      u32('match', 'ip', 'dst', '10.0.0.9/32', 'match', 'ip', 'dport', '9100', '0xffff'),
      u32('match', 'ip', 'dst', '10.0.0.9/32', 'match', 'ip', 'sport', '9100', '0xffff'),
      u32('match', 'ip', 'dst', '10.1.0.0/16'),
    ]);
    // A tiny rate still has a bucket of one full packet.
    expect(plan.apply.at(-1)?.run.slice(-6)).toEqual(['rate', '8000bit', 'burst', '1600b', 'latency', '400ms']);
    expect(plan.summary).toMatch(/, sparing the control connection, 10\.0\.0\.9:9100, 10\.1\.0\.0\/16$/);
  });

  it('--spare takes HOST, CIDR or HOST:PORT and refuses anything else', () => {
    expect(parseSpare('10.0.0.9')).toEqual({ host: '10.0.0.9' });
    expect(parseSpare('10.0.0.9:22')).toEqual({ host: '10.0.0.9', port: 22 });
    expect(() => parseSpare('10.0.0.9:0')).toThrow(/0 is not a port/);
    expect(() => parseSpare('bastion:22')).toThrow(/--spare bastion is not an IP address or CIDR/);
    expect(() => parseSpare('10.0.0.9:99999')).toThrow(/99999 is not a port/);
  });

  it('iptables loss: own chains, jumps tagged ringside:<id>, statistic match, exact inverse in reverse order', () => {
    const plan = planFault({ kind: 'loss', percent: 80, via: 'iptables', direction: 'in', target: gossipTarget('udp') }, 'l1', {});
    expect(plan.apply).toEqual([
      { unless: [...IPT, '-S', 'RINGSIDE-l1-I'], run: [...IPT, '-N', 'RINGSIDE-l1-I'] },
      { run: [...IPT, '-F', 'RINGSIDE-l1-I'] },
      { run: [...IPT, '-A', 'RINGSIDE-l1-I', '-p', 'udp', '--dport', '7946', '-m', 'statistic', '--mode', 'random', '--probability', '0.8', '-j', 'DROP'] },
      {
        unless: [...IPT, '-C', 'INPUT', '-m', 'comment', '--comment', 'ringside:l1', '-j', 'RINGSIDE-l1-I'],
        run: [...IPT, '-I', 'INPUT', '1', '-m', 'comment', '--comment', 'ringside:l1', '-j', 'RINGSIDE-l1-I'],
      },
    ]);
    expect(plan.revert).toEqual([
      { onlyIf: [...IPT, '-C', 'INPUT', '-m', 'comment', '--comment', 'ringside:l1', '-j', 'RINGSIDE-l1-I'], run: [...IPT, '-D', 'INPUT', '-m', 'comment', '--comment', 'ringside:l1', '-j', 'RINGSIDE-l1-I'], repeat: true },
      { onlyIf: [...IPT, '-S', 'RINGSIDE-l1-I'], run: [...IPT, '-F', 'RINGSIDE-l1-I'] },
      { onlyIf: [...IPT, '-S', 'RINGSIDE-l1-I'], run: [...IPT, '-X', 'RINGSIDE-l1-I'] },
    ]);
  });

  it('iptables loss of a whole host spares loopback; a loss aimed at a port does not', () => {
    const whole = planFault({ kind: 'loss', percent: 80, via: 'iptables', direction: 'both', target: { hosts: [], ports: [], protocol: 'all' } }, 'l2', {});
    expect(whole.apply.filter((st) => st.run[3] === '-A').map((st) => st.run.slice(4))).toEqual([
      ['RINGSIDE-l2-I', '!', '-i', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', '0.8', '-j', 'DROP'],
      ['RINGSIDE-l2-O', '!', '-o', 'lo', '-m', 'statistic', '--mode', 'random', '--probability', '0.8', '-j', 'DROP'],
    ].sort((x, y) => (x[0] as string).localeCompare(y[0] as string)));
    expect(whole.summary).toBe('loss 80% of all traffic sent and received, loopback spared (iptables statistic)');
    const udpOnly = planFault({ kind: 'loss', percent: 100, via: 'iptables', direction: 'in', target: { hosts: [], ports: [], protocol: 'udp' } }, 'l3', {});
    expect(udpOnly.apply.find((st) => st.run[3] === '-A')?.run.slice(5)).toEqual(['!', '-i', 'lo', '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', '1', '-j', 'DROP']);
    const port = planFault({ kind: 'loss', percent: 10, via: 'iptables', direction: 'in', target: { hosts: [], ports: ['17952'], protocol: 'tcp' } }, 'l4', {});
    expect(port.apply.find((st) => st.run[3] === '-A')?.run.slice(5)).toEqual(['-p', 'tcp', '--dport', '17952', '-m', 'statistic', '--mode', 'random', '--probability', '0.1', '-j', 'DROP']);
  });

  it('the control connection is let through first (RETURN, so foreign rules still apply to it)', () => {
    const plan = planFault({ kind: 'partition', cuts: isolateCuts('10.0.0.3'), target: { ports: [], protocol: 'all' }, description: 'isolate' }, 'p1', { control });
    const inputRules = plan.apply.filter((s) => s.run[3] === '-A' && s.run[4] === 'RINGSIDE-p1-I').map((s) => s.run.slice(5));
    expect(inputRules).toEqual([
      ['-s', '10.1.0.1', '-p', 'tcp', '--dport', '22', '-j', 'RETURN'],
      ['!', '-i', 'lo', '-s', '10.0.0.3', '-j', 'DROP'],
      ['!', '-i', 'lo', '-d', '10.0.0.3', '-j', 'DROP'],
    ]);
    // Partitions drop on arrival only (an OUTPUT drop makes sendto() fail with EPERM).
    expect(plan.apply.some((s) => s.run.includes('OUTPUT') || s.run.includes('RINGSIDE-p1-O'))).toBe(false);
    const loss = planFault({ kind: 'loss', percent: 50, via: 'iptables', direction: 'both', target: ANY_TARGET }, 'l2', { control });
    const outputRules = loss.apply.filter((s) => s.run[3] === '-A' && s.run[4] === 'RINGSIDE-l2-O').map((s) => s.run.slice(5));
    expect(outputRules[0]).toEqual(['-d', '10.1.0.1', '-p', 'tcp', '--sport', '22', '-j', 'RETURN']);
  });

  it('a gossip preset over all protocols becomes one tcp and one udp rule; several ports use multiport', () => {
    expect(iptablesMatches(gossipTarget('all', 8301, ['10.0.0.2']), 'out')).toEqual([
      ['-d', '10.0.0.2', '-p', 'tcp', '--dport', '8301'],
      ['-d', '10.0.0.2', '-p', 'udp', '--dport', '8301'],
    ]);
    expect(iptablesMatches({ hosts: [], ports: ['7946', '8301'], protocol: 'udp' }, 'in')).toEqual([['-p', 'udp', '-m', 'multiport', '--dports', '7946,8301']]);
    expect(u32Matches(ANY_TARGET)).toEqual([['match', 'u32', '0', '0']]);
    expect(() => iptablesMatches({ hosts: [], ports: ['1'], protocol: 'icmp' }, 'out')).toThrow(/icmp has no ports/);
  });
});

describe('partition topologies (Jepsen grudges)', () => {
  const nodes = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'];
  const sees = (cuts: ReturnType<typeof groupCuts>, a: string) => nodes.filter((b) => reachable(cuts, b, a));

  it('halves: first floor(n/2) against the rest, both ways', () => {
    const cuts = topologyCuts('halves', nodes);
    expect(cuts).toEqual([
      { from: ['10.0.0.1', '10.0.0.2'], to: ['10.0.0.3', '10.0.0.4', '10.0.0.5'] },
      { from: ['10.0.0.3', '10.0.0.4', '10.0.0.5'], to: ['10.0.0.1', '10.0.0.2'] },
    ]);
  });

  it('one-way groups cut only from the first group to the second', () => {
    const cuts = groupCuts([['10.0.0.1'], ['10.0.0.2']], 'one-way');
    expect(reachable(cuts, '10.0.0.1', '10.0.0.2')).toBe(false);
    expect(reachable(cuts, '10.0.0.2', '10.0.0.1')).toBe(true);
  });

  it('bridge: the middle node talks to both halves, the halves not to each other', () => {
    const cuts = topologyCuts('bridge', nodes);
    expect(sees(cuts, '10.0.0.3')).toEqual(nodes);
    expect(sees(cuts, '10.0.0.1')).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(sees(cuts, '10.0.0.5')).toEqual(['10.0.0.3', '10.0.0.4', '10.0.0.5']);
  });

  it('majorities-ring: every node sees a majority, and no two nodes see the same one', () => {
    for (const n of [4, 5, 6, 7, 9]) {
      const ring = Array.from({ length: n }, (_, i) => `10.0.1.${i + 1}`);
      const cuts = topologyCuts('majorities-ring', ring);
      const views = ring.map((a) => ring.filter((b) => reachable(cuts, b, a)).join(','));
      for (const v of views) expect(v.split(',').length).toBeGreaterThan(n / 2);
      expect(new Set(views).size).toBe(n);
      // symmetric: a hears b exactly when b hears a
      for (const a of ring) for (const b of ring) expect(reachable(cuts, a, b)).toBe(reachable(cuts, b, a));
    }
    expect(() => topologyCuts('majorities-ring', nodes.slice(0, 3))).toThrow(/at least 4/);
  });

  it('random-halves is reproducible from its seed and differs across seeds', () => {
    expect(topologyCuts('random-halves', nodes, 7)).toEqual(topologyCuts('random-halves', nodes, 7));
    const layouts = new Set([1, 2, 3, 4, 5, 6].map((s) => JSON.stringify(topologyCuts('random-halves', nodes, s)[0]?.from)));
    expect(layouts.size).toBeGreaterThan(1);
  });

  it('refuses a host in two groups', () => {
    expect(() => groupCuts([['10.0.0.1'], ['10.0.0.1', '10.0.0.2']])).toThrow(/two partition groups/);
  });
});

describe('shell quoting and the dead-man script (run by a real sh)', () => {
  const hostile = ["a'b", '$(touch /nonexistent)', '; rm -rf /', '"\\`', ' spaces ', ''];

  it('every word reaches the program verbatim', () => {
    const out = execFileSync('sh', ['-c', `printf '%s\\n' ${hostile.map(shellQuote).join(' ')}`]).toString();
    expect(out).toBe(`${hostile.join('\n')}\n`);
    expect(shellCommand(['iptables', '-w', '5', '-S'])).toBe('iptables -w 5 -S');
  });

  it('step guards behave as the step runner does', () => {
    const ran = (step: Parameters<typeof stepScript>[0]) => execFileSync('sh', ['-c', `exec 3>&1; ${stepScript({ ...step, run: ['sh', '-c', 'echo ran >&3', 'x'] })}`]).toString();
    expect(ran({ run: [], onlyIf: ['true'] })).toBe('ran\n');
    expect(ran({ run: [], onlyIf: ['false'] })).toBe('');
    expect(ran({ run: [], unless: ['true'] })).toBe('');
    expect(ran({ run: [], unless: ['false'] })).toBe('ran\n');
  });

  it('the timer script sleeps, reverts with the exact words, and removes its files', () => {
    const script = deadmanScript({ id: 'x1', delayMs: 0, revert: [{ run: ['printf', '%s|', ...hostile] }], pidFile: '/tmp/p q', journalFile: "/tmp/j'k" });
    expect(script).toContain(`printf '%s|' 'a'\\''b' '$(touch /nonexistent)'`);
    expect(script.split('\n')[1]).toBe("echo $$ > '/tmp/p q'");
    expect(script.split('\n').at(-1)).toBe(`rm -f '/tmp/j'\\''k' '/tmp/p q'`);
  });
});

describe('recover finds ringside state by tag only', () => {
  const iptablesS = [
    '-P INPUT ACCEPT',
    '-N FOREIGN',
    '-N RINGSIDE-ab12-I',
    '-A INPUT -s 192.0.2.1/32 -m comment --comment "keep me" -j DROP',
    '-A INPUT -m comment --comment "ringside:ab12" -j RINGSIDE-ab12-I',
    '-A INPUT -j FOREIGN',
    '-A RINGSIDE-ab12-I -s 10.0.0.1/32 -j DROP',
  ].join('\n');
  const tc = 'qdisc noqueue 0: dev lo root refcnt 2\nqdisc tbf 52a7: dev veth0 root refcnt 2 rate 1Mbit burst 2500b lat 400ms\nqdisc htb 1: dev eth1 root refcnt 2\n';

  it('lists only RINGSIDE-* chains, the jumps to them, and 52XX: root qdiscs', () => {
    expect(splitRule('-A INPUT -m comment --comment "a b" -j X')).toEqual(['-A', 'INPUT', '-m', 'comment', '--comment', 'a b', '-j', 'X']);
    const found = findRingsideState({ iptables: iptablesS, tc });
    expect(found).toEqual({
      chains: ['RINGSIDE-ab12-I'],
      jumps: [['INPUT', '-m', 'comment', '--comment', 'ringside:ab12', '-j', 'RINGSIDE-ab12-I']],
      chains6: [],
      jumps6: [],
      nftChains: null,
      qdiscs: [{ dev: 'veth0', handle: '52a7:' }],
    });
    expect(recoverSteps(found).map((s) => s.run)).toEqual([
      [...IPT, '-D', 'INPUT', '-m', 'comment', '--comment', 'ringside:ab12', '-j', 'RINGSIDE-ab12-I'],
      [...IPT, '-F', 'RINGSIDE-ab12-I'],
      [...IPT, '-X', 'RINGSIDE-ab12-I'],
      ['tc', 'qdisc', 'del', 'dev', 'veth0', 'root', 'handle', '52a7:'],
    ]);
  });
});
