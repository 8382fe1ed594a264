/**
 * Ground truth from a Serf agent's own log (the lab writes one per agent): member events, failure
 * detections and refutations with their times. Serf prints local wall-clock seconds
 * (`2026/12/02 17:26:21 [INFO] serf: EventMemberFailed: n0 10.0.0.1`); the lab's machines run UTC.
 */
import { readFileSync } from 'node:fs';

export interface LogLine {
  /** Epoch ms of the second the line was written in. */
  at: number;
  text: string;
}

export function readSerfLog(path: string): LogLine[] {
  const out: LogLine[] = [];
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\s*(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)/.exec(text);
    if (m) out.push({ at: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])), text });
  }
  return out;
}

/** Lines written in [from, to] (epoch ms), widened by the log's one-second resolution. */
export function between(lines: readonly LogLine[], from: number, to: number): LogLine[] {
  return lines.filter((l) => l.at >= Math.floor(from / 1000) * 1000 && l.at <= to);
}

/** `EventMemberFailed: <member>` lines: the agent declaring the member failed. */
export const failedEvents = (lines: readonly LogLine[], member: string): LogLine[] => lines.filter((l) => new RegExp(`serf: EventMemberFailed: ${member} `).test(l.text));
/** `EventMemberJoin: <member>` lines: a (re)join. */
export const joinEvents = (lines: readonly LogLine[], member: string): LogLine[] => lines.filter((l) => new RegExp(`serf: EventMemberJoin: ${member} `).test(l.text));
/** `Refuting a suspect|dead message (from: <accuser>)`: this agent accused by `accuser`. */
export const refutations = (lines: readonly LogLine[], accuser: string): LogLine[] => lines.filter((l) => new RegExp(`Refuting a (suspect|dead) message \\(from: ${accuser}\\)`).test(l.text));
/** `Suspect <member> has failed, no acks received`: this agent's own probes of the member failed. */
export const suspicions = (lines: readonly LogLine[]): string[] => lines.map((l) => /Suspect (\S+) has failed/.exec(l.text)?.[1]).filter((m): m is string => m !== undefined);

/**
 * memberlist forgets a dead member (and, 0.3.1+, a left one) GossipToTheDeadTime (30 s on a LAN)
 * after it marked it so, at the next wrap of its probe round (a second per live member), and from
 * then on its push-pull replies no longer list it. Serf logs the marking as it happens
 * (EventMemberFailed or EventMemberLeave, whole seconds).
 */
export const FORGET_AFTER_MS = 30_000;
const PROBE_ROUND_MS = 15_000;

/** When the agent whose log this is first marked `member` failed or left. */
export const markedDownAt = (lines: readonly LogLine[], member: string): number | undefined => lines.find((l) => new RegExp(`serf: EventMember(Failed|Leave): ${member} `).test(l.text))?.at;

/** The moment from which that agent's memberlist has certainly forgotten a member it marked down at `at`. */
export const forgottenBy = (at: number): number => at + 1000 + FORGET_AFTER_MS + PROBE_ROUND_MS;

/**
 * Whether an agent's memberlist listed a member (that it forgets at all) throughout [from, to]:
 * 'kept' (it cannot have forgotten it yet), 'forgotten' (it certainly had), or 'either'.
 */
export function memberlistHolds(markedAt: number | undefined, from: number, to: number): 'kept' | 'forgotten' | 'either' {
  if (markedAt === undefined || to < markedAt + FORGET_AFTER_MS) return 'kept';
  return from > forgottenBy(markedAt) ? 'forgotten' : 'either';
}
