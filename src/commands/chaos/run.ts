import { Args, Flags } from '@oclif/core';
import { RingsideCommand } from '../../cli/base-command.js';
import { targetHostFlags } from '../../cli/chaos-flags.js';
import { sourceFlags } from '../../cli/flags.js';
import { quietFlag, scenarioLine, startProgressLine } from '../../cli/progress.js';
import { liveOptions, sourceOptions } from '../../cli/options.js';
import { renderScenario } from '../../cli/scenario-render.js';
import { createObserver } from '../../cluster/live.js';
import { loadMembership } from '../../cluster/source.js';
import { RingsideError, usageError } from '../../errors.js';
import { parseDuration } from '../../units.js';
import { createBenchProbeRunner } from '../../../chaos/scenario/bench-probe.js';
import { parseProbeSection } from '../../../chaos/scenario/probe-section.js';
import { loadScenario, parseHostBinding, shippedScenarios } from '../../../chaos/scenario/files.js';
import { runScenario, type ScenarioReport } from '../../../chaos/scenario/run.js';

export default class ChaosRun extends RingsideCommand {
  static override summary = 'Run a scenario: phases of faults, observed through the cluster, with expectations';
  static override description = `SCENARIO is a YAML/JSON file or a shipped one (${shippedScenarios().join(', ')}). Bind its hosts with --host; with --join the run observes the cluster (passive mode) and reports per phase the time to first suspect and to failed, false suspicions, flaps and the time until every view agrees. With a probe: section the scenario's latency probes (as bench) run throughout and the report gives their percentiles per phase (--hlog: an HdrHistogram log tagged phase=<name>/probe=<probe>). A failed expectation exits 1.`;
  static override examples = [
    '<%= config.bin %> chaos run gray-failure --host n1=ssh:root@10.0.0.1,10.0.0.1 --host n2=... --join 10.0.0.1:7946',
    '<%= config.bin %> chaos run my-scenario.yaml --host a=netns:a,10.1.0.10 --dry-run',
  ];

  static override args = { scenario: Args.string({ required: true, description: 'scenario file or shipped name' }) };

  static override flags = {
    ...sourceFlags,
    ...targetHostFlags,
    on: Flags.string({ hidden: true, multiple: true }),
    host: Flags.string({ helpValue: 'NAME=ON,ADDR[+ADDR6][,MEMBER]', multiple: true, description: "bind a scenario host: where its rules go, its address (both, dual stack), its member name" }),
    grace: Flags.string({ helpValue: 'D', default: '30s', description: "dead-man timers revert each phase's faults at its end + grace even if ringside is gone" }),
    hlog: Flags.string({ helpValue: 'FILE', description: 'with a probe: section, write an HdrHistogram interval log tagged phase=<name>/probe=<probe>' }),
    'dry-run': Flags.boolean({ description: 'print every phase\'s exact commands per host and change nothing' }),
    quiet: quietFlag,
  };

  async run(): Promise<ScenarioReport> {
    const { args, flags } = await this.parse(ChaosRun);
    const scenario = loadScenario(args.scenario);
    const hosts = (flags.host ?? []).map(parseHostBinding);
    if (scenario.probe !== undefined) parseProbeSection(scenario.probe); // bad sections fail before anything changes, dry runs too
    if (flags.hlog !== undefined && scenario.probe === undefined) throw usageError(`--hlog needs a probe: section, and scenario ${scenario.name} has none`, 'add a probe: section (see chaos/scenarios/service-loss.yaml) or drop --hlog');
    const cluster = flags.join?.length || flags.members !== undefined || flags.snapshot !== undefined ? () => loadMembership(sourceOptions(flags)) : undefined;
    const probes = createBenchProbeRunner({ ...(cluster ? { membership: cluster } : {}), ...(flags.hlog !== undefined ? { hlogPath: flags.hlog } : {}) });
    const observer = flags.join?.length && !flags['dry-run'] ? await createObserver({ ...liveOptions(flags), mode: flags.mode ?? 'passive' }) : undefined;
    await observer?.start();
    const status = scenarioLine(scenario.name);
    const progress = startProgressLine(status.line, { json: flags.json, quiet: flags.quiet || flags['dry-run'] });
    let report: ScenarioReport;
    try {
      report = await runScenario({
        scenario,
        hosts,
        sshOptions: flags['ssh-option'] ?? [],
        ...(observer ? { observer, viewIntervalMs: liveOptions(flags).intervalMs } : {}),
        probes,
        graceMs: parseDuration(flags.grace, 'grace'),
        dryRun: flags['dry-run'],
        ...(flags.journal !== undefined ? { journalDir: flags.journal } : {}),
        ...(flags['host-journal'] !== undefined ? { hostJournalDir: flags['host-journal'] } : {}),
        parallel: flags.parallel,
        log: (line) => void (flags.json ? undefined : progress.print(`ringside: ${line}\n`)),
        onProgress: status.onProgress,
      });
    } finally {
      progress.close();
      await observer?.stop();
    }
    this.output(report, flags.json, renderScenario);
    if (!report.passed && !report.dryRun) throw new RingsideError('RS_CHECK_FAILED', report.interrupted ? 'scenario interrupted (faults reverted)' : `${report.expectations.filter((e) => !e.pass).length} expectation(s) failed`, 'see the report above');
    return report;
  }
}
