import { Flags } from '@oclif/core';
import { faultFlags, matchFlags, percentFlag, targetFrom } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { DISTRIBUTIONS, type Distribution } from '../../../chaos/faults/netem.js';
import { parseDuration } from '../../units.js';

export default class ChaosDelay extends FaultCommand {
  static override summary = 'Delay packets, with jitter, correlation and a distribution (tc netem, egress)';
  static override examples = ['<%= config.bin %> chaos delay --delay 200ms --jitter 50ms --distribution normal --on ssh:10.0.0.5 --duration 2m'];

  static override flags = {
    ...faultFlags,
    ...matchFlags,
    delay: Flags.string({ helpValue: 'D', required: true, description: 'added delay, e.g. 100ms' }),
    jitter: Flags.string({ helpValue: 'D', description: 'random variation around the delay' }),
    correlation: Flags.string({ helpValue: 'P', description: 'correlation of each delay with the previous one, percent' }),
    distribution: Flags.string({ helpValue: DISTRIBUTIONS.join('|'), options: [...DISTRIBUTIONS], description: 'shape of the jitter (needs --jitter)' }),
    dev: Flags.string({ helpValue: 'IFACE', description: 'device to shape (default: the default-route device)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosDelay);
    const correlation = percentFlag(flags.correlation, 'correlation');
    return this.fault(flags, {
      kind: 'delay',
      netem: {
        delayMs: parseDuration(flags.delay, 'delay'),
        ...(flags.jitter !== undefined ? { jitterMs: parseDuration(flags.jitter, 'jitter') } : {}),
        ...(correlation !== undefined ? { delayCorrelationPct: correlation } : {}),
        ...(flags.distribution !== undefined ? { distribution: flags.distribution as Distribution } : {}),
      },
      target: targetFrom(flags),
      ...(flags.dev !== undefined ? { dev: flags.dev } : {}),
    });
  }
}
