/**
 * Member mode's promises to the cluster, with ground truth from the agents' own logs and
 * `serf members` (never ringside's output):
 * - it serves memberlist's TCP ping: with the observer's UDP dropped (an iptables rule in the
 *   namespace it runs in alone), the agents' UDP probes fail, their TCP fallback reaches it, and
 *   they log exactly that ("Was able to connect to X but other probes failed"), never suspecting it;
 * - it refutes suspicion of itself: frozen with SIGSTOP long enough for the agents to suspect it,
 *   then resumed, it answers with a higher incarnation before the suspicion times out, so no agent
 *   ever declares it failed and every agent lists it alive.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { between, failedEvents, type LogLine, readSerfLog } from '../support/serf-log.js';
import { waitFor } from '../support/wait.js';
import { createLab, type Lab, type LabHost, labUnavailable, requireLab, skipsWithoutLab } from '../chaos/lab.js';

const why = labUnavailable();
if (why) process.stderr.write(`member-mode tests skipped: ${why}\n`);
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

describe.skipIf(skipsWithoutLab(why))('member mode on real Serf agents: TCP pings served, suspicion refuted', () => {
  let lab: Lab;
  let observerHost: LabHost;
  let observer: ChildProcess | undefined;
  let observerName = '';
  const agents = () => lab.hosts.slice(0, 3);
  const logOf = (h: LabHost): LogLine[] => readSerfLog(join(lab.dir, `serf-${h.name}.log`));
  const statusIn = (h: LabHost, name: string) => lab.serfMembers(h).find((m) => m.name === name)?.status;

  beforeAll(async () => {
    requireLab(why);
    // Hosts n0-n2 run Serf; n3 is a bare namespace for the observer, so rules there touch nothing else.
    lab = createLab({ hosts: 4, serfHosts: 3 });
    observerHost = lab.hosts[3] as LabHost;
    await waitFor(() => agents().every((h) => agents().every((o) => statusIn(h, o.name) === 'alive')), { timeoutMs: 30_000, what: 'three serf agents alive' });
    observer = spawn('ip', ['netns', 'exec', observerHost.ns, process.execPath, bin, 'watch', '--json', '--mode', 'member', '--join', `${lab.hosts[0]?.ip}:7946`, '--bind', `${observerHost.ip}:7946`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const named = await waitFor(() => lab.serfMembers(lab.hosts[0] as LabHost).find((m) => m.tags['ringside'] === 'observer' && m.status === 'alive'), { timeoutMs: 30_000, what: 'the observer to join' });
    observerName = named.name;
  });

  afterAll(() => {
    if (observer?.pid !== undefined) {
      try {
        process.kill(observer.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      observer.kill('SIGKILL');
    }
    lab?.destroy();
  });

  it('serves TCP pings: with its UDP dropped for 20 s the agents reach it over TCP and never suspect it', async () => {
    const t0 = Date.now();
    lab.sh(observerHost.ns, ['iptables', '-w', '5', '-I', 'INPUT', '-p', 'udp', '--dport', '7946', '-j', 'DROP']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20_000));
    } finally {
      lab.sh(observerHost.ns, ['iptables', '-w', '5', '-D', 'INPUT', '-p', 'udp', '--dport', '7946', '-j', 'DROP']);
    }
    const t1 = Date.now();
    // Each agent probes every member about once per round; in 20 s each probed the observer.
    const tcpFallbacks = agents().map((h) => between(logOf(h), t0, t1).filter((l) => l.text.includes(`Was able to connect to ${observerName} but other probes failed`)).length);
    expect(tcpFallbacks.filter((n) => n > 0).length, `agents that logged the TCP fallback: ${JSON.stringify(tcpFallbacks)}`).toBeGreaterThanOrEqual(2);
    for (const h of agents()) {
      expect(between(logOf(h), t0, t1).filter((l) => new RegExp(`Suspect ${observerName} has failed`).test(l.text))).toEqual([]);
      expect(failedEvents(logOf(h), observerName)).toEqual([]);
      expect(statusIn(h, observerName)).toBe('alive');
    }
  });

  it('refutes suspicion of itself: frozen until an agent suspects it, then resumed, it is never declared failed', async () => {
    const pid = observer?.pid as number;
    const t0 = Date.now();
    // Freeze for 3 s at a time until an agent's own probe has suspected it (usually the first time).
    let suspectedBy: string[] = [];
    for (let attempt = 0; attempt < 6 && suspectedBy.length === 0; attempt++) {
      const from = Date.now();
      process.kill(pid, 'SIGSTOP');
      await new Promise((resolve) => setTimeout(resolve, 3000));
      process.kill(pid, 'SIGCONT');
      await new Promise((resolve) => setTimeout(resolve, 4000));
      suspectedBy = agents().filter((h) => between(logOf(h), from, Date.now()).some((l) => new RegExp(`Suspect ${observerName} has failed`).test(l.text))).map((h) => h.name);
    }
    expect(suspectedBy.length, 'agents that suspected the frozen observer').toBeGreaterThanOrEqual(1);
    // Long past any suspicion timeout: nobody declared it failed, everybody lists it alive.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    for (const h of agents()) {
      expect(failedEvents(between(logOf(h), t0, Date.now()), observerName)).toEqual([]);
      expect(statusIn(h, observerName)).toBe('alive');
    }
  });
});
