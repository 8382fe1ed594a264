/** Probe interval records -> phases, the probe section, and probe expectations (pure, with vectors). */
import { describe, expect, it } from 'vitest';
import { runCli, tempFiles } from '../support/cli.js';
import { decodeHistogram } from '../../src/probes/histogram.js';
import { createHistogram } from '../../src/probes/histogram.js';
import { checkExpectation } from '../../chaos/scenario/expect.js';
import { assignIntervals, phaseIndexOf, phaseTag, type TimedInterval } from '../../chaos/scenario/probe-phases.js';
import { parseProbeSection } from '../../chaos/scenario/probe-section.js';

const phases = [
  { name: 'a', startMs: 1000, endMs: 5000 },
  { name: 'b', startMs: 5000, endMs: 9000 },
  { name: 'c', startMs: 9000, endMs: 12000 },
];

function interval(probe: string, startMs: number, endMs: number, latenciesUs: number[], errors = 0): TimedInterval {
  const histogram = createHistogram();
  for (const v of latenciesUs) histogram.recordValue(v);
  return { probe, startMs, endMs, count: latenciesUs.length, errors, histogram };
}

describe('interval -> phase', () => {
  it('goes to the phase it overlaps most; ties to the earlier; outside every phase to the nearest', () => {
    const vectors: Array<[number, number, string | undefined]> = [
      [1000, 2000, 'a'], // inside
      [500, 1500, 'a'], // starts before the first phase (the probe's start)
      [0, 1000, 'a'], // wholly before: nearest
      [4600, 5600, 'b'], // straddles a|b, 400 vs 600
      [4400, 5400, 'a'], // 600 vs 400
      [4500, 5500, 'a'], // a tie: the earlier phase
      [8800, 9800, 'c'],
      [11800, 12300, 'c'], // the drain after the last phase
      [12500, 13500, 'c'], // wholly after: nearest
      [7000, 7000, 'b'], // zero length, inside b
      [12000, 12000, 'c'], // zero length at the end
    ];
    for (const [startMs, endMs, want] of vectors) expect(phases[phaseIndexOf({ startMs, endMs }, phases)]?.name, `${startMs}-${endMs}`).toBe(want);
    const gap = [
      { name: 'x', startMs: 0, endMs: 1000 },
      { name: 'y', startMs: 3000, endMs: 4000 },
    ];
    expect(gap[phaseIndexOf({ startMs: 1200, endMs: 1700 }, gap)]?.name).toBe('x');
    expect(gap[phaseIndexOf({ startMs: 2000, endMs: 2900 }, gap)]?.name).toBe('y');
    expect(phaseIndexOf({ startMs: 0, endMs: 1 }, [])).toBe(-1);
  });

  it('merges the histograms per phase and probe exactly; the phases add up to the run', () => {
    const records = [
      interval('warm', 800, 1800, [1000, 1000, 2000]),
      interval('warm', 1800, 2800, [1000, 3000], 1),
      interval('warm', 4800, 5800, [250_000, 250_000, 1000], 2), // mostly in b
      interval('warm', 5800, 6800, [500_000]),
      interval('first-connection', 1800, 2800, [5000]),
      interval('warm', 11900, 12100, [4000]), // the drain: c
    ];
    const out = assignIntervals(records, phases);
    expect(Object.keys(out)).toEqual(['a', 'b', 'c']);
    expect(out.a?.warm).toMatchObject({ count: 5, errors: 1, p50: 1, max: 3, intervals: 2 });
    expect(out.b?.warm).toMatchObject({ count: 4, errors: 2, p50: 250.111, p90: 500, p99: 500, p999: 500, max: 500, intervals: 2 });
    expect(out.c?.warm).toMatchObject({ count: 1, errors: 0, p50: 4, max: 4, intervals: 1 });
    // a probe with nothing in a phase: zero counts, no percentiles (an expectation on them fails)
    expect(out.b?.['first-connection']).toMatchObject({ count: 0, errors: 0, p50: null, p99: null, max: null, intervals: 0 });
    expect(out.a?.['first-connection']?.count).toBe(1);
    const total = Object.values(out).reduce((s, p) => s + (p.warm?.count ?? 0), 0);
    expect(total).toBe(records.filter((r) => r.probe === 'warm').reduce((s, r) => s + r.count, 0));
    // the encoded histogram decodes to the same counts
    expect(decodeHistogram(out.b?.warm?.histogram as string).totalCount).toBe(4);
  });

  it('tags are valid hlog tags', () => {
    expect(phaseTag('partition', 'routing-direct')).toBe('phase=partition/probe=routing-direct');
    expect(phaseTag('a_b-1', 'warm')).not.toMatch(/[\s,]/);
  });
});

