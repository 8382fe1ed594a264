import { RingsideCommand } from '../../cli/base-command.js';
import { stateDirFlag, tagList } from '../../cli/sandbox-flags.js';
import { renderTable } from '../../table.js';
import { type SandboxStatusResult, sandboxStatus } from '../../sandbox/index.js';

export default class SandboxStatus extends RingsideCommand {
  static override summary = 'Show which sandbox agents run and the membership they report';
  static override examples = ['<%= config.bin %> sandbox status', '<%= config.bin %> sandbox status --json'];

  static override flags = { 'state-dir': stateDirFlag };

  async run(): Promise<SandboxStatusResult> {
    const { flags } = await this.parse(SandboxStatus);
    const result = await sandboxStatus(flags['state-dir'] !== undefined ? { stateDir: flags['state-dir'] } : {});
    return this.output(result, flags.json, render);
  }
}

function render(result: SandboxStatusResult): string {
  if (!result.found) return `no sandbox in ${result.stateDir} (start one: ringside sandbox up)`;
  const running = result.agents.filter((a) => a.running).length;
  const lines = [
    `sandbox in ${result.stateDir}: ${running} of ${result.agents.length} agents running, ${result.encrypted ? 'encrypted' : 'plaintext'} gossip, started ${result.createdAt ?? '?'}`,
    '',
    renderTable(result.agents, [
      { header: 'NAME', value: (a) => a.name },
      { header: 'PID', value: (a) => String(a.pid), align: 'right' },
      { header: 'GOSSIP', value: (a) => a.bind },
      { header: 'RPC', value: (a) => a.rpc },
      { header: 'PROCESS', value: (a) => (a.running ? 'running' : 'gone') },
    ]),
  ];
  if (result.services.length > 0) {
    lines.push('', 'demo services:', '');
    lines.push(
      renderTable(result.services, [
        { header: 'NODE', value: (s) => s.name },
        { header: 'PID', value: (s) => String(s.pid), align: 'right' },
        { header: 'URL', value: (s) => s.url },
        { header: 'PROCESS', value: (s) => (s.running ? 'running' : 'gone') },
        { header: 'RING', value: (s) => (s.stats ? String(s.stats.ring.length) : '-'), align: 'right' },
        { header: 'KEYS', value: (s) => (s.stats ? String(s.stats.keysLoaded) : '-'), align: 'right' },
        { header: 'FORWARDED', value: (s) => (s.stats ? String(s.stats.forwarded) : '-'), align: 'right' },
      ]),
    );
  }
  if (result.members !== null) {
    lines.push('', `serf members, as ${result.observedBy ?? '?'} sees them:`, '');
    lines.push(
      renderTable(result.members, [
        { header: 'NAME', value: (m) => m.name },
        { header: 'ADDR', value: (m) => m.addr },
        { header: 'STATUS', value: (m) => m.status },
        { header: 'TAGS', value: (m) => tagList(m.tags) },
      ]),
    );
  } else if (result.membersError !== null) {
    lines.push('', `serf members: ${result.membersError}`);
  }
  return lines.join('\n');
}
