/**
 * Runs `ringside watch --json` as a child process and collects its NDJSON lines as they come. A
 * watch still running when the test process exits is killed by PID (the exit hook).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { onTestProcessExit } from './exit-hook.js';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

const running = new Set<ChildProcess>();
onTestProcessExit(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface WatchLine {
  type: string;
  ts: string;
  member?: string;
  previous?: string | null;
  incarnation?: number;
  members?: { name: string; status: string }[];
  /** When this process read the line (ms since epoch). */
  receivedAt: number;
}

export interface Watcher {
  lines: WatchLine[];
  stderr: () => string;
  /** Ends the watch like Ctrl-C and resolves with its exit code. */
  stop(): Promise<number | null>;
}

export function startWatch(args: readonly string[]): Watcher {
  const child: ChildProcess = spawn(process.execPath, [bin, 'watch', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: WatchLine[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push({ ...(JSON.parse(line) as Omit<WatchLine, 'receivedAt'>), receivedAt: Date.now() });
    } catch {
      lines.push({ type: 'unparsed', ts: line, receivedAt: Date.now() });
    }
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return {
    lines,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