describe('the probe section', () => {
  it('defaults, keys, ring settings', () => {
    const s = parseProbeSection({ target: 'http://{host}:{port}/kv/{key}', rate: 'max', probes: ['routing'], keys: 3, portTag: 'http', nodeKey: 'tag:http', vnodes: 50 });
    expect(s.config).toEqual({ target: 'http://{host}:{port}/kv/{key}', rate: 0, probes: ['routing'], connections: 4, keys: ['key-0', 'key-1', 'key-2'], freshKeys: true, requestTimeoutMs: 5000, insecure: false });
    expect(s.ring).toEqual({ algorithm: 'ringpop', nodeKey: 'tag:http', vnodes: 50 });
    expect(s.portTag).toBe('http');
    expect(parseProbeSection({ target: 'http://h/{key}', rate: 10, keys: ['x', 'y'], probe: 'warm,first-connection', requestTimeout: '2s', workers: 1 }).config).toMatchObject({ keys: ['x', 'y'], probes: ['warm', 'first-connection'], requestTimeoutMs: 2000, workers: 1 });
  });

  it('bad sections get one usage error', () => {
    expect(() => parseProbeSection('http://x')).toThrow(/must be a mapping/);
    expect(() => parseProbeSection({ target: 'http://x/{key}', rate: 10, probes: ['cold'] })).toThrow(/cold is not a probe/);
    expect(() => parseProbeSection({ target: 'http://x/{key}', rate: -1 })).toThrow(/rate must be/);
    expect(() => parseProbeSection({ target: 'http://x/{key}', rate: 1, conections: 2 })).toThrow(/unknown setting "conections"/);
    expect(() => parseProbeSection({ rate: 1 })).toThrow(/target must be text/);
    expect(() => parseProbeSection({ target: 'http://x/{key}', rate: 1, connections: 0 })).toThrow(/connections must be a whole number/);
  });
});

describe('probe expectations', () => {
  const figures: Record<string, Record<string, number | null>> = { warm: { p99: 612.5, errors: 3, count: 400 }, 'routing-direct': { p99: null, count: 0 } };
  const lookup = (phase: string, metric: string): number | null | undefined => {
    if (phase !== 'partition') return undefined;
    const [probe, figure] = metric.split('.') as [string, string | undefined];
    return figure === undefined ? undefined : figures[probe]?.[figure];
  };
  it('PHASE.PROBE.FIGURE with units; no response in the phase fails', () => {
    expect(checkExpectation('partition.warm.p99 < 500ms', lookup)).toEqual({ expect: 'partition.warm.p99 < 500ms', actual: 612.5, pass: false });
    expect(checkExpectation('partition.warm.p99 < 1s', lookup).pass).toBe(true);
    expect(checkExpectation('partition.warm.errors <= 3', lookup).pass).toBe(true);
    expect(checkExpectation('partition.routing-direct.p99 < 1h', lookup)).toEqual({ expect: 'partition.routing-direct.p99 < 1h', actual: null, pass: false });
    expect(() => checkExpectation('partition.cold.p99 < 1s', lookup)).toThrow(/no metric cold.p99 in phase partition/);
  });
});

describe('chaos run refuses bad probe use before anything changes', () => {
  it('a bad probe section, --hlog without one, routing without a cluster: one line, exit 2', async () => {
    const files = tempFiles({
      'bad.yaml': 'name: bad\nhosts: [n1]\nprobe: { target: "http://127.0.0.1:1/{key}", rate: 10, probes: [cold] }\nphases: [{ name: p, duration: 1s }]\n',
      'none.yaml': 'name: none\nhosts: [n1]\nphases: [{ name: p, duration: 1s }]\n',
      'routing.yaml': 'name: routing\nhosts: [n1]\nprobe: { target: "http://{host}:{port}/{key}", rate: 10, probes: [routing], portTag: http }\nphases: [{ name: p, duration: 1s }]\n',
    });
    try {
      const host = ['--host', 'n1=local,127.0.0.1'];
      const bad = await runCli(['chaos', 'run', files.path('bad.yaml'), ...host, '--dry-run']);
      expect([bad.code, bad.stderr]).toEqual([2, 'ringside: scenario probe section: cold is not a probe (use first-connection, warm, routing) (see chaos/scenarios/service-loss.yaml for the format)\n']);
      const hlog = await runCli(['chaos', 'run', files.path('none.yaml'), ...host, '--hlog', files.path('x.hlog')]);
      expect(hlog.code).toBe(2);
      expect(hlog.stderr).toMatch(/^ringside: --hlog needs a probe: section, and scenario none has none \(.*\)\n$/);
      // no faults in the scenario, so nothing would change even if the check came late
      const routing = await runCli(['chaos', 'run', files.path('routing.yaml'), ...host]);
      expect(routing.code).toBe(2);
      expect(routing.stderr).toMatch(/^ringside: the scenario probes routing but no cluster is given \(pass --join, --members or --snapshot\)\n$/);
    } finally {
      files.cleanup();
    }
  });
});
