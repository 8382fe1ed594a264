/** The base of every fault command: apply (or dry-run), hold, revert, report. */
import { runFault } from '../../chaos/hold.js';
import type { FaultSpec } from '../../chaos/faults/spec.js';
import { RingsideError } from '../errors.js';
import { RingsideCommand } from './base-command.js';
import { applyOptionsFrom, type FaultFlagValues } from './chaos-flags.js';
import { type FaultReport, faultReport, renderFault } from './chaos-render.js';

export abstract class FaultCommand extends RingsideCommand {
  protected async fault(flags: FaultFlagValues & { json?: boolean }, spec: FaultSpec): Promise<FaultReport> {
    const options = applyOptionsFrom(flags);
    const run = await runFault({
      ...options,
      spec,
      onApplied: (a) => {
        for (const w of a.warnings) process.stderr.write(`ringside: warning: ${w}\n`);
        const until = a.expiresAtMs !== null ? `reverting in ${((a.expiresAtMs - Date.now()) / 1000).toFixed(0)}s or on Ctrl-C` : 'reverting on Ctrl-C';
        const spread = a.hosts.length > 1 && a.spreadMs !== null ? ` (all ${a.hosts.length} hosts changed within ${a.spreadMs} ms)` : '';
        process.stderr.write(`ringside: applied ${a.summary} on ${a.hosts.map((h) => h.on).join(', ')}${spread}, id ${a.id}; ${until}\n`);
      },
    });
    if (run.ended === 'dry-run' || run.ended === 'detached') for (const w of run.warnings) process.stderr.write(`ringside: warning: ${w}\n`);
    const report = this.output(faultReport(run), flags.json ?? false, renderFault);
    if (run.revertErrors.length > 0) throw new RingsideError('RS_CHAOS_FAILED', `the fault ${run.id} was not fully reverted`, `run ringside chaos recover --on HOST (journal kept)`);
    return report;
  }
}
