/**
 * The accuser: a member that cannot hear acks suspects healthy peers, who refute (or get marked
 * failed), so the members that flap are its victims, not the culprit. Member mode hears every
 * suspect and dead message with its accuser; a member is named when at least two members were
 * accused by it alone and most of those accusations were refuted. Passive mode cannot hear them
 * and uses the views instead: a member whose own view holds at least two others down while every
 * other view holds them alive; member mode uses the views too for an accuser it did not hear
 * accuse in the window (its accusations went out before). Pure.
 */
import { type Accusation, summariseAccusations } from '../accusations.js';
import type { ViewTimeline } from '../view-timeline.js';
import { statusIn } from '../views.js';
import { seenBy } from './reachability.js';
import { type Finding, SEVERITY } from './types.js';

const ADVICE = 'it does not hear its peers\' acks (inbound loss, a half-open firewall, an overloaded process) and accuses healthy members, who then flap: check its inbound UDP and TCP on the gossip port, its CPU and GC pauses; restarting or isolating it stops the flapping';

export function accuserFindings(accusations: readonly Accusation[], exclude: (accuser: string, accused: string) => boolean): Finding[] {
  const summaries = summariseAccusations(accusations.filter((a) => !exclude(a.accuser, a.accused)));
  const findings: Finding[] = [];
  for (const s of summaries) {
    const victims = Object.keys(s.loneAccused).sort();
    if (victims.length < 2 || s.loneRefuted * 2 < s.lone || s.lone * 2 < s.accusations) continue;
    findings.push({
      kind: 'accuser',
      severity: SEVERITY.accuser,
      members: [s.accuser],
      summary: `${s.accuser} accused ${victims.length} members nobody else accused (${victims.join(', ')}); ${s.loneRefuted} of its ${s.lone} lone accusations were refuted`,
      evidence: { source: 'suspect-messages', accusations: s.accusations, refuted: s.refuted, lone: s.lone, loneRefuted: s.loneRefuted, accused: s.loneAccused, madeFlap: victims },
      advice: ADVICE,
    });
  }
  return findings;
}

/** Passive: members whose own view alone holds at least two others down. */
export function accuserByViewFindings(timeline: ViewTimeline, answered: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  for (const a of answered) {
    const held = answered.filter((b) => b !== a && seenBy(timeline, a, b) === 'down' && answered.every((o) => o === a || o === b || latestSees(timeline, o, b)));
    if (held.length < 2) continue;
    findings.push({
      kind: 'accuser',
      severity: SEVERITY.accuser,
      members: [a],
      summary: `${a}'s own view holds ${held.join(', ')} failed while every other view holds them alive`,
      evidence: { source: 'views', heldDown: Object.fromEntries(held.map((b) => [b, timeline.statusOf(a, b)?.status ?? 'unknown'])), madeFlap: [] },
      advice: ADVICE,
    });
  }
  return findings;
}

function latestSees(timeline: ViewTimeline, observer: string, member: string): boolean {
  const last = timeline.recent(observer).at(-1);
  return last !== undefined && statusIn(last, member) === 'alive';
}

export const PASSIVE_NOTE = 'passive mode cannot hear suspect messages, so accusers are found from the views only; rerun with --mode member to see who accuses whom';
