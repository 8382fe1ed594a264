/**
 * What `--on` checks of a host before a shard starts there: that it runs this very ringside
 * (`--remote-command ... --version`) and how far its clock is from this one's, over the same
 * control connection the shard will use.
 */
import type { Executor } from '../../chaos/executors/types.js';
import { RingsideError, usageError } from '../errors.js';

/** The last non-empty line of a command's output (where a failing program says why). */
export function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? '';
}

/** The host runs this very ringside version (one line naming the host otherwise). */
export async function checkVersion(executor: Executor, remoteCommand: string[], expected: string): Promise<void> {
  const r = await executor.run([...remoteCommand, '--version'], { unprivileged: true, timeoutMs: 120_000 });
  const version = /\bringside\/(\S+)/.exec(r.stdout)?.[1];
  if (r.code !== 0 || version === undefined) {
    throw usageError(`ringside is not installed on ${executor.name}: ${remoteCommand.join(' ')} --version ${r.code === 0 ? `printed ${JSON.stringify(lastLine(r.stdout))}` : `failed: ${lastLine(r.stderr) || `exit ${r.code}`}`}`, 'install it there, or pass --remote-command (e.g. "npx --yes ringside@VERSION")');
  }
  if (version !== expected) throw usageError(`${executor.name} runs ringside ${version}, this is ${expected}`, 'run the same version everywhere (--remote-command "npx --yes ringside@VERSION")');
}

/** The host's clock offset, from `date +%s%N` halfway through the round trip. */
export async function clockOffset(executor: Executor, now: () => number): Promise<{ offsetMs: number; offsetErrorMs: number }> {
  let best: { offsetMs: number; offsetErrorMs: number } | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    const r = await executor.run(['date', '+%s%N'], { unprivileged: true });
    const t1 = now();
    const remoteMs = Number(r.stdout.trim()) / 1e6;
    if (r.code !== 0 || !Number.isFinite(remoteMs)) throw new RingsideError('RS_UNREACHABLE', `cannot read the clock of ${executor.name}: ${lastLine(r.stderr) || `exit ${r.code}`}`, 'check that date(1) is there');
    const sample = { offsetMs: remoteMs - (t0 + t1) / 2, offsetErrorMs: (t1 - t0) / 2 };
    if (!best || sample.offsetErrorMs < best.offsetErrorMs) best = sample;
  }
  return best as { offsetMs: number; offsetErrorMs: number };
}
