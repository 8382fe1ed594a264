import { Flags } from '@oclif/core';
import type { LatencySource } from '../../dashboards/feeds.js';
import { createFaultsFeed, FAULTS_UNAVAILABLE } from '../../dashboards/faults-source.js';
import { LATENCY_NOT_ASKED, latencyConfig, startLatencySource } from '../../dashboards/latency-source.js';
import { openMembership } from '../../dashboards/membership-source.js';
import { runDash } from '../../dashboards/run-dash.js';
import { createDashScreen, terminalOutput } from '../../dashboards/screen.js';
import { type DashSummary, summaryText } from '../../dashboards/view-models/summary.js';
import { usageError } from '../errors.js';
import { hostsLatencySource } from '../cli/dash-hosts.js';
import { RingsideCommand } from '../cli/base-command.js';
import { ringFlags, sourceFlags } from '../cli/flags.js';
import { clusterRingOptions, liveOptions, sourceOptions } from '../cli/options.js';
import { algorithmOf } from '../cluster/cluster-ring.js';

export default class Dash extends RingsideCommand {
  static override summary = 'Live terminal dashboard: members, ring balance, latency, active faults and the event log';
  static override description = 'Keys: Tab focus, arrows scroll, / filter members, o owners of a key, p pause, ? help, q or Ctrl-C quit (prints a summary; --json prints it as JSON). Needs a terminal; for a stream use watch --json.';
  static override examples = [
    '<%= config.bin %> dash --join 127.0.0.1:7946',
    '<%= config.bin %> dash --join 10.0.0.5:8301 --keyring-file keyring.json --all-views --ring ketama',
    '<%= config.bin %> dash --members examples/cluster.txt',
  ];

  static override flags = {
    ...sourceFlags,
    ...ringFlags,
    'all-views': Flags.boolean({ description: "ask every member that has not left for its own view every --interval; show the groups of members whose views agree (live clusters)" }),
    target: Flags.string({ helpValue: 'URL_TEMPLATE', description: 'run a latency probe against this address ({key} is filled in per request) and show its percentiles' }),
    rate: Flags.integer({ helpValue: 'R', description: 'probe requests per second, per probe (with --target; default 100)' }),
    probe: Flags.string({ helpValue: 'first-connection|warm', multiple: true, description: 'which latency probes to run (with --target; default warm; routing: use bench)' }),
    connections: Flags.integer({ helpValue: 'C', min: 1, description: 'keep-alive connections of the warm probe (with --target; default 10; raise it when rate x server time exceeds it)' }),
    'journal-dir': Flags.string({ helpValue: 'DIR', description: 'chaos journal to read active faults from (default: the chaos default)' }),
    on: Flags.string({ helpValue: 'local|netns:NAME|ssh:[USER@]HOST[:PORT]', multiple: true, description: 'with --target: run the probe as one shard per host (their ringside, as bench --on) and show the merged latency' }),
    'ssh-option': Flags.string({ helpValue: 'NAME=VALUE', multiple: true, description: 'extra ssh -o option for ssh: hosts' }),
    'remote-command': Flags.string({ helpValue: 'COMMAND', description: '--on: what starts ringside on the hosts (default ringside); words split on spaces' }),
    'max-skew': Flags.string({ helpValue: 'D', default: '50ms', description: '--on: refuse to start when a host clock is further off than this' }),
  };

  async run(): Promise<DashSummary> {
    const { flags } = await this.parse(Dash);
    const terminal = terminalOutput();
    if (!terminal) throw usageError('dash needs a terminal', 'for a stream of membership changes use ringside watch --json');
    if ((flags.rate !== undefined || flags.probe !== undefined || flags.connections !== undefined || flags.on !== undefined) && flags.target === undefined) throw usageError('--rate, --probe, --connections and --on need --target URL_TEMPLATE');
    if (flags.rate !== undefined && flags.rate <= 0) throw usageError(`--rate ${flags.rate} is not a positive number of requests per second`);
    if (flags['all-views'] && !flags.join?.length) throw usageError('--all-views needs a live cluster', 'pass --join HOST:PORT');
    algorithmOf(flags.ring);
    const probe = flags.target !== undefined ? latencyConfig({ target: flags.target, rate: flags.rate ?? 100, probes: flags.probe ?? [], ...(flags.connections !== undefined ? { connections: flags.connections } : {}) }) : undefined;
    // --on: the hosts are checked (version, clock) before the cluster is opened or the screen drawn.
    const remote = probe && flags.on !== undefined ? await hostsLatencySource(probe, flags, this.config.version) : undefined;
    let membership;
    try {
      membership = await openMembership(sourceOptions(flags));
    } catch (error) {
      remote?.stop();
      throw error;
    }
    let latency: LatencySource | undefined;
    try {
      latency = remote ?? (probe ? startLatencySource(probe) : undefined);
      const faults = createFaultsFeed(flags['journal-dir'] !== undefined ? { journalDir: flags['journal-dir'] } : {});
      const summary = await runDash({
        membership: membership.feed,
        source: membership.label,
        ring: clusterRingOptions(flags),
        replicas: flags.replicas,
        allViews: flags['all-views'],
        ...(flags.join?.length ? { viewsIntervalMs: liveOptions(flags).intervalMs } : {}),
        latency,
        latencyNote: latency ? 'waiting for the first interval…' : LATENCY_NOT_ASKED,
        faults,
        faultsNote: faults ? 'reading the chaos journal…' : FAULTS_UNAVAILABLE,
        screen: createDashScreen({ output: terminal }),
      });
      return this.output(summary, flags.json, summaryText);
    } finally {
      latency?.stop();
      await membership.stop();
    }
  }
}
