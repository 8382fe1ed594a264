/**
 * Applying a fault to hosts, safely: plan every host, check every host, journal the inverse
 * locally and on each host, arm each host's dead-man timer, and only then apply, on every host at
 * once. Each stage works on up to `parallel` hosts at a time, and the next starts only when every
 * host has passed the one before: a host failing its checks means nothing changes anywhere; a
 * host failing during the apply means everything already applied is reverted before the error
 * is reported.
 */
import { randomBytes } from 'node:crypto';
import { RingsideError } from '../src/errors.js';
import { checkHost, checkJournalDir, checkPrivilege, checkTools, defaultDevice, detectFirewall, type FirewallFacts } from './capabilities.js';
import { deadmanArgv, disarmArgv } from './deadman.js';
import { runSteps } from './executors/steps.js';
import type { Executor } from './executors/types.js';
import { planFault } from './faults/plan.js';
import { type FaultSpec, deviceOf, usesFilter, usesTc } from './faults/spec.js';
import { familyOf } from './faults/match.js';
import { tcHandle } from './faults/tc.js';
import { ANY } from './faults/topology.js';
import type { FaultPlan, Firewall, Step } from './faults/types.js';
import { DEFAULT_HOST_JOURNAL_DIR, type HostRecord, JOURNAL_KIND, JOURNAL_VERSION, type JournalRecord, defaultJournalDir, hostJournalPaths, hostWriteArgv, removeJournal, writeJournal } from './journal.js';
import { DEFAULT_PARALLEL, forEachHost } from './fan-out.js';
import { revertHosts } from './revert.js';

export const DEFAULT_GRACE_MS = 30_000;
/** Without --duration, the hosts' timers still revert after this long (a forgotten terminal). */
export const DEFAULT_DEADMAN_MS = 3_600_000;

export interface ApplyOptions {
  spec: FaultSpec;
  on: Executor[];
  sshOptions?: string[];
  id?: string;
  /** Revert after this long (ringside does it; the dead-man timer at + grace). */
  durationMs?: number;
  graceMs?: number;
  /** When the hosts' timers revert regardless (default: duration + grace; 1 h without duration; none when detached without duration). */
  deadmanMs?: number;
  detach?: boolean;
  journalDir?: string;
  hostJournalDir?: string;
  dryRun?: boolean;
  /** The packet filter to use (default: iptables where it works, else nft). */
  firewall?: Firewall;
  /** Hosts worked on at once (default 32). */
  parallel?: number;
  now?: () => number;
}

export interface HostApplied {
  on: string;
  summary: string;
  /** Every command as it runs (or would run, with --dry-run), guards in brackets. */
  apply: Step[];
  revert: Step[];
  /** How the executor runs an argv (for showing dry-run commands exactly). */
  wrap: (argv: readonly string[]) => string[];
  /** What filters packets there, for filter faults: `iptables (nf_tables)`, `nft (no iptables)`. */
  firewall?: string;
  /** When its apply steps were done (not with --dry-run). */
  changedAtMs?: number;
}

export interface Applied {
  id: string;
  kind: FaultPlan['kind'];
  summary: string;
  targets: string[];
  dryRun: boolean;
  appliedAtMs: number;
  expiresAtMs: number | null;
  deadmanAtMs: number | null;
  detached: boolean;
  journalDir: string;
  hosts: HostApplied[];
  /** What the operator should know before trusting the fault (one line each). */
  warnings: string[];
  /** From the first host changed to the last (null with --dry-run). */
  spreadMs: number | null;
}

export function newFaultId(): string {
  return randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, '0').slice(-8);
}

interface HostWork {
  executor: Executor;
  plan: FaultPlan;
  firewall?: FirewallFacts;
  record: HostRecord;
  setup: Step[];
}

function deadmanDelay(o: ApplyOptions): number | null {
  if (o.deadmanMs !== undefined) return o.deadmanMs;
  if (o.durationMs !== undefined) return o.detach ? o.durationMs : o.durationMs + (o.graceMs ?? DEFAULT_GRACE_MS);
  return o.detach ? null : DEFAULT_DEADMAN_MS;
}

async function planHost(o: ApplyOptions, id: string, executor: Executor, deadmanMs: number | null, hostDir: string): Promise<HostWork> {
  const dev = usesTc(o.spec) ? (deviceOf(o.spec) ?? (await defaultDevice(executor))) : undefined;
  const firewall = usesFilter(o.spec) ? await detectFirewall(executor, o.firewall) : undefined;
  const control = await executor.control();
  const plan = planFault(o.spec, id, { ...(dev !== undefined ? { dev } : {}), ...(control ? { control } : {}), ...(firewall ? { firewall: firewall.firewall, ipv6: firewall.ipv6 } : {}) });
  const { journalFile, pidFile } = hostJournalPaths(hostDir, id, executor.name);
  const revert: Step[] = [...plan.revert];
  // A re-apply replaces the timer of the earlier apply (never two timers for one fault).
  const setup: Step[] = [{ run: disarmArgv(pidFile, id) }, ...(deadmanMs === null ? [] : [{ run: deadmanArgv({ id, delayMs: deadmanMs, revert, pidFile, journalFile }) }])];
  const record: HostRecord = { on: executor.name, journalFile, pidFile, revert, summary: plan.summary, deadman: deadmanMs !== null };
  return { executor, plan, record, setup, ...(firewall ? { firewall } : {}) };
}

/**
 * A partition naming IPv4 addresses only, on a host with a global IPv6 address: the cluster may
 * still talk over IPv6, and then the partition silently did not happen.
 */
