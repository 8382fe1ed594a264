/** The local host, and network namespaces on it (`ip netns exec NAME`). `sudo -n` when not root. */
import type { Argv, ControlPath } from '../faults/types.js';
import { isRoot, runArgv } from './process.js';
import type { Executor, ExecResult, RunOptions } from './types.js';

export class LocalExecutor implements Executor {
  readonly name: string;
  private readonly prefix: string[];

  constructor(readonly netns?: string) {
    this.name = netns === undefined ? 'local' : `netns:${netns}`;
    this.prefix = netns === undefined ? [] : ['ip', 'netns', 'exec', netns];
  }

  wrap(argv: Argv, unprivileged = false): string[] {
    const sudo = isRoot() || (unprivileged && this.netns === undefined) ? [] : ['sudo', '-n'];
    return [...sudo, ...this.prefix, ...argv];
  }

  run(argv: Argv, options: RunOptions = {}): Promise<ExecResult> {
    return runArgv(this.wrap(argv, options.unprivileged), options);
  }

  /** Local commands need no connection. */
  control(): Promise<ControlPath | undefined> {
    return Promise.resolve(undefined);
  }
}
