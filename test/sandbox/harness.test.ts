// The serf test harness (test/peers/serf.ts) and the sandbox library underneath it: crash and
// graceful leave as the other agents report them, encryption, fixed ports, and stop() by PID.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, processArgv } from '../../src/sandbox/processes.js';
import { RingsideError } from '../../src/errors.js';
import { sandboxUp } from '../../src/sandbox/up.js';
import { type SerfCluster, startSerfCluster } from '../peers/serf.js';
import { tempFiles } from '../support/cli.js';
import { waitFor } from '../support/wait.js';

const clusters: SerfCluster[] = [];
afterAll(async () => {
  for (const cluster of clusters) await cluster.stop();
});

/** PIDs of live serf agents named `name` running in `dir` (agents run with the state dir as cwd). */
function findAgentProcesses(name: string, dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const argv = processArgv(pid);
      if (argv === null || argv[1] !== 'agent' || !argv.includes(`-node=${name}`)) return false;
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false;
      }
    });
}

async function statusOf(cluster: SerfCluster, name: string, rpcIndex = 0): Promise<string | undefined> {
  return (await cluster.members(rpcIndex)).find((m) => m.name === name)?.status;
}

describe('startSerfCluster', () => {
  it('reports a crashed agent as failed and a departed one as left; stop() ends every agent', async () => {
    const cluster = await startSerfCluster({ nodes: 3 });
    clusters.push(cluster);
    expect(cluster.agents.map((a) => a.name)).toEqual(['sandbox-1', 'sandbox-2', 'sandbox-3']);
    expect((await cluster.members(2)).every((m) => m.status === 'alive')).toBe(true);

    cluster.kill9('sandbox-3');
    await waitFor(async () => (await statusOf(cluster, 'sandbox-3')) === 'failed', { timeoutMs: 30_000, what: 'sandbox-3 to be failed' });
    await cluster.leave('sandbox-2');
    await waitFor(async () => (await statusOf(cluster, 'sandbox-2')) === 'left', { timeoutMs: 15_000, what: 'sandbox-2 to be left' });

    await cluster.stop();
    for (const agent of cluster.agents) await waitFor(() => !isAlive(agent.pid), { timeoutMs: 5000, what: `pid ${agent.pid} to be gone` });
    await cluster.stop(); // idempotent
  });

  it('hands out the key and a keyring file when encrypted', async () => {
    const cluster = await startSerfCluster({ nodes: 2, encrypt: true, tags: (_name, i) => ({ weight: String(i + 1) }) });
    clusters.push(cluster);
    expect(Buffer.from(cluster.key ?? '', 'base64')).toHaveLength(32);
    expect(cluster.keyringFile).toMatch(/keyring\.json$/);
    const members = await cluster.members(1);
    expect(members.map((m) => m.tags.weight).sort()).toEqual(['1', '2']);
    expect(members.every((m) => m.tags.sandbox === 'ringside')).toBe(true);
  });
});

describe('sandboxUp', () => {
  it('stops the agents it started when a later one fails, and leaves no state behind', async () => {
    const files = tempFiles({});
    try {
      // serf refuses tags over 512 bytes: sandbox-3 exits at once, after 1 and 2 started.
      const tags = (_name: string, i: number): Record<string, string> => (i === 2 ? { big: 'x'.repeat(600) } : {});
      const error = await sandboxUp({ nodes: 3, tags, stateDir: files.dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RingsideError);
      expect((error as RingsideError).code).toBe('RS_SANDBOX_FAILED');
      expect((error as RingsideError).line).toMatch(/^serf agent sandbox-3 exited while starting: .*tags exceeds limit of 512 bytes \(see .*sandbox-3\.log\)$/);
      expect(existsSync(join(files.dir, 'sandbox.json'))).toBe(false);
      const names = ['sandbox-1', 'sandbox-2'];
      for (const name of names) expect(findAgentProcesses(name, files.dir)).toEqual([]);
    } finally {
      files.cleanup();
    }
  });

  it('refuses a --base-port whose ports are taken, and starts nothing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const files = tempFiles({});
    try {
      const error = await sandboxUp({ nodes: 1, basePort: port, stateDir: files.dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RingsideError);
      expect((error as RingsideError).exitCode).toBe(2);
      expect((error as RingsideError).line).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      taken.close();
      files.cleanup();
    }
  });
});
