/** Finding and reading scenario files: a path, or the name of a scenario shipped in chaos/scenarios. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileError, usageError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';
import { parseCidr } from '../faults/match.js';
import type { ScenarioHost } from './faults.js';
import { parseScenario, type Scenario } from './parse.js';

/** chaos/scenarios in the package (with a trailing slash). */
export const SHIPPED_DIR = `${join(packageRoot(import.meta.url), 'chaos', 'scenarios')}/`;

export function shippedScenarios(): string[] {
  try {
    return readdirSync(SHIPPED_DIR)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
      .sort();
  } catch {
    return [];
  }
}

export function loadScenario(nameOrPath: string): Scenario {
  let file = nameOrPath;
  if (!existsSync(file) && /^[A-Za-z0-9_-]+$/.test(nameOrPath)) file = `${SHIPPED_DIR}${nameOrPath}.yaml`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fileError(`cannot read scenario ${nameOrPath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, `give a YAML/JSON file or one of: ${shippedScenarios().join(', ')}`, error);
  }
  return parseScenario(text, nameOrPath);
}

/**
 * `--host NAME=ON,ADDR[+ADDR6][,MEMBER]`, e.g. `n1=ssh:root@10.0.0.1,10.0.0.1,node-1`; a
 * dual-stack host gives both addresses (`10.0.0.1+fd00::1`).
 */
export function parseHostBinding(text: string): ScenarioHost {
  const m = /^([A-Za-z0-9_-]{1,40})=([^,]+),([^,+]+)(?:\+([^,+]+))?(?:,([^,]+))?$/.exec(text);
  if (!m) throw usageError(`--host ${text} is not NAME=ON,ADDR[+ADDR6][,MEMBER]`, 'e.g. --host n1=ssh:root@10.0.0.1,10.0.0.1,node-1 (dual stack: 10.0.0.1+fd00::1)');
  const addr6 = m[4] !== undefined ? parseCidr(m[4], 'host') : undefined;
  return { name: m[1] as string, on: m[2] as string, addr: parseCidr(m[3] as string, 'host'), ...(addr6 !== undefined ? { addr6 } : {}), member: m[5] ?? (m[1] as string) };
}
