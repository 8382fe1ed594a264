/**
 * A host over OpenSSH: `ssh -o BatchMode=yes [USER@]HOST -- <quoted words>`. The remote shell
 * sees each word single-quoted, so nothing a user typed becomes shell syntax there. Commands run
 * under `sudo -n` unless the remote user is root. `control()` reads the session's
 * SSH_CONNECTION, so faults can exempt the controller's address on sshd's port.
 *
 * Every command to a host shares one SSH connection (OpenSSH multiplexing): the first command
 * (`true`) leaves a master behind (ControlPersist; its socket in a private temporary directory; it
 * exits after 60 s without clients even if ringside is killed; started with `-N`, a master refuses
 * the sessions of its clients), closed with `ssh -O exit` when the process exits. `--ssh-option ControlMaster=...` or `ControlPath=...` turns this off.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Masters to close when the process exits: their `ssh -O exit` argv and socket directory. */
const masters = new Map<string, { exit: string[]; dir: string }>();
let exitHooked = false;

function closeMasters(): void {
  for (const [key, m] of masters) {
    spawnSync(m.exit[0] as string, m.exit.slice(1), { stdio: 'ignore', timeout: 5_000 });
    rmSync(m.dir, { recursive: true, force: true });
    masters.delete(key);
  }
}

export class SshExecutor implements Executor {
  readonly name: string;
  private root: boolean | undefined;
  private master: Promise<void> | undefined;
  private controlPath: string | undefined;

  constructor(private readonly target: SshTarget) {
    this.name = `ssh:${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
    this.root = target.user === 'root' ? true : undefined;
  }

  private baseArgv(): string[] {
    const t = this.target;
    return [
      'ssh',
      '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=10',
      '-o', 'ServerAliveInterval=5',
      ...(t.options ?? []).flatMap((o) => ['-o', o]),
      ...(t.port ? ['-p', String(t.port)] : []),
      ...(t.user ? ['-l', t.user] : []),
    ];
  }

  /** The argv for a remote command; `shared` adds the shared connection's options. */
  private sshArgv(remote: Argv, shared = false): string[] {
    const mux = shared && this.controlPath !== undefined ? ['-o', 'ControlMaster=no', '-o', `ControlPath=${this.controlPath}`] : [];
    return [...this.baseArgv(), ...mux, '--', this.target.host, shellCommand(remote)];
  }

  /** Starts the shared connection once (unless the user's options manage multiplexing). */
  private ensureMaster(): Promise<void> {
    this.master ??= (async () => {
      if ((this.target.options ?? []).some((o) => /^Control(Master|Path)=/i.test(o))) return;
      const dir = mkdtempSync(join(tmpdir(), 'ringside-ssh-'));
      const path = join(dir, 'master');
      const log = join(dir, 'log');
      const { execa } = await import('execa');
      const started = await execa('ssh', [...this.baseArgv(), '-o', 'ControlMaster=yes', '-o', `ControlPath=${path}`, '-o', 'ControlPersist=60', '-E', log, '--', this.target.host, 'true'].slice(1), { reject: false, stdio: 'ignore', timeout: 30_000 });
      if (started.exitCode !== 0) {
        let reason = '';
        try {
          reason = readFileSync(log, 'utf8');
        } catch {
          // no log written
        }
        rmSync(dir, { recursive: true, force: true });
        throw unreachable(this.name, reason || `ssh exited with ${started.exitCode ?? 'a signal'}`);
      }
      this.controlPath = path;
      masters.set(path, { exit: [...this.baseArgv(), '-o', `ControlPath=${path}`, '-O', 'exit', '--', this.target.host], dir });
      if (!exitHooked) {
        exitHooked = true;
        process.once('exit', closeMasters);
      }
    })();
    return this.master;
  }

  /** The command as a user would type it (without the shared connection's private socket). */
  wrap(argv: Argv, unprivileged = false, shared = false): string[] {
    const sudo = unprivileged || this.root !== false ? [] : ['sudo', '-n'];
    return this.sshArgv([...sudo, ...argv], shared);
  }

  private async ensureIdentity(): Promise<void> {
    await this.ensureMaster();
    if (this.root !== undefined) return;
    const id = await runArgv(this.sshArgv(['id', '-u'], true));
    if (id.code === 255) throw unreachable(this.name, id.stderr);
    this.root = id.stdout.trim() === '0';
  }

  async run(argv: Argv, options: RunOptions = {}): Promise<ExecResult> {
    await this.ensureIdentity();
    const result = await runArgv(this.wrap(argv, options.unprivileged, true), options);
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
