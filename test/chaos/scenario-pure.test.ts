/** Scenario parsing, metrics and expectations (pure), with hand-made event vectors. */
import { describe, expect, it } from 'vitest';
import type { MembershipEvent } from '../../src/cluster/events.js';
import { checkExpectation } from '../../chaos/scenario/expect.js';
import { planScenarioFault, type ScenarioHost } from '../../chaos/scenario/faults.js';
import { mergedCycles, phaseMetrics, type TimedEvent } from '../../chaos/scenario/metrics.js';
import { parseScenario } from '../../chaos/scenario/parse.js';
import { parseProbeSection } from '../../chaos/scenario/probe-section.js';
import { loadScenario, parseHostBinding, shippedScenarios } from '../../chaos/scenario/files.js';

const ev = (atMs: number, member: string, type: MembershipEvent['type'], previous: MembershipEvent['previous']): TimedEvent => ({
  atMs,
  event: { type, ts: '', member, addr: '', incarnation: 0, tags: {}, status: type === 'joined' || type === 'updated' ? 'alive' : type, nativeStatus: type, previous },
});

describe('phase metrics', () => {
  const events = [
    ev(500, 'n1', 'suspect', 'alive'), // before the phase
    ev(1200, 'n1', 'suspect', 'alive'),
    ev(1900, 'n1', 'alive', 'suspect'), // a cycle that began before the phase
    ev(2500, 'n2', 'suspect', 'alive'), // a healthy member suspected
    ev(3000, 'n1', 'suspect', 'alive'),
    ev(3400, 'n1', 'alive', 'suspect'), // flap 1: suspect, then alive
    ev(4100, 'n1', 'suspect', 'alive'),
    ev(6100, 'n1', 'failed', 'suspect'),
    ev(9000, 'n1', 'alive', 'failed'), // flap 2: began in the phase (suspect, failed), came back after it
  ];

  it('times to first suspect and to failed, false suspicions, and the cycles that began within the phase', () => {
    expect(phaseMetrics(events, 1000, 8000, ['n1', 'n3'])).toEqual({
      faulted: [
        { member: 'n1', firstSuspectMs: 200, failedMs: 5100 },
        { member: 'n3', firstSuspectMs: null, failedMs: null },
      ],
      falseSuspicions: 1,
      falseSuspects: ['n2'],
      flaps: 2,
      flapsByMember: { n1: 2 },
      memberFlaps: [],
    });
  });

  it('a failed member that comes back is a cycle of the merged view too, not only suspect -> alive', () => {
    expect(mergedCycles(events)).toEqual([
      { member: 'n1', beganMs: 500, worst: 'suspect' },
      { member: 'n1', beganMs: 3000, worst: 'suspect' },
      { member: 'n1', beganMs: 4100, worst: 'failed' },
    ]);
    // n2 was suspected and never came back within the events: no cycle; a leave ends one without a cycle.
    expect(mergedCycles([ev(0, 'x', 'failed', 'alive'), ev(10, 'x', 'left', 'failed'), ev(20, 'x', 'alive', 'left')])).toEqual([]);
  });
});

describe('expectations', () => {
  const lookup = (phase: string, metric: string, member?: string) => (phase !== 'p' ? undefined : metric === 'flaps' ? (member ? 2 : 3) : metric === 'failedMs' && member === 'n1' ? 5100 : metric === 'agreementMs' ? null : undefined);
  it('compares with units and member qualifiers; a metric that never happened fails', () => {
    expect(checkExpectation('p.flaps >= 1', lookup)).toEqual({ expect: 'p.flaps >= 1', actual: 3, pass: true });
    expect(checkExpectation('p.failedMs[n1] < 5s', lookup).pass).toBe(false);
    expect(checkExpectation('p.failedMs[n1] <= 5100', lookup).pass).toBe(true);
    expect(checkExpectation('p.flaps[n1] == 2', lookup).pass).toBe(true);
    expect(checkExpectation('p.agreementMs < 1h', lookup)).toEqual({ expect: 'p.agreementMs < 1h', actual: null, pass: false });
    expect(() => checkExpectation('p.nonsense > 1', lookup)).toThrow(/no metric nonsense/);
    expect(() => checkExpectation('flaps > 1', lookup)).toThrow(/PHASE.METRIC OP VALUE/);
  });
});

describe('scenario files', () => {
  it('every shipped scenario parses and names its hosts', () => {
    expect(shippedScenarios()).toEqual(['gray-failure', 'halves', 'majorities-ring', 'one-way-udp-loss', 'service-loss', 'slow-node']);
    for (const name of shippedScenarios()) {
      const s = loadScenario(name);
      expect(s.hosts.length).toBeGreaterThanOrEqual(name === 'service-loss' ? 1 : 4);
      if (s.probe !== undefined) expect(parseProbeSection(s.probe).config.probes).toEqual(['routing']);
      expect(s.phases.some((p) => p.faults.length > 0)).toBe(true);
    }
  });

  it('bad files get one clear usage error', () => {
    expect(() => parseScenario('phases: []', 'x.yaml')).toThrow(/scenario x.yaml: phases must be a non-empty list/);
    expect(() => parseScenario('hosts: [a]\nphases:\n  - name: p\n    duration: 1s\n    faults: [{kind: loss, on: [b]}]', 'x.yaml')).toThrow(/b is not one of the hosts/);
    expect(() => parseScenario('phases:\n  - name: p\n    duration: soon', 'x.yaml')).toThrow(/not a duration/);
    expect(() => parseScenario('{', 'x.json')).toThrow(/not YAML or JSON/);
    expect(() => parseHostBinding('n1=local')).toThrow(/NAME=ON,ADDR/);
  });

  it('host names become addresses; the faulted members follow the fault', () => {
    const hosts: ScenarioHost[] = ['a', 'b', 'c', 'd', 'e'].map((n, i) => ({ name: n, on: `netns:${n}`, addr: `10.0.0.${i + 1}`, member: `node-${n}` }));
    const iso = planScenarioFault({ kind: 'partition', isolate: 'c' }, hosts);
    expect(iso.affects).toEqual(['c']);
    expect(iso.on).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(iso.spec).toMatchObject({ kind: 'partition', cuts: [{ from: ['10.0.0.3'], to: ['any'] }, { from: ['any'], to: ['10.0.0.3'] }] });
    // both sides of a partition rightly suspect each other: none of it is a false suspicion
    expect(planScenarioFault({ kind: 'partition', topology: 'halves' }, hosts).affects).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(planScenarioFault({ kind: 'partition', groups: [['a'], ['b', 'c']] }, hosts).affects).toEqual(['a', 'b', 'c']);
    expect(planScenarioFault({ kind: 'partition', topology: 'bridge' }, hosts).affects).toEqual(['a', 'b', 'd', 'e']);
    const loss = planScenarioFault({ kind: 'loss', on: ['a'], percent: 80, via: 'iptables', gossip: 'udp', to: ['b'] }, hosts);
    expect(loss.spec).toEqual({ kind: 'loss', percent: 80, via: 'iptables', direction: 'in', target: { hosts: ['10.0.0.2'], ports: ['7946'], protocol: 'udp' } });
  });
});
