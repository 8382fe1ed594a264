/**
 * The Serf generations every live Serf suite runs against: Debian's `serf` (Serf 0.9.4 code on
 * memberlist 0.2.2 and the old go-msgpack; it prints 0.8.2-dev) and Serf 0.10.x built from the Go
 * module proxy by scripts/build-peers.js (memberlist 0.6.0, go-msgpack v2: signed integers). Each
 * names what `serf version` must print, so a suite can prove which one it started.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findSerf } from '../../src/sandbox/serf-binary.js';
import { builtPeer } from './built.js';

export interface SerfVersion {
  label: string;
  /** The binary (resolved when a suite starts, so a missing one fails that suite with the reason). */
  binary(): string;
  /** First line of `serf version`. */
  prints: string;
  /** memberlist >= 0.3.1 stops listing left nodes in push-pull after GossipToTheDeadTime (dead ones go in every version). */
  purgesLeft: boolean;
}

const go = JSON.parse(readFileSync(new URL('./serf-go/version.json', import.meta.url), 'utf8')) as { serf: string; memberlist: string; prints: string };

export const DEBIAN_SERF: SerfVersion = { label: 'Debian serf 0.9.4 (memberlist 0.2.2)', binary: () => findSerf(), prints: '0.8.2-dev', purgesLeft: false };
export const SERF_0_10: SerfVersion = { label: `Serf ${go.serf} (memberlist ${go.memberlist}, go-msgpack v2)`, binary: () => builtPeer(`serf-${go.serf}/serf`), prints: go.prints, purgesLeft: true };
export const SERF_VERSIONS: readonly SerfVersion[] = [DEBIAN_SERF, SERF_0_10];

/** First line of `serf version` of a binary. */
export function serfVersionOf(binary: string): string {
  return execFileSync(binary, ['version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '';
}

/** The first line of `serf version` of the binary a running process executes (/proc/PID/exe). */
export function runningSerfVersion(pid: number): string {
  return serfVersionOf(`/proc/${pid}/exe`);
}
