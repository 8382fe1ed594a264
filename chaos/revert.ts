/** Taking a fault off its hosts: disarm the dead-man, run the exact inverse, drop the journals. */
import { RingsideError } from '../src/errors.js';
import { disarmArgv } from './deadman.js';
import { parseExecutor } from './executors/parse.js';
import { runAllSteps } from './executors/steps.js';
import { DEFAULT_PARALLEL, settleEach } from './fan-out.js';
import type { Executor } from './executors/types.js';
import { type JournalRecord, defaultJournalDir, readJournal, readJournals, removeJournal } from './journal.js';

export interface Reverted {
  id: string;
  summary: string;
  hosts: string[];
  errors: string[];
}

/** Reverts `record` on the given executors (default: every host in the record), up to `parallel` at once. Never stops early. */
export async function revertHosts(record: JournalRecord, executors?: Executor[], parallel = DEFAULT_PARALLEL): Promise<string[]> {
  const perHost = await settleEach(record.hosts, parallel, async (host) => {
    const executor = executors ? executors.find((e) => e.name === host.on) : parseExecutor(host.on, { sshOptions: record.sshOptions });
    if (!executor) return [];
    return runAllSteps(executor, [{ run: disarmArgv(host.pidFile, record.id) }, ...host.revert, { run: ['rm', '-f', host.journalFile] }]);
  });
  return perHost.flatMap((r) => (r.status === 'fulfilled' ? r.value : [r.reason instanceof Error ? r.reason.message : String(r.reason)]));
}

/** Reverts a journaled fault and removes its local journal once every host is clean. */
export async function revertRecord(record: JournalRecord, journalDir: string, executors?: Executor[]): Promise<Reverted> {
  const errors = await revertHosts(record, executors);
  if (errors.length === 0) removeJournal(journalDir, record.id);
  return { id: record.id, summary: record.summary, hosts: record.hosts.map((h) => h.on), errors };
}

export interface HealOptions {
  id?: string;
  journalDir?: string;
}

/** `chaos heal`: reverts one journaled fault, or all of them. */
export async function healFaults(o: HealOptions = {}): Promise<Reverted[]> {
  const dir = o.journalDir ?? defaultJournalDir();
  let records: JournalRecord[];
  if (o.id !== undefined) {
    const record = readJournal(dir, o.id);
    if (!record) throw new RingsideError('RS_NO_FAULT', `no fault ${o.id} in the journal (${dir})`, 'see ringside chaos status, or run ringside chaos recover --on HOST');
    records = [record];
  } else {
    records = readJournals(dir);
  }
  const results: Reverted[] = [];
  for (const record of records) results.push(await revertRecord(record, dir));
  const failed = results.filter((r) => r.errors.length > 0);
  if (failed.length > 0) throw new RingsideError('RS_CHAOS_FAILED', `could not fully revert ${failed.map((r) => r.id).join(', ')}: ${failed[0]?.errors[0] ?? ''}`, 'the journal is kept; retry heal, or run ringside chaos recover --on HOST');
  return results;
}