function dualStackWarning(spec: FaultSpec, w: HostWork): string[] {
  if (spec.kind !== 'partition' || !w.firewall?.ipv6Global) return [];
  const named = spec.cuts.flatMap((c) => [...c.from, ...c.to]).filter((a) => a !== ANY);
  if (named.some((a) => familyOf(a) === 'ipv6')) return [];
  return [`${w.executor.name} has a global IPv6 address and the partition names IPv4 addresses only: traffic between the groups over IPv6 is not cut (list each host's IPv6 address in its group too)`];
}

export async function applyFault(o: ApplyOptions): Promise<Applied> {
  const now = o.now ?? Date.now;
  const id = o.id ?? newFaultId();
  const journalDir = o.journalDir ?? defaultJournalDir();
  const hostDir = o.hostJournalDir ?? DEFAULT_HOST_JOURNAL_DIR;
  const deadmanMs = deadmanDelay(o);
  // Privilege first: everything after it (the default device, the firewall) is read with it.
  const programs = ['sh', ...(deadmanMs !== null ? ['setsid'] : []), ...(usesTc(o.spec) ? ['tc'] : []), ...(usesFilter(o.spec) ? [o.firewall ?? 'iptables or nft'] : [])];
  const limit = Math.max(1, o.parallel ?? DEFAULT_PARALLEL);
  if (!o.dryRun) {
    const tools = [...(deadmanMs !== null ? ['setsid'] : []), ...(usesTc(o.spec) ? ['ip', 'tc'] : [])];
    await forEachHost(o.on, limit, async (executor) => {
      await checkPrivilege(executor, programs);
      await checkTools(executor, tools);
      await checkJournalDir(executor, hostDir);
    });
  }
  const work = await forEachHost(o.on, limit, (executor) => planHost(o, id, executor, deadmanMs, hostDir));
  const first = work[0]?.plan;
  if (!first) throw new Error('no hosts');
  const startMs = now();
  const changedAt = new Map<HostWork, number>();
  const result = (dryRun: boolean, appliedAtMs: number): Applied => ({
    id,
    kind: first.kind,
    summary: first.summary,
    targets: first.targets,
    dryRun,
    appliedAtMs,
    expiresAtMs: o.durationMs !== undefined ? appliedAtMs + o.durationMs : null,
    deadmanAtMs: deadmanMs !== null ? appliedAtMs + deadmanMs : null,
    detached: o.detach ?? false,
    journalDir,
    hosts: work.map((w) => ({
      on: w.executor.name,
      summary: w.plan.summary,
      apply: [{ run: hostWriteArgv(hostDir, w.record.journalFile) }, ...w.setup, ...w.plan.apply],
      revert: [{ run: disarmArgv(w.record.pidFile, id) }, ...w.plan.revert, { run: ['rm', '-f', w.record.journalFile] }],
      wrap: (argv) => w.executor.wrap(argv),
      ...(w.firewall ? { firewall: w.firewall.label } : {}),
      ...(changedAt.has(w) ? { changedAtMs: changedAt.get(w) } : {}),
    })),
    warnings: work.flatMap((w) => dualStackWarning(o.spec, w)),
    spreadMs: changedAt.size > 0 ? Math.max(...changedAt.values()) - Math.min(...changedAt.values()) : null,
  });
  if (o.dryRun) return result(true, startMs);

  await forEachHost(work, limit, (w) => checkHost(w.executor, w.plan.needs, tcHandle(id)));

  const record: JournalRecord = {
    kind: JOURNAL_KIND,
    version: JOURNAL_VERSION,
    id,
    fault: first.kind,
    summary: first.summary,
    targets: first.targets,
    spec: o.spec,
    state: 'applying',
    appliedAtMs: startMs,
    expiresAtMs: o.durationMs !== undefined ? startMs + o.durationMs : null,
    deadmanAtMs: deadmanMs !== null ? startMs + deadmanMs : null,
    detached: o.detach ?? false,
    pid: o.detach ? null : process.pid,
    hosts: work.map((w) => w.record),
    sshOptions: o.sshOptions ?? [],
  };
  writeJournal(journalDir, record);
  const started: HostWork[] = [];
  try {
    // Every host first gets its journal and its dead-man timer (nothing is changed yet)...
    await forEachHost(work, limit, async (w) => {
      started.push(w);
      const hostCopy = JSON.stringify({ ...record, hosts: [w.record] }, null, 2);
      const written = await w.executor.run(hostWriteArgv(hostDir, w.record.journalFile), { input: hostCopy });
      if (written.code !== 0) throw new RingsideError('RS_CHAOS_FAILED', `cannot write the journal on ${w.executor.name}: ${written.stderr.trim().split('\n')[0] ?? ''}`, 'nothing was left behind; check the host journal directory (--host-journal)');
      await runSteps(w.executor, w.setup);
    });
    // ...then the fault goes on every host at once.
    await forEachHost(work, limit, async (w) => {
      await runSteps(w.executor, w.plan.apply);
      changedAt.set(w, now());
    });
  } catch (error) {
    await revertHosts(record, started.map((w) => w.executor), limit).catch(() => undefined);
    removeJournal(journalDir, id);
    throw error;
  }
  const appliedAtMs = now();
  writeJournal(journalDir, { ...record, state: 'active', appliedAtMs, expiresAtMs: o.durationMs !== undefined ? appliedAtMs + o.durationMs : null });
  return result(false, appliedAtMs);
}
