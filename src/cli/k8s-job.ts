/**
 * Kubernetes manifests that run ringside inside a cluster: an Indexed Job whose pods run the
 * shards of one `bench` schedule, and privileged host-network Jobs that run a chaos fault on
 * chosen nodes. Plain objects in the shapes of batch/v1 Job; the caller prints them as YAML.
 */
import { usageError } from '../errors.js';
import { parseStartAt } from './shard-flags.js';

export interface ContainerRun {
  /** The container image (default node:22-slim, which runs ringside through npx). */
  image: string;
  /** The command that starts ringside in it (default `npx --yes ringside@VERSION`). */
  command: string[];
  /** ringside's arguments. */
  args: string[];
}

const LABELS = { 'app.kubernetes.io/name': 'ringside' };

/** Kubernetes names: lower case, digits and '-', at most 63 characters, starting and ending alphanumeric. */
export function k8sName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'ringside';
}

/**
 * The Indexed Job of a sharded bench: `completions` = `parallelism` = N pods, pod i running
 * `--shard i/N` (its index from the Job's annotation, expanded by Kubernetes in the arguments).
 */
export function benchJob(o: ContainerRun & { name: string; shards: number }): Record<string, unknown> {
  const labels = { ...LABELS, 'app.kubernetes.io/component': 'bench' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: k8sName(o.name), labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.shards,
      // A shard that fails is not run again: it would start after --start-at and be refused.
      backoffLimit: 0,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'bench',
              image: o.image,
              command: o.command,
              args: o.args,
              env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
            },
          ],
        },
      },
    },
  };
}

/**
 * One Job per node for a chaos fault: pinned to the node (`nodeName`), on the host's network
 * namespace, privileged (iptables, tc), running the fault with `--on local` there. It reverts at
 * --duration, and on SIGTERM when the pod is deleted (within its 60 s grace period); its dead-man
 * timer lives in the pod, so a pod killed outright leaves the rules to `chaos recover`.
 */
export function chaosJobs(o: ContainerRun & { name: string; nodes: string[] }): Record<string, unknown>[] {
  return o.nodes.map((node, i) => {
    const labels = { ...LABELS, 'app.kubernetes.io/component': 'chaos', 'ringside.dev/node': k8sName(node) };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      // Named by position (a long node name cut to 63 characters could name two Jobs alike); the label names the node.
      metadata: { name: `${k8sName(o.name).slice(0, 56)}-${i}`, labels },
      spec: {
        completions: 1,
        parallelism: 1,
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            nodeName: node,
            hostNetwork: true,
            terminationGracePeriodSeconds: 60,
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'chaos', image: o.image, command: o.command, args: o.args, securityContext: { privileged: true } }],
          },
        },
      },
    };
  });
}

/** `--remote-command` as words (split on spaces), or the default. */
export function remoteCommandOf(text: string | undefined, fallback: string[]): string[] {
  return text !== undefined ? text.split(/\s+/).filter(Boolean) : fallback;
}

/** What runs this very version of ringside where it is not installed. */
export function npxRingside(version: string): string[] {
  return ['npx', '--yes', `ringside@${version}`];
}

/** The flags that shape this process's own output (dropped from the argv a shard or a pod gets: it prints its result its own way). */
export const OUTPUT_FLAGS: Readonly<Record<string, boolean>> = { '--json': false, '--quiet': false, '--output': true, '-o': true };

/** Drops flags (with their values) from an argv as typed: `--flag value`, `--flag=value`, `-o value`. */
export function withoutFlags(argv: readonly string[], drop: Record<string, boolean>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    const name = word.split('=')[0] as string;
    if (name in drop) {
      if (drop[name] && !word.includes('=')) i++;
      continue;
    }
    out.push(word);
  }
  return out;
}

export interface BenchJobFlagValues {
  parallelism: number;
  image: string;
  'remote-command'?: string;
  'start-at'?: string;
  shard?: string;
  'keys-file'?: string;
  hlog?: string;
  output?: string;
}

/** `bench ... --emit k8s-job`: the argv as typed becomes each pod's, with its shard and the common start. */
export function benchJobFromFlags(argv: readonly string[], flags: BenchJobFlagValues, version: string, nowMs: number = Date.now()): Record<string, unknown> {
  if (flags.shard !== undefined) throw usageError('--shard does not go with --emit k8s-job', 'each pod takes its own shard of --parallelism');
  for (const local of ['keys-file', 'hlog', 'output'] as const) {
    if (flags[local] !== undefined && !(local === 'output' && flags[local] === '-')) throw usageError(`--${local} names a file on this machine, which the pods do not have`, 'leave it out: each pod prints its result as JSON (collect them with kubectl logs, then bench merge)');
  }
  // Pods take time to be scheduled and to start: a minute unless told.
  const startAt = flags['start-at'] !== undefined ? parseStartAt(flags['start-at'], nowMs) : nowMs + 60_000;
  const args = [
    ...withoutFlags(argv, { '--emit': true, '--parallelism': true, '--image': true, '--remote-command': true, '--start-at': true, ...OUTPUT_FLAGS }),
    '--shard', `$(JOB_COMPLETION_INDEX)/${flags.parallelism}`,
    '--start-at', new Date(startAt).toISOString(),
    '-o', '-',
    '--quiet',
  ];
  const command = remoteCommandOf(flags['remote-command'], npxRingside(version));
  return benchJob({ name: `ringside-bench-${Math.floor(startAt / 1000)}`, shards: flags.parallelism, image: flags.image, command, args: ['bench', ...args] });
}
