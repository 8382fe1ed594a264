/**
 * `ringside diagnose`: what is wrong with the cluster, from every member's view over a window
 * and (member mode) the accusations heard. Findings come most severe first; one line when
 * healthy. Pure: the live part (polling, the observer) is in run.ts.
 */
import type { Accusation } from '../accusations.js';
import { agreementOf } from '../agreement.js';
import type { Member } from '../member.js';
import { OBSERVER_TAG, OBSERVER_TAG_VALUE } from '../ring-members.js';
import type { ViewTimeline } from '../view-timeline.js';
import { accuserByViewFindings, accuserFindings, PASSIVE_NOTE } from './accuser.js';
import { failedFindings, grayFindings, tagDriftFindings, unreachableFindings, versionSkewFinding } from './members.js';
import { oneWayFinding, oneWayPairs, partitionFinding } from './reachability.js';
import { FINDING_KINDS, type Finding } from './types.js';

export * from './types.js';

export interface DiagnoseInput {
  timeline: ViewTimeline;
  /** The observer's merged membership at the end of the window. */
  merged: readonly Member[];
  /** Member mode: the accusations heard in the window; null when they cannot be heard (passive). */
  accusations: readonly Accusation[] | null;
  /** serf, memberlist or ringpop: some advice differs. */
  protocol?: string;
}

export interface Diagnosis {
  findings: Finding[];
  notes: string[];
  /** Views polled, polls made over all of them. */
  views: number;
  polls: number;
  /** The one line when nothing was found, else null. */
  healthy: string | null;
}

export function diagnose(input: DiagnoseInput): Diagnosis {
  const { timeline } = input;
  const latest = timeline.latest();
  const counts = timeline.pollCounts();
  const answered = latest.filter((v) => v.members !== null).map((v) => v.observer).sort();
  const findings: Finding[] = [];
  const notes: string[] = [];

  const partition = partitionFinding(timeline, answered, input.protocol ?? 'serf');
  if (partition) findings.push(partition);
  const sides = (partition?.evidence['sides'] as Array<{ observers: string[] }> | undefined) ?? [];
  const sideOf = (m: string): number => sides.findIndex((s) => s.observers.includes(m));
  const acrossPartition = (a: string, b: string): boolean => sideOf(a) >= 0 && sideOf(b) >= 0 && sideOf(a) !== sideOf(b);

  // Member mode names accusers from the suspect messages heard; an accuser whose accusations went
  // out before the window (it holds its victims down and accuses again only when a push-pull
  // tells it they are alive) shows in the views instead, as in passive mode.
  const heard = input.accusations !== null ? accuserFindings(input.accusations, acrossPartition) : [];
  const named = new Set(heard.flatMap((f) => f.members));
  const seen = accuserByViewFindings(timeline, answered).filter((f) => !f.members.some((m) => named.has(m) || (partition !== null && sideOf(m) >= 0)));
  const accusers = [...heard, ...seen];
  if (input.accusations === null) notes.push(PASSIVE_NOTE);
  findings.push(...accusers);
  const culprits = new Set(accusers.flatMap((f) => f.members));
  const victims = new Set(accusers.flatMap((f) => f.evidence['madeFlap'] as string[]));

  const gray = grayFindings(timeline, latest, new Set([...victims, ...input.merged.filter((m) => m.status === 'left').map((m) => m.name)]));
  findings.push(...gray);
  const grayMembers = new Set(gray.flatMap((f) => f.members));

  // One-way pairs explained by a partition, an accuser or a gray member are reported there.
  const pairs = oneWayPairs(timeline, answered).filter((p) => !culprits.has(p.holder) && !acrossPartition(p.holder, p.held) && !grayMembers.has(p.holder) && !grayMembers.has(p.held));
  const oneWay = oneWayFinding(timeline, pairs);
  if (oneWay) findings.push(oneWay);
  findings.push(...failedFindings(timeline, latest, answered).filter((f) => !f.members.some((m) => grayMembers.has(m))));
  // A member that flaps or accuses in the cluster's own views is sick itself: our polls failing is not our network.
  const explained = new Set([...culprits, ...gray.flatMap((f) => f.members)]);
  findings.push(...unreachableFindings(timeline, latest).filter((f) => !f.members.some((m) => explained.has(m))));
  const skew = versionSkewFinding(input.merged);
  if (skew) findings.push(skew);
  findings.push(...tagDriftFindings(timeline, answered));

  findings.sort((a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind));
  const polls = timeline.totalPolls();
  const views = Object.keys(counts).length;
  // ringside's own member-mode observer is not one of the cluster's members.
  const members = input.merged.filter((m) => m.status !== 'left' && m.tags[OBSERVER_TAG] !== OBSERVER_TAG_VALUE).length;
  const settled = agreementOf(latest);
  const healthy =
    findings.length > 0
      ? null
      : settled.agree
        ? `healthy: ${members} members, all ${views} views answered and agree, no flaps (${polls} polls)`
        : `no findings: ${members} members, ${answered.length} of ${views} views answered; still settling: ${settled.disagreeing.join(', ')} (${polls} polls)`;
  return { findings, notes, views, polls, healthy };
}
