/**
 * The journal: before a fault is applied, its exact inverse is written (atomically: temp file +
 * rename) to the local journal directory and to each target host. `heal` and `status` read the
 * local one; the host copy lets an operator (or the dead-man timer) undo it on the host itself.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileError } from '../src/errors.js';
import type { FaultSpec } from './faults/spec.js';
import type { FaultKind, Step } from './faults/types.js';

export const JOURNAL_KIND = 'ringside.chaos';
export const JOURNAL_VERSION = 1;
/** Where hosts keep their copy: tmpfs, since rules do not survive a reboot either. */
export const DEFAULT_HOST_JOURNAL_DIR = '/run/ringside/chaos';

export interface HostRecord {
  /** The executor, as given to --on. */
  on: string;
  /** The host's journal file and dead-man PID file. */
  journalFile: string;
  pidFile: string;
  /** The exact inverse on this host. */
  revert: Step[];
  summary: string;
  /** Whether a dead-man timer was armed there. */
  deadman: boolean;
}

export interface JournalRecord {
  kind: typeof JOURNAL_KIND;
  version: typeof JOURNAL_VERSION;
  id: string;
  fault: FaultKind;
  summary: string;
  targets: string[];
  spec: FaultSpec;
  /** `applying` until every host has the fault; `active` after. */
  state: 'applying' | 'active';
  appliedAtMs: number;
  /** When ringside reverts it (--duration), or null (until Ctrl-C / heal). */
  expiresAtMs: number | null;
  /** When the hosts' dead-man timers revert it, or null when none is armed. */
  deadmanAtMs: number | null;
  detached: boolean;
  /** The ringside process holding the fault (null when detached). */
  pid: number | null;
  hosts: HostRecord[];
  /** The ssh options needed to reach the hosts again (never secrets: names of files). */
  sshOptions: string[];
}

/** `$RINGSIDE_STATE_DIR/chaos`, else `$XDG_STATE_HOME/ringside/chaos`, else `~/.local/state/ringside/chaos`. */
export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.RINGSIDE_STATE_DIR) return resolve(env.RINGSIDE_STATE_DIR, 'chaos');
  if (env.XDG_STATE_HOME) return resolve(env.XDG_STATE_HOME, 'ringside', 'chaos');
  return join(home, '.local', 'state', 'ringside', 'chaos');
}

export function journalFile(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** Writes the record atomically (a reader sees the old or the new file, never half of one). */
export function writeJournal(dir: string, record: JournalRecord): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = journalFile(dir, record.id);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (error) {
    throw fileError(`cannot write the chaos journal in ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'pass --journal DIR', error);
  }
}

export function removeJournal(dir: string, id: string): void {
  rmSync(journalFile(dir, id), { force: true });
}

export function parseJournal(text: string): JournalRecord | null {
  try {
    const r = JSON.parse(text) as Partial<JournalRecord>;
    if (r?.kind !== JOURNAL_KIND || r.version !== JOURNAL_VERSION || typeof r.id !== 'string' || !Array.isArray(r.hosts)) return null;
    return r as JournalRecord;
  } catch {
    return null;
  }
}

/** Every record in the directory (unreadable files are skipped); none when it does not exist. */
export function readJournals(dir: string): JournalRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const records: JournalRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    try {
      const r = parseJournal(readFileSync(join(dir, name), 'utf8'));
      if (r) records.push(r);
    } catch {
      // a file removed meanwhile
    }
  }
  return records;
}

export function readJournal(dir: string, id: string): JournalRecord | null {
  try {
    return parseJournal(readFileSync(journalFile(dir, id), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The executor's part of host journal file names: netns targets on one machine share one file
 * system, so each keeps its own files (`<id>.<slug>.json`, `<id>.<slug>.pid`).
 */
export function hostSlug(executorName: string): string {
  return executorName.replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function hostJournalPaths(dir: string, id: string, executorName: string): { journalFile: string; pidFile: string } {
  const base = join(dir, `${id}.${hostSlug(executorName)}`);
  return { journalFile: `${base}.json`, pidFile: `${base}.pid` };
}

/** Argv that writes stdin to a file on the host atomically (constant script; paths are arguments). */
export function hostWriteArgv(dir: string, file: string): string[] {
  return ['sh', '-c', 'umask 077 && mkdir -p "$1" && cat > "$2.tmp" && mv -f "$2.tmp" "$2"', 'ringside-journal', dir, file];
}
