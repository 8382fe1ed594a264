/**
 * ringside's nftables rules, for hosts with nft and no iptables (pure argv builders). Every fault
 * lives in one table of ringside's own, `inet ringside` (both families), as two base chains
 * named like the iptables ones (`RINGSIDE-<id>-I` on input, `-O` on output). Apply is one nft
 * transaction (table and chain added if missing, the chain flushed and refilled), so it is
 * idempotent and never half-done; revert deletes the fault's chains in one transaction, then the
 * table once no chain is left in it. Nothing outside the table is touched.
 */
import { type FilterRule, HOOKS, type Hook, nftWords } from './filter.js';
import { chainName, controlRules } from './iptables.js';
import type { ControlPath, HostPlan, Step } from './types.js';

export const NFT_TABLE = ['inet', 'ringside'] as const;

const HOOK_NAMES: Record<Hook, string> = { INPUT: 'input', OUTPUT: 'output' };

/** Guard: exits 0 when the chain exists in ringside's table. */
export function nftChainExists(chain: string): string[] {
  return ['nft', 'list', 'chain', ...NFT_TABLE, chain];
}

/** Guard: exits 0 when ringside's table exists and holds no chain (a constant script). */
export const NFT_TABLE_EMPTY = ['sh', '-c', 't=$(nft list table inet ringside 2>/dev/null) || exit 1; case "$t" in *chain*) exit 1;; esac', 'ringside-guard'];

/** Deletes one chain (flushed first: nft deletes only empty chains), as one transaction. */
export function nftRemoveChain(chain: string): string[] {
  return ['nft', 'flush', 'chain', ...NFT_TABLE, chain, ';', 'delete', 'chain', ...NFT_TABLE, chain];
}

export function planNft(id: string, rules: readonly FilterRule[], control?: ControlPath): HostPlan {
  const all = [...controlRules(control), ...rules];
  const words: string[] = ['add', 'table', ...NFT_TABLE];
  const revert: Step[] = [];
  for (const hook of HOOKS) {
    const mine = all.filter((r) => r.hook === hook);
    if (!mine.some((r) => r.verdict === 'drop')) continue;
    const chain = chainName(id, hook);
    words.push(';', 'add', 'chain', ...NFT_TABLE, chain, '{', 'type', 'filter', 'hook', HOOK_NAMES[hook], 'priority', '0', ';', 'policy', 'accept', ';', '}');
    words.push(';', 'flush', 'chain', ...NFT_TABLE, chain);
    for (const rule of mine) words.push(';', 'add', 'rule', ...NFT_TABLE, chain, ...nftWords(rule));
    revert.push({ onlyIf: nftChainExists(chain), run: nftRemoveChain(chain) });
  }
  revert.push({ onlyIf: NFT_TABLE_EMPTY, run: ['nft', 'delete', 'table', ...NFT_TABLE] });
  return { apply: [{ run: ['nft', ...words] }], revert };
}
