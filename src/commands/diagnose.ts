import { Flags } from '@oclif/core';
import { RingsideCommand } from '../cli/base-command.js';
import { renderDiagnosis } from '../cli/diagnose-render.js';
import { sourceFlags } from '../cli/flags.js';
import { liveOptions } from '../cli/options.js';
import { diagnoseLine, quietFlag, startProgressLine } from '../cli/progress.js';
import { type DiagnoseResult, runDiagnosis } from '../cluster/diagnose/run.js';
import { createObserver, withObserver } from '../cluster/live.js';
import { RingsideError, usageError } from '../errors.js';
import { parseDuration } from '../units.js';

export default class Diagnose extends RingsideCommand {
  static override summary = 'Watch every member\'s view for a while and say what is wrong: partition, accuser, one-way, gray member, ...';
  static override description =
    'Asks every member that has not left for its own view at least every --interval for --duration, and in --mode member also hears who accuses whom. Prints findings most severe first (partition, accuser, one-way, gray-member, failed, unreachable-from-here, version-skew, tag-drift), each with its evidence and a next step; one line when healthy. Exit 0 healthy, 1 findings, 3 cluster unreadable.';
  static override examples = ['<%= config.bin %> diagnose --join 10.0.0.5:7946', '<%= config.bin %> diagnose --join 10.0.0.5:8301 --mode member --duration 60s --json', '<%= config.bin %> diagnose --protocol ringpop --join 10.0.0.7:3000'];

  static override flags = {
    ...sourceFlags,
    duration: Flags.string({ helpValue: 'D', default: '30s', description: 'how long to watch the views' }),
    quiet: quietFlag,
  };

  async run(): Promise<DiagnoseResult> {
    const { flags } = await this.parse(Diagnose);
    if (!flags.join?.length) throw usageError('diagnose needs a live cluster', 'pass --join HOST:PORT');
    if (flags.members !== undefined || flags.snapshot !== undefined) throw usageError('diagnose reads a live cluster only', 'drop --members/--snapshot and pass --join HOST:PORT');
    const durationMs = parseDuration(flags.duration, 'duration');
    const live = liveOptions(flags);
    if (live.intervalMs < 100) throw usageError('--interval must be at least 100ms for diagnose');
    const liveObserver = await createObserver(live);
    const status = diagnoseLine(durationMs);
    const progress = startProgressLine(status.line, { json: flags.json, quiet: flags.quiet });
    const result = await withObserver(liveObserver, async (observer): Promise<DiagnoseResult> => {
      const run = await runDiagnosis(observer, { durationMs, intervalMs: live.intervalMs, onProgress: status.onProgress });
      return { cluster: { protocol: observer.protocol, mode: observer.mode, seeds: [...observer.seeds], observedAt: new Date().toISOString(), source: 'live' }, ...run };
    }).finally(progress.close);
    this.output(result, flags.json, renderDiagnosis);
    if (result.findings.length > 0) throw new RingsideError('RS_CHECK_FAILED', `${result.findings.length} finding(s): ${[...new Set(result.findings.map((f) => f.kind))].join(', ')}`, 'see the report above');
    return result;
  }
}
