/**
 * The dead-man timer: a detached process on each host that reverts the fault at its deadline even
 * when ringside, its terminal or its SSH session is gone. It is `setsid -f sh -c <script>
 * ringside-deadman:<id>`: a new session (no hangup when the session ends), stdio on /dev/null,
 * its PID in a file beside the host journal. The script is built here from the revert steps, each
 * word shell-quoted (pure); a normal revert disarms it by killing its process group, after
 * checking /proc that the PID still is this very timer.
 */
import { shellCommand, shellQuote } from './executors/quote.js';
import { MAX_REPEAT } from './executors/steps.js';
import type { Argv, Step } from './faults/types.js';

export function deadmanTag(id: string): string {
  return `ringside-deadman:${id}`;
}

function quiet(argv: Argv): string {
  return `${shellCommand(argv)} >/dev/null 2>&1`;
}

/** One revert step as shell, with the same guard semantics as the step runner. */
export function stepScript(step: Step): string {
  const run = quiet(step.run);
  if (step.repeat && step.onlyIf) return `n=0; while [ "$n" -lt ${MAX_REPEAT} ] && ${quiet(step.onlyIf)}; do ${run}; n=$((n+1)); done`;
  if (step.onlyIf) return `if ${quiet(step.onlyIf)}; then ${run}; fi`;
  if (step.unless) return `${quiet(step.unless)} || ${run}`;
  return `${run} || true`;
}

export interface DeadmanOptions {
  id: string;
  delayMs: number;
  revert: readonly Step[];
  /** Files the timer removes after reverting (the host journal, its own PID file). */
  pidFile: string;
  journalFile: string;
}

/** The timer's script: record PID, sleep, revert, remove the journal. */
export function deadmanScript(o: DeadmanOptions): string {
  const seconds = Math.max(0, Math.ceil(o.delayMs / 100) / 10);
  return [
    'exec </dev/null >/dev/null 2>&1',
    `echo $$ > ${shellQuote(o.pidFile)}`,
    `sleep ${seconds}`,
    ...o.revert.map(stepScript),
    `rm -f ${shellQuote(o.journalFile)} ${shellQuote(o.pidFile)}`,
  ].join('\n');
}

/** The argv that starts the timer on a host (through any executor). */
export function deadmanArgv(o: DeadmanOptions): string[] {
  return ['setsid', '-f', 'sh', '-c', deadmanScript(o), deadmanTag(o.id)];
}

/**
 * The argv that disarms the timer: kills its process group if the PID in the file still runs
 * this fault's timer (a constant script; the file and the id are positional arguments).
 */
export function disarmArgv(pidFile: string, id: string): string[] {
  return [
    'sh',
    '-c',
    'p=$(cat "$1" 2>/dev/null) || exit 0; case "$(tr "\\000" " " < /proc/"$p"/cmdline 2>/dev/null)" in *"ringside-deadman:$2"*) kill -s TERM -- "-$p" 2>/dev/null;; esac; rm -f "$1"',
    'ringside-disarm',
    pidFile,
    id,
  ];
}

/**
 * Lists timers on a host: lines `PID ID` for every live ringside dead-man (recover). Only timers
 * in this network namespace count: namespaces on one machine share /proc, and each has its own.
 */
export const LIST_DEADMEN_ARGV = [
  'sh',
  '-c',
  'me=$(readlink /proc/self/ns/net); for d in /proc/[0-9]*; do [ "${d#/proc/}" = "$$" ] && continue; [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$me" ] || continue; c=$(tr "\\000" " " < "$d/cmdline" 2>/dev/null) || continue; case "$c" in "setsid -f"*) continue;; "sh -c "*ringside-deadman:*) echo "${d#/proc/} ${c##*ringside-deadman:}";; esac; done',
  'ringside-list',
];

/** Kills one timer's process group if the PID still is a timer for `id`. */
export function killDeadmanArgv(pid: string, id: string): string[] {
  return ['sh', '-c', 'case "$(tr "\\000" " " < /proc/"$1"/cmdline 2>/dev/null)" in *"ringside-deadman:$2"*) kill -s TERM -- "-$1";; esac', 'ringside-disarm', pid, id];
}
