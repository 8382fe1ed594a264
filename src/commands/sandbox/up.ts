import { Flags } from '@oclif/core';
import { RingsideCommand } from '../../cli/base-command.js';
import { stateDirFlag, stateDirSuffix, tagList } from '../../cli/sandbox-flags.js';
import { renderTable } from '../../table.js';
import { parseDuration } from '../../units.js';
import { DEFAULT_COLD_MS, MAX_NODES, type SandboxUpResult, sandboxUp } from '../../sandbox/index.js';

/** What `sandbox up` reports: everything but the key (it is in keyringFile, mode 0600). */
export type SandboxUpReport = Omit<SandboxUpResult, 'key'>;

export default class SandboxUp extends RingsideCommand {
  static override summary = 'Start a local cluster of real serf agents on 127.0.0.1';
  static override description =
    'The agents keep running after this command exits; stop them with `ringside sandbox down`. Each carries the tags sandbox=ringside and zone=a|b|c (round-robin). With --service, a demo stateful HTTP service runs beside each agent: GET /kv/{key} (owned by the ringpop ring over the http tags, forwarded one hop when asked at a non-owner), /health, /stats.';
  static override examples = ['<%= config.bin %> sandbox up', '<%= config.bin %> sandbox up --nodes 5 --encrypt --json', '<%= config.bin %> sandbox up --service --cold-ms 200', '<%= config.bin %> sandbox up --nodes 4 --serf /usr/bin/serf --serf ~/go/bin/serf'];

  static override flags = {
    nodes: Flags.integer({ helpValue: 'N', min: 1, max: MAX_NODES, default: 3, description: `how many agents (1..${MAX_NODES})` }),
    encrypt: Flags.boolean({ description: 'encrypt gossip with a fresh random key, kept in <state-dir>/keyring.json (mode 0600)' }),
    'base-port': Flags.integer({ helpValue: 'PORT', min: 1024, max: 65535, description: 'agent i gossips on PORT+2i and serves RPC on PORT+2i+1 (default: free ports)' }),
    'state-dir': stateDirFlag,
    service: Flags.boolean({ description: 'also start the demo stateful HTTP service beside each agent (address in the agent tag http=HOST:PORT)' }),
    serf: Flags.string({ helpValue: 'PATH', multiple: true, description: 'serf binary to run instead of the one on PATH (e.g. a newer Serf); given several times, agents take them in turn: a mixed-version cluster' }),
    timeout: Flags.string({ helpValue: 'DURATION', default: '20s', description: 'how long to wait for every agent to answer and see all the others alive (a loaded machine, a mixed-version cluster)' }),
    'cold-ms': Flags.integer({ helpValue: 'MS', min: 0, dependsOn: ['service'], description: `with --service: delay of a key's first (cold) load, like a database read (default ${DEFAULT_COLD_MS})` }),
  };

  async run(): Promise<SandboxUpReport> {
    const { flags } = await this.parse(SandboxUp);
    const { key: _key, ...report } = await sandboxUp({
      nodes: flags.nodes,
      encrypt: flags.encrypt,
      ...(flags['base-port'] !== undefined ? { basePort: flags['base-port'] } : {}),
      ...(flags['state-dir'] !== undefined ? { stateDir: flags['state-dir'] } : {}),
      service: flags.service,
      ...(flags.serf !== undefined ? { serf: flags.serf } : {}),
      ...(flags['cold-ms'] !== undefined ? { coldMs: flags['cold-ms'] } : {}),
      timeoutMs: parseDuration(flags.timeout, 'timeout'),
    });
    return this.output(report, flags.json, (r) => render(r, stateDirSuffix(flags['state-dir'], r.stateDir)));
  }
}

function render(report: SandboxUpReport, stateDirArg: string): string {
  const table = renderTable(report.agents, [
    { header: 'NAME', value: (a) => a.name },
    { header: 'PID', value: (a) => String(a.pid), align: 'right' },
    { header: 'GOSSIP', value: (a) => a.bind },
    { header: 'RPC', value: (a) => a.rpc },
    { header: 'TAGS', value: (a) => tagList(a.tags) },
  ]);
  const keyring = report.keyringFile !== null ? ` --keyring-file ${report.keyringFile}` : '';
  const services = report.services ?? [];
  const serviceLines =
    services.length === 0
      ? []
      : [
          `demo service (cold load ${services[0]?.coldMs ?? 0} ms per key): ${services.map((s) => s.url).join('  ')}`,
          `  try:   curl -i ${services[0]?.url}/kv/user:42`,
          `  bench: --target 'http://{host}:{port}/kv/{key}' --port-tag http --join ${report.join}${keyring} --node-key tag:http`,
          `  owner: ringside owner KEY --join ${report.join}${keyring} --node-key tag:http`,
          '',
        ];
  return [
    `started ${report.agents.length} serf agents on 127.0.0.1${report.encrypted ? ' with encrypted gossip' : ''} in ${(report.convergedMs / 1000).toFixed(1)}s (state in ${report.stateDir})`,
    '',
    table,
    '',
    ...serviceLines,
    `join it with:  --join ${report.join}${keyring}`,
    `stop it with:  ringside sandbox down${stateDirArg}`,
  ].join('\n');
}
