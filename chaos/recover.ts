/**
 * `chaos recover`: removes every ringside rule found on a host, journal or not. It recognises
 * ringside's state by its tags alone: iptables and ip6tables chains named `RINGSIDE-*` and the
 * rules jumping to them, nft's `inet ringside` table, root qdiscs with a `52XX:` handle, dead-man
 * timers, and host journals. Nothing else is touched. The parsing is pure; the host I/O is a thin
 * loop.
 */
import { LIST_DEADMEN_ARGV, killDeadmanArgv } from './deadman.js';
import { runAllSteps } from './executors/steps.js';
import { DEFAULT_PARALLEL, forEachHost } from './fan-out.js';
import type { Executor } from './executors/types.js';
import { IP6TABLES, IPTABLES, removeChainSteps } from './faults/iptables.js';
import { NFT_TABLE } from './faults/nft.js';
import { HANDLE_MAJOR_PREFIX } from './faults/tc.js';
import { CHAIN_PREFIX, type Step } from './faults/types.js';
import { DEFAULT_HOST_JOURNAL_DIR, defaultJournalDir, hostSlug, readJournals, removeJournal } from './journal.js';

/** Splits an `iptables -S` line into words (double quotes as iptables prints them). */
export function splitRule(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return words;
}

export interface FoundState {
  chains: string[];
  /** `-A` rules (as words, without `-A`) that jump to a ringside chain from elsewhere. */
  jumps: string[][];
  /** The same in ip6tables. */
  chains6: string[];
  jumps6: string[][];
  /** Chains of nft's `inet ringside` table, when the table exists (else null). */
  nftChains: string[] | null;
  /** dev -> handle of ringside root qdiscs. */
  qdiscs: Array<{ dev: string; handle: string }>;
}

/** The host's ringside state as text: `iptables -S`, `ip6tables -S`, `nft list table inet ringside` ('' when absent), `tc qdisc show`. */
export interface StateText {
  iptables: string;
  ip6tables?: string;
  nft?: string;
  tc: string;
}

function chainsAndJumps(save: string): { chains: string[]; jumps: string[][] } {
  const chains: string[] = [];
  const jumps: string[][] = [];
  for (const line of save.split('\n')) {
    const words = splitRule(line.trim());
    if (words[0] === '-N' && words[1]?.startsWith(CHAIN_PREFIX)) chains.push(words[1]);
    const target = words[words.indexOf('-j') + 1] ?? '';
    if (words[0] === '-A' && !words[1]?.startsWith(CHAIN_PREFIX) && words.includes('-j') && target.startsWith(CHAIN_PREFIX)) jumps.push(words.slice(1));
  }
  return { chains, jumps };
}

/** What of ringside's is in the host's listings. */
export function findRingsideState(text: StateText): FoundState {
  const v4 = chainsAndJumps(text.iptables);
  const v6 = chainsAndJumps(text.ip6tables ?? '');
  const nft = text.nft ?? '';
  const nftChains = /^table inet ringside\b/m.test(nft) ? [...nft.matchAll(/^\s*chain (\S+) \{/gm)].map((m) => m[1] as string) : null;
  const qdiscs: FoundState['qdiscs'] = [];
  const re = new RegExp(`^qdisc\\s+\\S+\\s+(${HANDLE_MAJOR_PREFIX}[0-9a-f]{2}:)\\s+dev\\s+(\\S+)\\s+root\\b`, 'gm');
  for (let m = re.exec(text.tc); m; m = re.exec(text.tc)) qdiscs.push({ dev: m[2] as string, handle: m[1] as string });
  return { chains: v4.chains, jumps: v4.jumps, chains6: v6.chains, jumps6: v6.jumps, nftChains, qdiscs };
}

/** Reads what `findRingsideState` needs from a host (a tool that is missing there reads as empty). */
export async function readStateText(executor: Executor): Promise<StateText> {
  const out = async (argv: string[]): Promise<string> => {
    const r = await executor.run(argv);
    return r.code === 0 ? r.stdout : '';
  };
  return { iptables: await out([...IPTABLES, '-S']), ip6tables: await out([...IP6TABLES, '-S']), nft: await out(['nft', 'list', 'table', ...NFT_TABLE]), tc: await out(['tc', 'qdisc', 'show']) };
}

/** The steps that remove what was found: jumps first, then chains, then the nft table, then qdiscs. */
export function recoverSteps(found: FoundState): Step[] {
  const jumps = (tool: readonly string[], rules: string[][]): Step[] => rules.map((rule) => ({ onlyIf: [...tool, '-C', ...rule], run: [...tool, '-D', ...rule], repeat: true }));
  return [
    ...jumps(IPTABLES, found.jumps),
    ...found.chains.flatMap((c) => removeChainSteps(c, IPTABLES)),
    ...jumps(IP6TABLES, found.jumps6),
    ...found.chains6.flatMap((c) => removeChainSteps(c, IP6TABLES)),
    ...(found.nftChains !== null ? [{ onlyIf: ['nft', 'list', 'table', ...NFT_TABLE], run: ['nft', 'delete', 'table', ...NFT_TABLE] }] : []),
    ...found.qdiscs.map(({ dev, handle }) => ({ run: ['tc', 'qdisc', 'del', 'dev', dev, 'root', 'handle', handle] })),
  ];
}

export interface HostRecovered extends FoundState {
  on: string;
  deadmen: string[];
  errors: string[];
}

export interface RecoverOptions {
  on: Executor[];
  journalDir?: string;
  hostJournalDir?: string;
  dryRun?: boolean;
  /** Hosts worked on at once (default 32). */
  parallel?: number;
}

export async function recoverHost(executor: Executor, o: RecoverOptions): Promise<HostRecovered> {
  const deadmen = (await executor.run(LIST_DEADMEN_ARGV)).stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((w): w is [string, string] => w.length === 2 && /^\d+$/.test(w[0] as string));
  const found = findRingsideState(await readStateText(executor));
  const result: HostRecovered = { on: executor.name, ...found, deadmen: deadmen.map(([pid, id]) => `${id} (pid ${pid})`), errors: [] };
  if (o.dryRun) return result;
  // Timers first, so none fires half-way through; then the rules; then the host journals.
  const steps: Step[] = [
    ...deadmen.map(([pid, id]) => ({ run: killDeadmanArgv(pid, id) })),
    ...recoverSteps(found),
    { run: ['sh', '-c', 'rm -f "$1"/*."$2".json "$1"/*."$2".pid "$1"/*."$2".json.tmp', 'ringside-recover', o.hostJournalDir ?? DEFAULT_HOST_JOURNAL_DIR, hostSlug(executor.name)] },
  ];
  result.errors = await runAllSteps(executor, steps);
  return result;
}

/** Recovers every host, then drops local journal records whose hosts are all clean now. */
export async function recoverHosts(o: RecoverOptions): Promise<HostRecovered[]> {
  const results = await forEachHost(o.on, o.parallel ?? DEFAULT_PARALLEL, (executor) => recoverHost(executor, o));
  if (!o.dryRun) {
    const dir = o.journalDir ?? defaultJournalDir();
    const clean = new Set(results.filter((r) => r.errors.length === 0).map((r) => r.on));
    for (const record of readJournals(dir)) if (record.hosts.every((h) => clean.has(h.on))) removeJournal(dir, record.id);
  }
  return results;
}
