/**
 * The netem faults that take a share of packets and its correlation (`chaos duplicate`,
 * `chaos corrupt`): one set of flags and one spec builder, so each command file only names it.
 */
import { Flags } from '@oclif/core';
import type { FaultSpec } from '../../chaos/faults/spec.js';
import { type MatchFlagValues, faultFlags, matchFlags, percentFlag, targetFrom } from './chaos-flags.js';

export const netemPercentFlags = {
  ...faultFlags,
  ...matchFlags,
  percent: Flags.string({ helpValue: 'P', required: true, description: 'share of packets, 0-100' }),
  correlation: Flags.string({ helpValue: 'P', description: 'correlation with the previous packet, percent' }),
  dev: Flags.string({ helpValue: 'IFACE', description: 'device to shape (default: the default-route device)' }),
};

/** The fault spec for `kind` from its flags. */
export function netemPercentSpec(kind: 'duplicate' | 'corrupt', flags: MatchFlagValues & { percent: string; correlation?: string | undefined; dev?: string | undefined }): FaultSpec {
  const pct = percentFlag(flags.percent, 'percent') as number;
  const correlation = percentFlag(flags.correlation, 'correlation');
  const netem =
    kind === 'duplicate'
      ? { duplicatePct: pct, ...(correlation !== undefined ? { duplicateCorrelationPct: correlation } : {}) }
      : { corruptPct: pct, ...(correlation !== undefined ? { corruptCorrelationPct: correlation } : {}) };
  return { kind, netem, target: targetFrom(flags), ...(flags.dev !== undefined ? { dev: flags.dev } : {}) };
}
