import { RingsideCommand } from '../../cli/base-command.js';
import { stateDirFlag } from '../../cli/sandbox-flags.js';
import { type SandboxDownResult, type StopOutcome, sandboxDown } from '../../sandbox/index.js';

const OUTCOME: Record<StopOutcome, string> = {
  stopped: 'stopped',
  killed: 'killed (did not stop on SIGTERM)',
  'not-running': 'was not running',
  'pid-reused': 'gone; its PID now runs another process, left alone',
  'still-running': 'STILL RUNNING after SIGKILL',
};

export default class SandboxDown extends RingsideCommand {
  static override summary = 'Stop the serf agents (and demo services) `sandbox up` started, and only those';
  static override examples = ['<%= config.bin %> sandbox down', '<%= config.bin %> sandbox down --state-dir /tmp/sb --json'];

  static override flags = { 'state-dir': stateDirFlag };

  async run(): Promise<SandboxDownResult> {
    const { flags } = await this.parse(SandboxDown);
    const result = await sandboxDown(flags['state-dir'] !== undefined ? { stateDir: flags['state-dir'] } : {});
    return this.output(result, flags.json, render);
  }
}

function render(result: SandboxDownResult): string {
  if (!result.found) return `no sandbox in ${result.stateDir} (nothing to stop)`;
  const stopped = result.agents.filter((a) => a.outcome === 'stopped' || a.outcome === 'killed').length;
  const services = result.services.filter((a) => a.outcome === 'stopped' || a.outcome === 'killed').length;
  return [
    `stopped ${stopped} of ${result.agents.length} serf agents in ${result.stateDir} (logs kept there)`,
    ...result.agents.map((a) => `  ${a.name} (pid ${a.pid}): ${OUTCOME[a.outcome]}`),
    ...(result.services.length > 0 ? [`stopped ${services} of ${result.services.length} demo services`, ...result.services.map((a) => `  ${a.name} service (pid ${a.pid}): ${OUTCOME[a.outcome]}`)] : []),
  ].join('\n');
}
