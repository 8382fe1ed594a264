/**
 * ringside's iptables chains (pure argv builders). A fault owns two chains, `RINGSIDE-<id>-I`
 * (jumped to from INPUT) and `RINGSIDE-<id>-O` (from OUTPUT), in iptables for IPv4 rules and in
 * ip6tables for IPv6 ones (a rule without an address goes in both on a host with IPv6); the jumps
 * carry the comment `ringside:<id>`. Nothing else on the host is touched: no flush of built-in
 * chains, no policy change, so foreign rules survive. Apply is idempotent (create the chain unless
 * it exists, flush and refill it, insert the jump unless present); revert removes exactly what
 * apply added.
 */
import { type FilterRule, HOOKS, type Hook, iptablesArgs, ruleFamilies } from './filter.js';
import type { Family } from './match.js';
import { CHAIN_PREFIX, type ControlPath, type HostPlan, type Step, TAG_PREFIX } from './types.js';

export { HOOKS, type Hook } from './filter.js';

/** `-w 5`: wait for the xtables lock instead of failing when another tool holds it. */
export const IPTABLES = ['iptables', '-w', '5'] as const;
export const IP6TABLES = ['ip6tables', '-w', '5'] as const;

export function iptablesOf(family: Family): readonly string[] {
  return family === 'ipv6' ? IP6TABLES : IPTABLES;
}

export function chainName(id: string, hook: Hook): string {
  return `${CHAIN_PREFIX}${id}-${hook === 'INPUT' ? 'I' : 'O'}`;
}

export function tagOf(id: string): string {
  return `${TAG_PREFIX}${id}`;
}

/** Rules that let the executor's control connection (e.g. SSH) through every fault. */
export function controlRules(control: ControlPath | undefined): FilterRule[] {
  if (!control) return [];
  const port = String(control.localPort);
  return [
    { hook: 'INPUT', src: control.peerIp, protocol: 'tcp', dports: [port], verdict: 'accept' },
    { hook: 'OUTPUT', dst: control.peerIp, protocol: 'tcp', sport: port, verdict: 'accept' },
  ];
}

function jump(id: string, hook: Hook): string[] {
  return [hook, '-m', 'comment', '--comment', tagOf(id), '-j', chainName(id, hook)];
}

/** Steps that add a jump to `chain` from `hook`, idempotently. */
function jumpSteps(tool: readonly string[], id: string, hook: Hook): { apply: Step; revert: Step } {
  return {
    apply: { unless: [...tool, '-C', ...jump(id, hook)], run: [...tool, '-I', hook, '1', ...jump(id, hook).slice(1)] },
    revert: { onlyIf: [...tool, '-C', ...jump(id, hook)], run: [...tool, '-D', ...jump(id, hook)], repeat: true },
  };
}

/** Steps that remove a chain of ours if it exists (used by revert and by recover). */
export function removeChainSteps(chain: string, tool: readonly string[] = IPTABLES): Step[] {
  return [
    { onlyIf: [...tool, '-S', chain], run: [...tool, '-F', chain] },
    { onlyIf: [...tool, '-S', chain], run: [...tool, '-X', chain] },
  ];
}

/** Steps that remove one jump rule of ours as `iptables -S` printed it (recover). */
export function removeJumpStep(hook: string, comment: string, chain: string, tool: readonly string[] = IPTABLES): Step {
  const rule = [hook, '-m', 'comment', '--comment', comment, '-j', chain];
  return { onlyIf: [...tool, '-C', ...rule], run: [...tool, '-D', ...rule], repeat: true };
}

/**
 * The plan for a fault made of filter rules, in the families given (`['ipv4']` on a host without
 * IPv6). Control rules come first, so the executor's own connection is never dropped.
 */
export function planChains(id: string, rules: readonly FilterRule[], control?: ControlPath, families: readonly Family[] = ['ipv4']): HostPlan {
  const all = [...controlRules(control), ...rules];
  const apply: Step[] = [];
  const revert: Step[] = [];
  for (const family of families) {
    const tool = iptablesOf(family);
    for (const hook of HOOKS) {
      const mine = all.filter((r) => r.hook === hook && ruleFamilies(r).includes(family));
      // A hook with only control rules needs no chain.
      if (!mine.some((r) => r.verdict === 'drop')) continue;
      const chain = chainName(id, hook);
      apply.push({ unless: [...tool, '-S', chain], run: [...tool, '-N', chain] });
      apply.push({ run: [...tool, '-F', chain] });
      for (const rule of mine) apply.push({ run: [...tool, '-A', chain, ...iptablesArgs(rule, family)] });
      const j = jumpSteps(tool, id, hook);
      apply.push(j.apply);
      // Revert in reverse: the jump first (traffic flows again at once), then the chain.
      revert.unshift(j.revert, ...removeChainSteps(chain, tool));
    }
  }
  return { apply, revert };
}
