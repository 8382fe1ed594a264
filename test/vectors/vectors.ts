/**
 * The test vectors captured from real Serf agents (test/vectors/capture.ts) and how tests load
 * them: one JSON file per Serf generation, holding where the bytes came from (binary, module
 * versions, date, command), what the capture did to the cluster (names, ports, the event and
 * queries it sent), what the agents themselves said about their cluster (`serf members
 * -format=json`, recorded at capture time) and the raw bytes, as hex, exactly as they came off
 * the loopback wire.
 */
import { readFileSync } from 'node:fs';
import type { SerfMember } from '../../src/sandbox/members.js';

export const GENERATIONS = ['serf-0.9.4', 'serf-0.10.4'] as const;
export type Generation = (typeof GENERATIONS)[number];

export interface Provenance {
  capturedAt: string;
  command: string;
  binary: string;
  /** `serf version`, as printed. */
  serfVersion: string;
  /** `go version -m` of the binary: the Go toolchain and the modules that matter here. */
  go: string;
  modules: Record<string, string>;
  /** The Debian package and what it was built with (Debian's serf has no module info). */
  debianPackage?: string;
  network: string;
}

/** What the capture did, so tests know the values independently of any decoder. */
export interface Script {
  /** The capture's own member-like endpoint: it joined with these values. */
  observer: { name: string; addr: string; port: number; incarnation: number; tags: Record<string, string>; vsn: number[] };
  /** Agents started first, in order; the first is the one every command went through. */
  agents: string[];
  /** Started after the observer joined; it joined the first agent and the observer. */
  lateJoiner: string;
  /** Left gracefully (`serf leave`). */
  left: string;
  /** SIGKILLed (suspect, then dead). */
  killed: string;
  event: { name: string; payload: string; coalesce: boolean };
  queries: Array<{ name: string; payload: string; timeoutNs: number; relayFactor: number }>;
  /** The UDP ping the observer sent to the first agent (its ack carries Serf's coordinate). */
  ping: { seqNo: number; to: string };
  /** A lone agent with gossip encryption, and its key (a throwaway made for the capture). */
  encrypted: { agent: string; key: string; note: string };
}

export interface Vector {
  id: string;
  transport: 'udp' | 'tcp';
  /** `reply`: an agent's answer on a TCP stream the capture opened; `received`: what an agent sent to the observer. */
  direction: 'reply' | 'received';
  /** host:port it came from (the agent's gossip address for UDP and for replies). */
  from: string;
  what: string;
  /** What the capture found in it (messages by kind and node, and layers), for reviewers. */
  covers: string[];
  hex: string;
}

export interface VectorFile {
  generation: Generation;
  provenance: Provenance;
  script: Script;
  /** `serf members -format=json` on the first agent: once every member had joined, and at the end. */
  members: { joined: SerfMember[]; final: SerfMember[] };
  vectors: Vector[];
}

export function vectorFileUrl(generation: Generation): URL {
  return new URL(`./${generation}.json`, import.meta.url);
}

export function loadVectors(generation: Generation): VectorFile {
  return JSON.parse(readFileSync(vectorFileUrl(generation), 'utf8')) as VectorFile;
}

export function vectorBytes(vector: Vector): Uint8Array {
  return new Uint8Array(Buffer.from(vector.hex, 'hex'));
}
