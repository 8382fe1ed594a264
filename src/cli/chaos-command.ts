/** The base of every fault command: apply (or dry-run), hold, revert, report. */
import { runFault } from '../../chaos/hold.js';
import type { FaultSpec } from '../../chaos/faults/spec.js';
import { RingsideError, usageError } from '../errors.js';
import { chaosJobs, npxRingside, remoteCommandOf, withoutFlags } from './k8s-job.js';
import { RingsideCommand } from './base-command.js';
import { applyOptionsFrom, type FaultFlagValues } from './chaos-flags.js';
import { type FaultReport, faultReport, renderFault } from './chaos-render.js';

export abstract class FaultCommand extends RingsideCommand {
  protected async fault(flags: FaultFlagValues & { json?: boolean }, spec: FaultSpec): Promise<FaultReport> {
    if (flags.emit === 'k8s-job') return this.emitJobs(flags) as unknown as FaultReport;
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

  /** `--emit k8s-job`: one Job per --nodes node running this very fault there with `--on local`. */
  private async emitJobs(flags: FaultFlagValues & { json?: boolean }): Promise<Record<string, unknown>[]> {
    const nodes = (flags.nodes ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    if (nodes.length === 0) throw usageError('--emit k8s-job needs --nodes', 'name the Kubernetes nodes to run the fault on: --nodes node-a,node-b');
    if (flags.image === undefined) throw usageError('--emit k8s-job needs --image', 'an image with Node, iptables (or nft) and iproute2, e.g. built FROM node:22-slim with apt-get install iptables iproute2');
    if (flags.duration === undefined) throw usageError('--emit k8s-job needs --duration', 'a pod cannot be interrupted with Ctrl-C: say how long the fault lasts');
    for (const flag of ['detach', 'dry-run'] as const) if (flags[flag]) throw usageError(`--${flag} does not go with --emit k8s-job`, 'the pod holds the fault for --duration and reverts it');
    if (flags.on !== undefined) throw usageError('--on does not go with --emit k8s-job', 'each Job runs the fault on its own node (--nodes)');
    const drop = { '--emit': true, '--nodes': true, '--image': true, '--remote-command': true, '--ssh-option': true, '--journal': true, '--json': false };
    const args = [...this.id!.split(':'), ...withoutFlags(this.argv, drop), '--on', 'local'];
    const command = remoteCommandOf(flags['remote-command'], npxRingside(this.config.version));
    const jobs = chaosJobs({ name: `ringside-chaos-${this.id!.split(':')[1] ?? 'fault'}-${Math.floor(Date.now() / 1000)}`, nodes, image: flags.image, command, args });
    const { stringify } = await import('yaml');
    process.stdout.write(flags.json ? `${JSON.stringify(jobs, null, 2)}\n` : jobs.map((j) => stringify(j, { aliasDuplicateObjects: false })).join('---\n'));
    return jobs;
  }
}
