import { Flags } from '@oclif/core';
import { parseSpare } from '../../../chaos/faults/match.js';
import { faultFlags } from '../../cli/chaos-flags.js';
import { FaultCommand } from '../../cli/chaos-command.js';
import type { FaultReport } from '../../cli/chaos-render.js';
import { parseDuration, parseSize } from '../../units.js';

export default class ChaosBandwidth extends FaultCommand {
  static override summary = "Limit a device's egress rate (tc htb), sparing the SSH control connection";
  static override examples = ['<%= config.bin %> chaos bandwidth --rate 1mbit --on ssh:10.0.0.5 --duration 60s', '<%= config.bin %> chaos bandwidth --rate 500kbit --spare 10.0.0.9:9100 --on ssh:10.0.0.5 --duration 60s'];

  static override flags = {
    ...faultFlags,
    rate: Flags.string({ helpValue: 'RATE', required: true, description: 'e.g. 1mbit, 500kbit, 10MB (per second)' }),
    burst: Flags.string({ helpValue: 'SIZE', description: 'bucket size (default rate/50, at least 1600 bytes)' }),
    latency: Flags.string({ helpValue: 'D', default: '400ms', description: 'longest a packet may wait in the bucket' }),
    dev: Flags.string({ helpValue: 'IFACE', description: 'device to shape (default: the default-route device)' }),
    spare: Flags.string({ helpValue: 'HOST[:PORT]', multiple: true, description: 'never limit traffic with HOST (or CIDR), or only on PORT at either end (the SSH control connection is always spared)' }),
  };

  async run(): Promise<FaultReport> {
    const { flags } = await this.parse(ChaosBandwidth);
    return this.fault(flags, {
      kind: 'bandwidth',
      rateBytesPerS: parseSize(flags.rate, 'rate'),
      ...(flags.burst !== undefined ? { burstBytes: parseSize(flags.burst, 'burst') } : {}),
      latencyMs: parseDuration(flags.latency, 'latency'),
      ...(flags.dev !== undefined ? { dev: flags.dev } : {}),
      ...(flags.spare !== undefined ? { spare: flags.spare.map(parseSpare) } : {}),
    });
  }
}
