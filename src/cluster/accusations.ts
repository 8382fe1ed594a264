/**
 * Who accused whom (member mode): every `suspect` and `dead` message a member-mode observer hears
 * carries its `From`, the member whose probes failed. A member that cannot receive acks (inbound
 * loss, an overloaded process, a half-open firewall) accuses healthy peers, who refute; it is the
 * culprit, although the members that flap are the ones it accused. Pure.
 */
export interface Accusation {
  accuser: string;
  accused: string;
  incarnation: number;
  kind: 'suspect' | 'dead';
  /** When it was first heard (epoch ms). */
  at: number;
  /** When the accused refuted it (an alive with a higher incarnation), if it did. */
  refutedAt: number | null;
}

export interface AccuserSummary {
  accuser: string;
  /** Distinct accusations (accused, incarnation); a suspect and the dead that followed count once. */
  accusations: number;
  refuted: number;
  /** Accusations of members nobody else accused in the window. */
  lone: number;
  loneRefuted: number;
  /** Members it alone accused, with how many times. */
  loneAccused: Record<string, number>;
  accused: string[];
}

const CAP = 50_000;

export class AccusationLog {
  private readonly byKey = new Map<string, Accusation>();
  /** Accusations not refuted yet, by accused. */
  private readonly pending = new Map<string, Accusation[]>();

  /** A suspect or dead message about `accused` from `accuser` (ignored when from itself: a leave). */
  accuse(kind: 'suspect' | 'dead', accused: string, incarnation: number, accuser: string, at: number): void {
    if (accuser === '' || accuser === accused) return;
    const key = `${accuser}\u0000${accused}\u0000${incarnation}`;
    if (this.byKey.has(key) || this.byKey.size >= CAP) return;
    const accusation: Accusation = { accuser, accused, incarnation, kind, at, refutedAt: null };
    this.byKey.set(key, accusation);
    (this.pending.get(accused) ?? this.pending.set(accused, []).get(accused))?.push(accusation);
  }

  /** An alive message, or `node` known at `incarnation` (only a member raises its own): it refutes every accusation of it below that. */
  alive(node: string, incarnation: number, at: number): void {
    const pending = this.pending.get(node);
    if (!pending) return;
    const still = pending.filter((a) => {
      if (a.incarnation >= incarnation) return true;
      a.refutedAt = at;
      return false;
    });
    if (still.length > 0) this.pending.set(node, still);
    else this.pending.delete(node);
  }

  list(from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): Accusation[] {
    return [...this.byKey.values()].filter((a) => a.at >= from && a.at < to);
  }
}

/** Per accuser, over the accusations of a window: how many, refuted, and how many it made alone. */
export function summariseAccusations(accusations: readonly Accusation[]): AccuserSummary[] {
  const accusersOf = new Map<string, Set<string>>();
  for (const a of accusations) (accusersOf.get(a.accused) ?? accusersOf.set(a.accused, new Set()).get(a.accused))?.add(a.accuser);
  const out = new Map<string, AccuserSummary>();
  for (const a of accusations) {
    let s = out.get(a.accuser);
    if (!s) {
      s = { accuser: a.accuser, accusations: 0, refuted: 0, lone: 0, loneRefuted: 0, loneAccused: {}, accused: [] };
      out.set(a.accuser, s);
    }
    s.accusations++;
    if (a.refutedAt !== null) s.refuted++;
    if (!s.accused.includes(a.accused)) s.accused.push(a.accused);
    if ((accusersOf.get(a.accused)?.size ?? 0) === 1) {
      s.lone++;
      if (a.refutedAt !== null) s.loneRefuted++;
      s.loneAccused[a.accused] = (s.loneAccused[a.accused] ?? 0) + 1;
    }
  }
  for (const s of out.values()) s.accused.sort();
  return [...out.values()].sort((a, b) => b.lone - a.lone || b.accusations - a.accusations || (a.accuser < b.accuser ? -1 : 1));
}
