/**
 * What both Serf observers share: the membership table, on top of every observer's listeners and
 * counters (src/cluster/observer-base.ts).
 */
import type { Member } from '../../cluster/member.js';
import { ObserverBase } from '../../cluster/observer-base.js';
import { type Flavour, MembershipTable } from './membership.js';

export abstract class ObservedMembership extends ObserverBase {
  protected readonly table: MembershipTable;

  constructor(flavour: Flavour) {
    super();
    this.table = new MembershipTable(flavour);
  }

  members(): Member[] {
    return this.table.members();
  }
}
