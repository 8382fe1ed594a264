import { Flags } from '@oclif/core';
import { createObserver, withObserver } from '../cluster/live.js';
import type { Member } from '../cluster/member.js';
import type { ClusterInfo } from '../cluster/snapshot.js';
import { loadMembership } from '../cluster/source.js';
import { compareViews, type ViewsReport } from '../cluster/views.js';
import { usageError } from '../errors.js';
import { RingsideCommand } from '../cli/base-command.js';
import { sourceFlags } from '../cli/flags.js';
import { liveOptions, sourceOptions } from '../cli/options.js';
import { renderTable } from '../cli/table.js';

export interface MembersResult {
  cluster: ClusterInfo;
  members: Member[];
  views?: ViewsReport;
}

export default class Members extends RingsideCommand {
  static override summary = 'Membership as the observer sees it (alive, suspect, failed, left)';
  static override examples = [
    '<%= config.bin %> members --join 127.0.0.1:7946',
    '<%= config.bin %> members --join 10.0.0.5:8301 --keyring-file keyring.json --json',
    '<%= config.bin %> members --join 127.0.0.1:7946 --all-views',
  ];

  static override flags = {
    ...sourceFlags,
    'all-views': Flags.boolean({ description: "ask every member for its own view and show who disagrees about whom" }),
  };

  async run(): Promise<MembersResult> {
    const { flags } = await this.parse(Members);
    if (flags['all-views']) {
      if (!flags.join?.length) throw usageError('--all-views needs a live cluster', 'pass --join HOST:PORT');
      const result = await withObserver(await createObserver(liveOptions(flags)), async (observer): Promise<MembersResult> => {
        const views = compareViews(await observer.views());
        return { cluster: clusterOf(observer.protocol, observer.mode, [...observer.seeds]), members: observer.members(), views };
      });
      return this.output(result, flags.json, render);
    }
    const snapshot = await loadMembership(sourceOptions(flags));
    return this.output({ cluster: snapshot.cluster, members: snapshot.members }, flags.json, render);
  }
}

function clusterOf(protocol: ClusterInfo['protocol'], mode: ClusterInfo['mode'], seeds: string[]): ClusterInfo {
  return { protocol, mode, seeds, observedAt: new Date().toISOString(), source: 'live' };
}

function tagsText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function render(result: MembersResult): string {
  const table = renderTable(result.members, [
    { header: 'NAME', value: (m) => m.name },
    { header: 'ADDR', value: (m) => m.addr || '-' },
    { header: 'STATUS', value: (m) => (m.nativeStatus !== m.status ? `${m.status} (${m.nativeStatus})` : m.status) },
    { header: 'TAGS', value: (m) => tagsText(m.tags) },
  ]);
  if (!result.views) return table;
  const { views } = result;
  const lines = [table, ''];
  if (views.agree) lines.push(`all ${views.groups[0]?.observers.length ?? 0} members that answered agree on the membership${views.groups[0]?.checksum !== undefined ? ` (checksum ${views.groups[0].checksum})` : ''}`);
  else {
    lines.push(`members disagree: ${views.groups.length} different views`);
    views.groups.forEach((g, i) => lines.push(`  view ${i + 1}${g.checksum !== undefined ? ` (checksum ${g.checksum})` : ''}, held by ${g.observers.join(', ')}`));
    for (const d of views.disagreements) {
      lines.push(`  ${d.member}: ${Object.entries(d.seenAs).map(([status, who]) => `${status} to ${(who ?? []).join(', ')}`).join('; ')}`);
    }
  }
  for (const u of views.unreachable) lines.push(`no view from ${u.observer} (${u.addr}): ${u.error}`);
  return lines.join('\n');
}
