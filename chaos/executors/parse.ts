/** `--on local|netns:NAME|ssh:[USER@]HOST[:PORT]` -> an executor. */
import { usageError } from '../../src/errors.js';
import { LocalExecutor } from './local.js';
import { SshExecutor } from './ssh.js';
import type { Executor } from './types.js';

const NETNS = /^[A-Za-z0-9_.-]{1,64}$/;
const SSH = /^(?:([A-Za-z0-9_][A-Za-z0-9_.-]*)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

export interface ExecutorOptions {
  /** `-o` options for every ssh target. */
  sshOptions?: string[];
}

export function parseExecutor(text: string, options: ExecutorOptions = {}): Executor {
  if (text === 'local') return new LocalExecutor();
  if (text.startsWith('netns:')) {
    const name = text.slice(6);
    if (!NETNS.test(name) || name.startsWith('-')) throw usageError(`--on ${text}: ${JSON.stringify(name)} is not a namespace name`, 'see ip netns list');
    return new LocalExecutor(name);
  }
  if (text.startsWith('ssh:')) {
    const m = SSH.exec(text.slice(4));
    const port = m?.[3] === undefined ? undefined : Number(m[3]);
    if (!m || (port !== undefined && (port < 1 || port > 65535)) || (m[2] as string).startsWith('-')) throw usageError(`--on ${text} is not ssh:[USER@]HOST[:PORT]`);
    for (const o of options.sshOptions ?? []) if (!/^[A-Za-z]+=/.test(o)) throw usageError(`--ssh-option ${o} is not NAME=VALUE`, 'e.g. --ssh-option IdentityFile=~/.ssh/id_ed25519');
    return new SshExecutor({ host: (m[2] as string).replace(/^\[|\]$/g, ''), ...(m[1] ? { user: m[1] } : {}), ...(port ? { port } : {}), options: options.sshOptions ?? [] });
  }
  throw usageError(`--on ${text} is not a target`, 'use local, netns:NAME or ssh:[USER@]HOST[:PORT]');
}
