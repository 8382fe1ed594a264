/** Where fault commands run: this host, a network namespace, or a host over SSH. */
import type { Argv, ControlPath } from '../faults/types.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Bytes for the command's stdin. */
  input?: string;
  /** Run without the privilege prefix (sudo -n), e.g. to read the SSH session's environment. */
  unprivileged?: boolean;
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
  /** Called with each line of stdout as it arrives (stdout is still collected whole). */
  onStdoutLine?: (line: string) => void;
  /** Aborting it kills the command (locally: the ssh client, ip netns exec or the program). */
  signal?: AbortSignal;
}

export interface Executor {
  /** As the user wrote it: `local`, `netns:NAME`, `ssh:[USER@]HOST[:PORT]`. */
  readonly name: string;
  /** Runs one argv on the host (privileged), never through a local shell; never throws on exit codes. */
  run(argv: Argv, options?: RunOptions): Promise<ExecResult>;
  /** The full local argv that `run(argv)` executes (for --dry-run). */
  wrap(argv: Argv): string[];
  /** The executor's own control connection on the host, which faults must not cut. */
  control(): Promise<ControlPath | undefined>;
}
