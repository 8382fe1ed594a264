/**
 * The narrow interfaces the dashboard's panes consume. Each matches a library contract exactly,
 * so the real producers plug in without adapters:
 * - membership: `ClusterObserver` (src/cluster/observer.ts) or a static list, as `watch` uses it;
 * - latency: the probes library's `startBench(config): BenchRun`, whose `on('interval', ...)`
 *   emits one `IntervalRecord` per probe and interval (histogram in microseconds, that interval only);
 * - faults: chaos/index.ts `listActiveFaults(options?): Promise<ActiveFault[]>`, polled once a second.
 */
import type { Member } from '../src/cluster/member.js';
import type { MemberView, ViewTarget } from '../src/cluster/observer.js';
import type { ActiveFault } from '../chaos/status.js';
import type { IntervalRecord } from '../src/probes/types.js';

export type { IntervalRecord };

/** What the latency pane reads: an emitter of interval records (a BenchRun is one). */
export interface LatencyFeed {
  on(event: 'interval', listener: (record: IntervalRecord) => void): unknown;
}

/** A running probe the dashboard owns: its feed, and how to stop it when the user quits. */
export interface LatencySource {
  feed: LatencyFeed;
  stop(): void;
}

/** A fault the chaos journal says is in place (chaos's own record). */
export type { ActiveFault };

/** What the faults pane polls once a second. */
export type FaultsFeed = () => Promise<ActiveFault[]>;

/**
 * What the members pane reads: a ClusterObserver satisfies it (started), and so does a static
 * membership from --members/--snapshot. `viewTargets`/`askView` only where members can be asked
 * (--all-views).
 */
export interface MembershipFeed {
  members(): Member[];
  onChange(listener: (members: Member[]) => void): () => void;
  viewTargets?(): ViewTarget[];
  askView?(target: ViewTarget): Promise<MemberView>;
}
