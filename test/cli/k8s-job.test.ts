/**
 * `--emit k8s-job`: the manifests decode strictly into Kubernetes' own API types (k8s.io/api
 * v0.37.2 batch/v1, built from the Go module proxy; unknown fields refused), since no cluster
 * runs here, and what their pods would run is run: the bench shards' arguments against a real
 * server (the shards add up to the whole schedule), the chaos fault's arguments as a dry run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { k8sName, withoutFlags } from '../../src/cli/k8s-job.js';
import type { BenchResult } from '../../src/probes/types.js';
import { builtPeer } from '../peers/built.js';
import { startServer, type TestServer } from '../probes/servers.js';
import { runCli, tempFiles } from '../support/cli.js';

interface Decoded {
  kind: string;
  name: string;
  completionMode?: string;
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  nodeName?: string;
  hostNetwork: boolean;
  privileged: boolean;
  restartPolicy: string;
  image: string;
  command: string[];
  args: string[];
  env: Record<string, string>;
  labels: Record<string, string>;
}

/** Decodes manifests with k8s.io/api (strict); throws the decoder's error. */
function decode(manifest: string): Decoded[] {
  const out = execFileSync(builtPeer('k8s-api/decode'), { input: manifest, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Decoded);
}

describe('the manifest helpers', () => {
  it('makes Kubernetes names and drops flags with their values as typed', () => {
    expect(k8sName('ringside-chaos-partition-1796348713')).toBe('ringside-chaos-partition-1796348713');
    expect(k8sName('Ip-10.0.0.1.EC2.internal')).toBe('ip-10-0-0-1-ec2-internal');
    expect(k8sName(`-${'x'.repeat(70)}`)).toHaveLength(63);
    expect(withoutFlags(['--emit', 'k8s-job', '--rate=5', '--json', '--image=a', '-o', 'f', '--rate', '7'], { '--emit': true, '--image': true, '--json': false, '-o': true })).toEqual(['--rate=5', '--rate', '7']);
  });

  it('the decoder is strict: an unknown field or a wrong type is refused', () => {
    const job = (extra: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: x\nspec:\n${extra}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: a\n          image: b\n`;
    expect(decode(job(''))[0]).toMatchObject({ kind: 'Job', name: 'x', image: 'b' });
    expect(() => decode(job('  completionsMode: Indexed\n'))).toThrow(/Job: json: unknown field "completionsMode"/);
    expect(() => decode(job('  completions: four\n'))).toThrow(/cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32/);
  });
});

describe('bench --emit k8s-job', () => {
  let server: TestServer;
  const files = tempFiles({});
  let startAt: string;
  let yamlText: string;
  let job: Decoded;

  beforeAll(async () => {
    server = await startServer((_req, res) => res.end('ok'));
    startAt = new Date(Date.now() + 6000).toISOString();
    const r = await runCli(['bench', '--target', server.target, '--rate', '60', '--duration', '2s', '--probe', 'first-connection', '--workers', '1', '--emit', 'k8s-job', '--parallelism', '3', '--start-at', startAt]);
    expect(r.code, r.stderr).toBe(0);
    yamlText = r.stdout;
    [job] = decode(yamlText) as [Decoded];
  });
  afterAll(async () => {
    await server.close();
    files.cleanup();
  });

  it('prints an Indexed Job of N pods, each taking its shard from the completion index, all from one start', () => {
    expect(job).toMatchObject({ kind: 'Job', completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 0, restartPolicy: 'Never', image: 'node:22-slim', command: ['npx', '--yes', expect.stringMatching(/^ringside@\d+\.\d+\.\d+/)] });
    expect(job.args).toEqual(['bench', '--target', server.target, '--rate', '60', '--duration', '2s', '--probe', 'first-connection', '--workers', '1', '--shard', '$(JOB_COMPLETION_INDEX)/3', '--start-at', startAt, '-o', '-', '--quiet']);
    expect(job.env).toEqual({ JOB_COMPLETION_INDEX: "fieldRef:metadata.annotations['batch.kubernetes.io/job-completion-index']" });
    // Plain YAML: no anchors or aliases for a reader to follow.
    expect(yamlText).not.toMatch(/[&*]a\d/);
    expect(parse(yamlText)).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job' });
  });

  it("the pods' arguments, run as the Job would run them (index substituted), add up to the whole schedule", async () => {
    const runs = await Promise.all([0, 1, 2].map((i) => runCli(job.args.map((a) => a.replace('$(JOB_COMPLETION_INDEX)', String(i))))));
    runs.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      writeFileSync(files.path(`pod-${i}.json`), r.stdout);
    });
    const pods = [0, 1, 2].map((i) => JSON.parse(readFileSync(files.path(`pod-${i}.json`), 'utf8')) as BenchResult);
    expect(pods.map((p) => p.probes['first-connection']?.count)).toEqual([40, 40, 40]);
    expect(pods.map((p) => p.startedAt)).toEqual([startAt, startAt, startAt]);
    const merged = await runCli(['bench', 'merge', ...[0, 1, 2].map((i) => files.path(`pod-${i}.json`)), '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect((JSON.parse(merged.stdout) as BenchResult).probes['first-connection']?.count).toBe(120);
    expect(server.requests).toBe(120);
  });

  it('refuses what a pod cannot have: a local file, a shard of its own', async () => {
    for (const [flags, message] of [
      [['--keys-file', '/etc/hostname'], /--keys-file names a file on this machine, which the pods do not have/],
      [['-o', 'x.json'], /--output names a file on this machine/],
      [['--shard', '0/2'], /--shard does not go with --emit k8s-job/],
    ] as Array<[string[], RegExp]>) {
      const r = await runCli(['bench', '--target', server.target, '--rate', '10', '--emit', 'k8s-job', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('chaos ... --emit k8s-job --nodes', () => {
  const base = ['chaos', 'partition', '--group', '10.0.0.1,10.0.0.2', '--group', '10.0.0.3', '--duration', '60s'];

  it('prints one privileged host-network Job per node, pinned to it, running the same fault with --on local', async () => {
    const r = await runCli([...base, '--emit', 'k8s-job', '--nodes', 'node-a,ip-10-0-0-3.ec2.internal', '--image', 'registry.example/ringside-chaos:1']);
    expect(r.code, r.stderr).toBe(0);
    const jobs = decode(r.stdout);
    expect(jobs.map((j) => [j.nodeName, j.hostNetwork, j.privileged, j.restartPolicy, j.backoffLimit, j.labels['ringside.dev/node']])).toEqual([
      ['node-a', true, true, 'Never', 0, 'node-a'],
      ['ip-10-0-0-3.ec2.internal', true, true, 'Never', 0, 'ip-10-0-0-3-ec2-internal'],
    ]);
    expect(new Set(jobs.map((j) => j.name)).size).toBe(2);
    for (const j of jobs) expect(j.args).toEqual([...base, '--on', 'local']);
    // What the pod runs is a valid fault: as a dry run here, it plans the same partition.
    const dry = await runCli([...(jobs[0] as Decoded).args, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ kind: 'partition', dryRun: true, hosts: [{ on: 'local' }] });
  });

  it('needs --nodes, --image and --duration, and refuses --detach and --on', async () => {
    for (const [flags, message] of [
      [['--image', 'i'], /--emit k8s-job needs --nodes/],
      [['--nodes', 'a'], /--emit k8s-job needs --image/],
      [['--nodes', 'a', '--image', 'i', '--detach'], /--detach does not go with --emit k8s-job/],
      [['--nodes', 'a', '--image', 'i', '--on', 'local'], /--on does not go with --emit k8s-job/],
    ] as Array<[string[], RegExp]>) {
      const r = await runCli([...base, '--emit', 'k8s-job', ...flags]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const noDuration = await runCli(['chaos', 'partition', '--isolate', '10.0.0.3', '--emit', 'k8s-job', '--nodes', 'a', '--image', 'i']);
    expect(noDuration.code).toBe(2);
    expect(noDuration.stderr).toMatch(/--emit k8s-job needs --duration/);
  });
});
