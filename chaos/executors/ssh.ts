/**
 * A host over OpenSSH: `ssh -o BatchMode=yes [USER@]HOST -- <quoted words>`. The remote shell
 * sees each word single-quoted, so nothing a user typed becomes shell syntax there. Commands run
 * under `sudo -n` unless the remote user is root. `control()` reads the session's
 * SSH_CONNECTION, so faults can exempt the controller's address on sshd's port.
 */
import { RingsideError } from '../../src/errors.js';
import type { Argv, ControlPath } from '../faults/types.js';
import { runArgv } from './process.js';
import { shellCommand } from './quote.js';
import type { Executor, ExecResult, RunOptions } from './types.js';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
  /** Extra `-o NAME=VALUE` options (IdentityFile, UserKnownHostsFile, ...). */
  options?: string[];
}

export class SshExecutor implements Executor {
  readonly name: string;
  private root: boolean | undefined;

  constructor(private readonly target: SshTarget) {
    this.name = `ssh:${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
    this.root = target.user === 'root' ? true : undefined;
  }

  private sshArgv(remote: Argv): string[] {
    const t = this.target;
    return [
      'ssh',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=10',
      '-o', 'ServerAliveInterval=5',
      ...(t.options ?? []).flatMap((o) => ['-o', o]),
      ...(t.port ? ['-p', String(t.port)] : []),
      ...(t.user ? ['-l', t.user] : []),
      '--',
      t.host,
      shellCommand(remote),
    ];
  }

  wrap(argv: Argv, unprivileged = false): string[] {
    const sudo = unprivileged || this.root !== false ? [] : ['sudo', '-n'];
    return this.sshArgv([...sudo, ...argv]);
  }

  private async ensureIdentity(): Promise<void> {
    if (this.root !== undefined) return;
    const id = await runArgv(this.sshArgv(['id', '-u']));
    if (id.code === 255) throw unreachable(this.name, id.stderr);
    this.root = id.stdout.trim() === '0';
  }

  async run(argv: Argv, options: RunOptions = {}): Promise<ExecResult> {
    await this.ensureIdentity();
    const result = await runArgv(this.wrap(argv, options.unprivileged), options.input);
    if (result.code === 255) throw unreachable(this.name, result.stderr);
    return result;
  }

  async control(): Promise<ControlPath | undefined> {
    const env = await this.run(['printenv', 'SSH_CONNECTION'], { unprivileged: true });
    const [peerIp, , , port] = env.stdout.trim().split(/\s+/);
    if (env.code !== 0 || !peerIp || !port) throw new RingsideError('RS_UNREACHABLE', `cannot read the SSH connection on ${this.name}`, 'check that sshd sets SSH_CONNECTION');
    return { peerIp: peerIp.replace(/^::ffff:/, ''), localPort: Number(port) };
  }
}

function unreachable(name: string, stderr: string): RingsideError {
  const reason = stderr.trim().split('\n').at(-1) ?? 'ssh failed';
  return new RingsideError('RS_UNREACHABLE', `cannot run commands on ${name}: ${reason}`, 'check ssh access (BatchMode: keys, known_hosts) and --ssh-option');
}
