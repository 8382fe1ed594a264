/**
 * What both Serf observers share: the membership table, on top of every observer's listeners and
 * counters (src/cluster/observer-base.ts), and keeping each poll reply as that member's latest view.
 */
import type { Member } from '../../cluster/member.js';
import type { ViewTarget } from '../../cluster/observer.js';
import { ObserverBase } from '../../cluster/observer-base.js';
import type { RemoteView } from './exchange.js';
import { type Flavour, MembershipTable } from './membership.js';
import { viewOfReply } from './views.js';

export abstract class ObservedMembership extends ObserverBase {
  protected readonly table: MembershipTable;

  constructor(private readonly flavour: Flavour) {
    super();
    this.table = new MembershipTable(flavour);
  }

  members(): Member[] {
    return this.table.members();
  }

  /** Keeps a member's push-pull reply as its latest view (built only if read). */
  protected rememberReply(target: ViewTarget, reply: RemoteView, startedAt: number): void {
    const at = Date.now();
    this.remember(target.addr, () => viewOfReply(target, reply, this.flavour, startedAt, at));
  }
}
