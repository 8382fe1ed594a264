// The routing probe against the demo service of `sandbox up --service` (real serf agents), with
// the flags the sandbox prints: the `http` tag holds HOST:PORT, and `--node-key tag:http` places
// the members as the service does, so a "direct" request is never forwarded (only routed ones are).
// Regression: bench refused HOST:PORT tags ("has no port in tag"), and without --node-key the
// probe's ring disagreed with the service's about a third of the owners.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult } from '../../src/probes/types.js';
import { type KvServiceCluster, startKvServiceCluster } from '../peers/kv-service.js';
import { runJson } from '../support/cli.js';

async function forwarded(cluster: KvServiceCluster): Promise<number> {
  let total = 0;
  for (const s of cluster.services) {
    const res = await request(`${s.url}/stats`);
    total += ((await res.body.json()) as { forwarded: number }).forwarded;
  }
  return total;
}

describe('routing probe on the demo service', () => {
  let cluster: KvServiceCluster;
  beforeAll(async () => {
    cluster = await startKvServiceCluster({ nodes: 3, coldMs: 5 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('direct requests reach the owner, routed ones are forwarded once each', async () => {
    const before = await forwarded(cluster);
    const result = await runJson<BenchResult>(['bench', '--target', 'http://{host}:{port}/kv/{key}', '--port-tag', 'http', '--join', cluster.join, '--node-key', 'tag:http', '--probe', 'routing', '--rate', '60', '--duration', '2s', '--keys', '30', '--connections', '1', '--workers', '1']);
    const direct = result.probes['routing-direct'];
    const routed = result.probes['routing-routed'];
    expect(direct?.errors).toBe(0);
    expect(routed?.errors).toBe(0);
    expect(direct?.count).toBe(60);
    expect(routed?.count).toBe(60);
    expect((await forwarded(cluster)) - before).toBe(routed?.count);
  });
});
