/**
 * ringside's iptables chains (pure argv builders). A fault owns two chains, `RINGSIDE-<id>-I`
 * (jumped to from INPUT) and `RINGSIDE-<id>-O` (from OUTPUT); the jumps carry the comment
 * `ringside:<id>`. Nothing else on the host is touched: no flush of built-in chains, no policy
 * change, so foreign rules survive. Apply is idempotent (create the chain unless it exists, flush
 * and refill it, insert the jump unless present); revert removes exactly what apply added.
 */
import { CHAIN_PREFIX, type ControlPath, type HostPlan, type Step, TAG_PREFIX } from './types.js';

/** `-w 5`: wait for the xtables lock instead of failing when another tool holds it. */
export const IPTABLES = ['iptables', '-w', '5'] as const;

export type Hook = 'INPUT' | 'OUTPUT';
export const HOOKS: readonly Hook[] = ['INPUT', 'OUTPUT'];

export function chainName(id: string, hook: Hook): string {
  return `${CHAIN_PREFIX}${id}-${hook === 'INPUT' ? 'I' : 'O'}`;
}

export function tagOf(id: string): string {
  return `${TAG_PREFIX}${id}`;
}

/** One rule inside a fault's chain: match arguments and the verdict. */
export interface ChainRule {
  hook: Hook;
  match: string[];
  verdict: 'DROP' | 'RETURN';
}

/** Rules that let the executor's control connection (e.g. SSH) through every fault. */
export function controlRules(control: ControlPath | undefined): ChainRule[] {
  if (!control) return [];
  const port = String(control.localPort);
  return [
    { hook: 'INPUT', match: ['-p', 'tcp', '-s', control.peerIp, '--dport', port], verdict: 'RETURN' },
    { hook: 'OUTPUT', match: ['-p', 'tcp', '-d', control.peerIp, '--sport', port], verdict: 'RETURN' },
  ];
}

function jump(id: string, hook: Hook): string[] {
  return [hook, '-m', 'comment', '--comment', tagOf(id), '-j', chainName(id, hook)];
}

/** Steps that add a jump to `chain` from `hook`, idempotently. */
function jumpSteps(id: string, hook: Hook): { apply: Step; revert: Step } {
  return {
    apply: { unless: [...IPTABLES, '-C', ...jump(id, hook)], run: [...IPTABLES, '-I', hook, '1', ...jump(id, hook).slice(1)] },
    revert: { onlyIf: [...IPTABLES, '-C', ...jump(id, hook)], run: [...IPTABLES, '-D', ...jump(id, hook)], repeat: true },
  };
}

/** Steps that remove a chain of ours if it exists (used by revert and by recover). */
export function removeChainSteps(chain: string): Step[] {
  return [
    { onlyIf: [...IPTABLES, '-S', chain], run: [...IPTABLES, '-F', chain] },
    { onlyIf: [...IPTABLES, '-S', chain], run: [...IPTABLES, '-X', chain] },
  ];
}

/** Steps that remove one jump rule of ours as `iptables -S` printed it (recover). */
export function removeJumpStep(hook: string, comment: string, chain: string): Step {
  const rule = [hook, '-m', 'comment', '--comment', comment, '-j', chain];
  return { onlyIf: [...IPTABLES, '-C', ...rule], run: [...IPTABLES, '-D', ...rule], repeat: true };
}

/**
 * The plan for a fault made of iptables rules. Control rules come first, so the executor's own
 * connection is never dropped.
 */
export function planChains(id: string, rules: readonly ChainRule[], control?: ControlPath): HostPlan {
  const all = [...controlRules(control), ...rules];
  const apply: Step[] = [];
  const revert: Step[] = [];
  for (const hook of HOOKS) {
    const mine = all.filter((r) => r.hook === hook);
    // A hook with only control rules needs no chain.
    if (!mine.some((r) => r.verdict === 'DROP')) continue;
    const chain = chainName(id, hook);
    apply.push({ unless: [...IPTABLES, '-S', chain], run: [...IPTABLES, '-N', chain] });
    apply.push({ run: [...IPTABLES, '-F', chain] });
    for (const rule of mine) apply.push({ run: [...IPTABLES, '-A', chain, ...rule.match, '-j', rule.verdict] });
    const j = jumpSteps(id, hook);
    apply.push(j.apply);
    // Revert in reverse: the jump first (traffic flows again at once), then the chain.
    revert.unshift(j.revert, ...removeChainSteps(chain));
  }
  return { apply, revert };
}
