/**
 * Scenario files (YAML or JSON): hosts by name, phases with durations and faults, expectations.
 * Pure: text -> a checked Scenario, or one usage error naming the file and the problem.
 */
import { parse as parseYaml } from 'yaml';
import { usageError } from '../../src/errors.js';
import { parseDuration } from '../../src/units.js';

export interface ScenarioFault {
  /** loss | delay | duplicate | reorder | corrupt | bandwidth | partition */
  kind: string;
  /** Host names the rules go on (default: every host). */
  on?: string[];
  /** The rest, as for the command line (percent, via, direction, gossip, delay, jitter, group, isolate, topology, nodes...), host names for addresses. */
  [key: string]: unknown;
}

export interface ScenarioPhase {
  name: string;
  durationMs: number;
  /** End early once every member's view agrees (recovery phases). */
  untilAgreement: boolean;
  faults: ScenarioFault[];
  /** Hosts whose members count as faulted (default: from the faults: the hosts a loss/delay is on, an isolated host, every node of a partition). */
  faulted?: string[];
}

export interface Scenario {
  name: string;
  description: string;
  /** Host names the scenario uses; bound on the command line with --host NAME=ON,ADDR[,MEMBER]. */
  hosts: string[];
  phases: ScenarioPhase[];
  expect: string[];
  /** Passed to the probe runner as is (latency probes). */
  probe?: unknown;
}

const NAME = /^[A-Za-z0-9_-]{1,40}$/;

function fail(file: string, what: string): never {
  throw usageError(`scenario ${file}: ${what}`, 'see chaos/scenarios/*.yaml for the format');
}

export function parseScenario(text: string, file = 'scenario'): Scenario {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    fail(file, `not YAML or JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const s = data as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) fail(file, 'is not a mapping');
  const hosts = s.hosts ?? [];
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && NAME.test(h))) fail(file, 'hosts must be a list of names');
  if (!Array.isArray(s.phases) || s.phases.length === 0) fail(file, 'phases must be a non-empty list');
  const phases = s.phases.map((p: Record<string, unknown>, i: number): ScenarioPhase => {
    const name = typeof p?.name === 'string' && NAME.test(p.name) ? p.name : fail(file, `phase ${i + 1} needs a name (letters, digits, - and _)`);
    if (typeof p.duration !== 'string') fail(file, `phase ${name} needs a duration such as 30s`);
    const faults = p.faults ?? [];
    if (!Array.isArray(faults)) fail(file, `phase ${name}: faults must be a list`);
    for (const f of faults as ScenarioFault[]) {
      if (typeof f?.kind !== 'string') fail(file, `phase ${name}: every fault needs a kind`);
      for (const h of f.on ?? []) if (!(hosts as string[]).includes(h)) fail(file, `phase ${name}: ${h} is not one of the hosts`);
    }
    return {
      name,
      durationMs: parseDuration(p.duration, `${name} duration`),
      untilAgreement: p.until === 'agreement',
      faults: faults as ScenarioFault[],
      ...(Array.isArray(p.faulted) ? { faulted: p.faulted as string[] } : {}),
    };
  });
  if (new Set(phases.map((p) => p.name)).size !== phases.length) fail(file, 'phase names must differ');
  const expect = s.expect ?? [];
  if (!Array.isArray(expect) || !expect.every((e) => typeof e === 'string')) fail(file, 'expect must be a list of strings such as "fault.flaps >= 1"');
  return {
    name: typeof s.name === 'string' ? s.name : file,
    description: typeof s.description === 'string' ? s.description : '',
    hosts: hosts as string[],
    phases,
    expect: expect as string[],
    ...(s.probe !== undefined ? { probe: s.probe } : {}),
  };
}
