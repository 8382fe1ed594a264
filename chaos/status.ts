/** Active faults: from the local journal (pure reading), optionally checked on the hosts. */
import { isAlive } from '../src/sandbox/processes.js';
import { parseExecutor } from './executors/parse.js';
import { DEFAULT_PARALLEL, forEachHost } from './fan-out.js';
import { chainName } from './faults/iptables.js';
import { type JournalRecord, defaultJournalDir, readJournals } from './journal.js';
import { findRingsideState, readStateText } from './recover.js';
import { tcHandle } from './faults/tc.js';

/** What the dashboard shows for each fault in place (local journal only). */
export interface ActiveFault {
  id: string;
  kind: string;
  targets: string[];
  summary: string;
  appliedAtMs: number;
  expiresAtMs: number | null;
  /** Where it is in place: the executors it was applied on (`netns:node1`, `ssh:root@10.0.0.3`). */
  on?: string[];
}

/** A journaled fault is over when its dead-man deadline has passed (the hosts reverted it). */
function isCurrent(r: JournalRecord, nowMs: number): boolean {
  return r.deadmanAtMs === null || r.deadmanAtMs > nowMs;
}

export async function listActiveFaults(options: { journalDir?: string } = {}): Promise<ActiveFault[]> {
  const now = Date.now();
  return readJournals(options.journalDir ?? defaultJournalDir())
    .filter((r) => isCurrent(r, now))
    .map((r) => ({ id: r.id, kind: r.fault, targets: r.targets, summary: r.summary, appliedAtMs: r.appliedAtMs, expiresAtMs: r.expiresAtMs, on: r.hosts.map((h) => h.on) }));
}

export interface FaultStatus extends ActiveFault {
  state: JournalRecord['state'];
  detached: boolean;
  /** Milliseconds until ringside reverts it (null: until Ctrl-C or heal). */
  leftMs: number | null;
  deadmanAtMs: number | null;
  /** The ringside process holding it is gone (and it was not detached): only the dead-man or heal will revert it. */
  orphaned: boolean;
  hosts: Array<{ on: string; present: boolean | null; error?: string }>;
}

/** Checks on a host whether the fault's chains (iptables, ip6tables or nft) or qdisc are there. */
async function presentOn(record: JournalRecord, on: string): Promise<{ present: boolean | null; error?: string }> {
  try {
    const executor = parseExecutor(on, { sshOptions: record.sshOptions });
    const found = findRingsideState(await readStateText(executor));
    const chains = [chainName(record.id, 'INPUT'), chainName(record.id, 'OUTPUT')];
    const all = [...found.chains, ...found.chains6, ...(found.nftChains ?? [])];
    return { present: all.some((c) => chains.includes(c)) || found.qdiscs.some((q) => q.handle === tcHandle(record.id)) };
  } catch (error) {
    return { present: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function faultStatus(options: { journalDir?: string; check?: boolean } = {}): Promise<FaultStatus[]> {
  const now = Date.now();
  const out: FaultStatus[] = [];
  for (const r of readJournals(options.journalDir ?? defaultJournalDir()).filter((x) => isCurrent(x, now))) {
    const hosts = await forEachHost(r.hosts, DEFAULT_PARALLEL, async (h) => ({ on: h.on, ...(options.check === false ? { present: null } : await presentOn(r, h.on)) }));
    out.push({
      id: r.id,
      kind: r.fault,
      targets: r.targets,
      summary: r.summary,
      appliedAtMs: r.appliedAtMs,
      expiresAtMs: r.expiresAtMs,
      state: r.state,
      detached: r.detached,
      leftMs: r.expiresAtMs === null ? null : Math.max(0, r.expiresAtMs - now),
      deadmanAtMs: r.deadmanAtMs,
      orphaned: !r.detached && r.pid !== null && !isAlive(r.pid),
      hosts,
    });
  }
  return out;
}
