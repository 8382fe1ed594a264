import { Flags } from '@oclif/core';
import { createObserver, snapshotOf, withObserver } from '../cluster/live.js';
import type { Member } from '../cluster/member.js';
import type { ClusterInfo } from '../cluster/snapshot.js';
import { loadMembership } from '../cluster/source.js';
import { compareViews, type ViewsReport, viewsSummary } from '../cluster/views.js';
import { usageError } from '../errors.js';
import { RingsideCommand } from '../cli/base-command.js';
import { sourceFlags } from '../cli/flags.js';
import { liveOptions, sourceOptions } from '../cli/options.js';
import { renderTable } from '../table.js';

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
    'all-views': Flags.boolean({ description: "ask every member that has not left (failed ones too) and every seed for its own view; show the groups, who disagrees about whom, and what each pair says of the other" }),
  };

  async run(): Promise<MembersResult> {
    const { flags } = await this.parse(Members);
    if (flags['all-views'] && !flags.join?.length) throw usageError('--all-views needs a live cluster', 'pass --join HOST:PORT');
    if (!flags.join?.length || flags.members !== undefined || flags.snapshot !== undefined) {
      const snapshot = await loadMembership(sourceOptions(flags));
      return this.output({ cluster: snapshot.cluster, members: snapshot.members }, flags.json, render);
    }
    const result = await withObserver(await createObserver(liveOptions(flags)), async (observer): Promise<MembersResult> => {
      const { cluster, members } = snapshotOf(observer);
      if (flags['all-views']) return { cluster, members, views: compareViews(await observer.views()) };
      // The merged view is one opinion; when the replies it was merged from disagree, say so.
      const polled = compareViews(observer.recentViews(), 'polls');
      return { cluster, members, ...(polled.groups.length > 1 ? { views: polled } : {}) };
    });
    return this.output(result, flags.json, render);
  }
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
  const { views } = result;
  if (!views) return table;
  const disagree = views.groups.length > 1;
  const warning = disagree ? [`${viewsSummary(views)} (the table is the merged view; see ${views.source === 'polls' ? 'members --all-views or ' : ''}ringside diagnose)`] : [];
  if (views.source === 'polls') return [...warning, table].join('\n');
  const lines = [...warning, table, ''];
  if (!disagree) lines.push(viewsSummary(views));
  else {
    views.groups.forEach((g, i) => lines.push(`view ${i + 1}${g.checksum !== undefined ? ` (checksum ${g.checksum})` : ''}, held by ${g.observers.join(', ')}`));
    for (const d of views.disagreements) {
      lines.push(`  ${d.member}: ${Object.entries(d.seenAs).map(([status, who]) => `${status} to ${(who ?? []).join(', ')}`).join('; ')}`);
    }
    const oneWay = views.reachability.filter((r) => (r.aSeesB === 'alive') !== (r.bSeesA === 'alive'));
    for (const r of oneWay) lines.push(`one-way: ${r.a} sees ${r.b} ${r.aSeesB}, ${r.b} sees ${r.a} ${r.bSeesA}`);
  }
  for (const u of views.unreachable) lines.push(`no view from ${u.observer} (${u.addr}): ${u.error}`);
  return lines.join('\n');
}
