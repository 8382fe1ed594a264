/** What `ringside diagnose` reports (CLI.md `diagnose`): findings, most severe first. */
export const FINDING_KINDS = ['partition', 'accuser', 'one-way', 'gray-member', 'failed', 'unreachable-from-here', 'version-skew', 'tag-drift'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export const SEVERITY: Record<FindingKind, Severity> = {
  partition: 'critical',
  accuser: 'critical',
  'one-way': 'high',
  'gray-member': 'high',
  failed: 'medium',
  'unreachable-from-here': 'medium',
  'version-skew': 'low',
  'tag-drift': 'low',
};

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The members the finding is about (for a partition: the sides' members). */
  members: string[];
  /** One line for people. */
  summary: string;
  /** Who saw what, how often, since when. */
  evidence: Record<string, unknown>;
  /** What to do next. */
  advice: string;
}

/** A time as the report gives it: ISO, or that it was so before the window began. */
export function sinceText(at: number, before: boolean): string {
  return before ? 'before the window began' : new Date(at).toISOString();
}
