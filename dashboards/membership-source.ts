/**
 * The dashboard's membership feed: a live observer (`--join`, started here so an unreachable
 * cluster fails with exit 3 before the screen opens) or a static list (`--members`,
 * `--snapshot`). Either way the panes read the same members() + onChange() stream.
 */
import { createObserver } from '../src/cluster/live.js';
import type { ClusterObserver } from '../src/cluster/observer.js';
import { loadMembership, type SourceOptions } from '../src/cluster/source.js';
import type { MembershipFeed } from './feeds.js';

export interface OpenedMembership {
  feed: MembershipFeed;
  /** Where the members come from, for the status line and the summary. */
  label: string;
  /** Stops observing (a member-mode observer leaves gracefully). */
  stop(): Promise<void>;
}

export function observerFeed(observer: ClusterObserver): OpenedMembership {
  return {
    feed: { members: () => observer.members(), onChange: (listener) => observer.onChange(listener), viewTargets: () => observer.viewTargets(), askView: (target) => observer.askView(target) },
    label: `${observer.protocol} ${observer.mode} ${observer.seeds.join(',')}`,
    stop: () => observer.stop(),
  };
}

export async function openMembership(options: SourceOptions): Promise<OpenedMembership> {
  if (options.live && options.membersFile === undefined && options.snapshotFile === undefined) {
    const observer = await createObserver(options.live);
    await observer.start();
    return observerFeed(observer);
  }
  const snapshot = await loadMembership(options);
  const members = snapshot.members;
  return {
    feed: { members: () => members, onChange: () => () => undefined },
    label: snapshot.cluster.source,
    stop: async () => undefined,
  };
}
