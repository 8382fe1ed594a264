/**
 * Captures test vectors from real Serf agents of one generation and writes them to
 * test/vectors/<generation>.json (see vectors.ts for the format):
 *
 *   npx tsx test/vectors/capture.ts serf-0.9.4     # Debian's serf on PATH (memberlist 0.2.2, go-msgpack 0.5.5)
 *   npx tsx test/vectors/capture.ts serf-0.10.4    # test/peers/.bin (memberlist 0.6.0, go-msgpack/v2)
 *
 * On 127.0.0.1, unencrypted, it starts three agents, joins them with a member-like endpoint of its
 * own (capture-endpoint.ts), starts a fourth that joins the first agent and the endpoint, sends a
 * user event and two queries (2 s and 10 s timeouts: the signed-integer cases), pings the first
 * agent, makes one agent leave and SIGKILLs another. It keeps the push-pull replies it asked for,
 * the push-pulls agents opened to it, and one UDP datagram per kind of message or layer (the first
 * seen, unwrapped ones preferred), byte for byte. What the tests compare against is recorded from
 * the agents themselves (`serf members -format=json`) and from the commands it ran.
 *
 * Every agent is stopped by PID when it ends, whatever happens (and SIGKILLed on exit).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decompressMessage } from '../../src/protocols/memberlist/layers.js';
import { encodeMessage, MSG } from '../../src/protocols/memberlist/messages.js';
import { decodePacket, splitCompound } from '../../src/protocols/memberlist/packet.js';
import { encodePushPull, pollRequest } from '../../src/protocols/memberlist/push-pull.js';
import { Keyring } from '../../src/protocols/memberlist/security.js';
import { openStream } from '../../src/protocols/memberlist/stream.js';
import { decodeSerfMessage } from '../../src/protocols/serf/messages.js';
import { isSandboxAgent, signalAgent, spawnAgent } from '../../src/sandbox/agent-process.js';
import { type SerfMember, serfMembers } from '../../src/sandbox/members.js';
import { HOST, pickPorts } from '../../src/sandbox/ports.js';
import { findSerf, runSerf, serfReason } from '../../src/sandbox/serf-binary.js';
import { writeSecretFile } from '../../src/sandbox/state.js';
import { builtPeer } from '../peers/built.js';
import { waitFor } from '../support/wait.js';
import { CaptureEndpoint, type Recorded } from './capture-endpoint.js';
import { GENERATIONS, type Generation, type Provenance, type Script, type Vector, type VectorFile, vectorFileUrl } from './vectors.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const OBSERVER_INCARNATION = 70_000; // a uint32 above 65535: unsigned 0xce in both generations
// Long enough that the observer's Serf state is over 127 bytes: ringside then writes the push-pull
// header's UserStateLen (a Go int) as unsigned 0xcc, where go-msgpack v2 would write 0xd1.
const OBSERVER_NAME = 'vector-observer-whose-long-name-puts-its-serf-state-over-127-bytes';

interface Agent {
  name: string;
  bind: string;
  port: number;
  rpc: string;
  pid: number;
  serf: string;
}

const running: Agent[] = [];
process.once('exit', () => running.forEach((a) => signalAgent(a, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

function serfBinary(generation: Generation): string {
  return generation === 'serf-0.9.4' ? findSerf() : builtPeer('serf-v0.10.4/serf');
}

function provenance(generation: Generation, serf: string): Provenance {
  const goInfo = execFileSync('go', ['version', '-m', serf], { encoding: 'utf8' });
  const modules: Record<string, string> = {};
  for (const line of goInfo.split('\n')) {
    const [kind, path, version] = line.trim().split(/\s+/);
    if ((kind === 'mod' || kind === 'dep') && path && version && /hashicorp\/(serf|memberlist|go-msgpack)/.test(path)) modules[path] = version;
  }
  let debianPackage: string | undefined;
  if (generation === 'serf-0.9.4') {
    const pkg = execFileSync('dpkg-query', ['-W', '-f=${Package} ${Version}\n${Built-Using}', 'serf'], { encoding: 'utf8' }).split('\n');
    const builtWith = (pkg[1] ?? '').split(',').map((s) => s.trim()).filter((s) => /memberlist|go-msgpack|hashicorp-serf/.test(s));
    debianPackage = `${pkg[0]}; Built-Using: ${builtWith.join(', ')}`;
  }
  return {
    capturedAt: new Date().toISOString(),
    command: `npx tsx test/vectors/capture.ts ${generation}`,
    binary: serf.startsWith(REPO) ? relative(REPO, serf) : serf,
    serfVersion: execFileSync(serf, ['version'], { encoding: 'utf8' }).trim(),
    go: goInfo.split('\n')[0]?.split(': ')[1]?.trim() ?? '',
    modules,
    ...(debianPackage !== undefined ? { debianPackage } : {}),
    network: '127.0.0.1 loopback, no gossip label; unencrypted, except the lone agent of tcp-push-pull-reply-encrypted',
  };
}

async function serfOk(serf: string, args: string[], timeoutMs = 15_000): Promise<string> {
  const run = await runSerf(serf, args, timeoutMs);
  if (run.code !== 0) throw new Error(`serf ${args[0]} failed: ${serfReason(run)}`);
  return run.stdout;
}

async function startAgent(serf: string, name: string, gossip: number, rpc: number, dir: string, tags: Record<string, string>, configFile?: string): Promise<Agent> {
  const spec = { name, bind: `${HOST}:${gossip}`, rpc: `${HOST}:${rpc}`, tags, ...(configFile !== undefined ? { configFile } : {}) };
  const child = await spawnAgent(serf, spec, join(dir, `${name}.log`), dir);
  const agent = { name, bind: spec.bind, port: gossip, rpc: spec.rpc, pid: child.pid, serf };
  running.push(agent);
  await waitFor(async () => child.exited() === null && (await runSerf(serf, ['members', `-rpc-addr=${agent.rpc}`], 2000)).code === 0, { timeoutMs: 20_000, what: `${name} to answer on ${agent.rpc}` });
  return agent;
}

async function statuses(serf: string, via: Agent): Promise<Map<string, string>> {
  return new Map((await serfMembers(serf, via.rpc)).map((m) => [m.name, m.status]));
}

/** Waits until every agent in `viewers` sees each of `expect` with that status. */
async function converge(serf: string, viewers: Agent[], expect: Record<string, string>, what: string): Promise<void> {
  await waitFor(
    async () => {
      for (const viewer of viewers) {
        const seen = await statuses(serf, viewer);
        if (Object.entries(expect).some(([name, status]) => seen.get(name) !== status)) return false;
      }
      return true;
    },
    { timeoutMs: 40_000, intervalMs: 250, what },
  );
}

/** Messages and layers in a datagram or a stream, as labels like `alive:vector-4` or `compress`. */
function covers(bytes: Uint8Array, stream: boolean, keyring?: Keyring): string[] {
  const found = new Set<string>();
  const layers = (body: Uint8Array): void => {
    if (body[0] === MSG.hasCrc) {
      found.add('crc');
      layers(body.subarray(5));
    } else if (body[0] === MSG.compound) {
      found.add('compound');
      for (const part of splitCompound(body, { messages: [], dropped: [] })) layers(part);
    } else if (body[0] === MSG.compress) {
      found.add('compress');
      layers(decompressMessage(body, 1 << 24));
    }
  };
  if (keyring) {
    // 0A, length (u32 BE), then AES-GCM whose additional data is those 5 bytes.
    found.add('encrypt');
    layers(keyring.decrypt(bytes.subarray(5), bytes.subarray(0, 5)));
  } else layers(bytes);
  if (stream) {
    const message = openStream(bytes, keyring ? { keyring } : {});
    if (message.type === 'push-pull') {
      found.add(message.pushPull.join ? 'push-pull:join' : 'push-pull');
      for (const node of message.pushPull.nodes) found.add(`node:${node.name}:${node.state}`);
    } else found.add(message.type);
    return [...found];
  }
  const decoded = decodePacket(bytes, {});
  for (const reason of decoded.dropped) found.add(`dropped:${reason}`);
  for (const m of decoded.messages) {
    if (m.type === 'ping' || m.type === 'indirect-ping') found.add(`${m.type}:${m.node}`);
    else if (m.type === 'ack') found.add(m.payload.length > 0 ? 'ack+payload' : 'ack');
    else if (m.type === 'alive' || m.type === 'suspect') found.add(`${m.type}:${m.node}`);
    else if (m.type === 'dead') found.add(`${m.from === m.node ? 'dead-leave' : 'dead'}:${m.node}`);
    else if (m.type === 'user') {
      const serf = decodeSerfMessage(m.payload);
      if (serf.type === 'join' || serf.type === 'leave') found.add(`serf-${serf.type}:${serf.node}`);
      else if (serf.type === 'user-event') found.add(`serf-event:${serf.name}`);
      else if (serf.type === 'query') found.add(`serf-query:${serf.name}`);
      else found.add(serf.serfType === 9 ? 'serf-relay' : `serf-type-${serf.serfType}`);
    } else found.add(m.type);
  }
  return [...found];
}

/** One datagram per wanted label: the first seen, preferring one that is not compressed. */
function pickPackets(packets: Recorded[], wanted: Array<[id: string, label: string, what: string]>): Vector[] {
  const described = packets.map((p) => ({ p, covers: covers(p.bytes, false) }));
  const picked: Vector[] = [];
  for (const [id, label, what] of wanted) {
    if (picked.some((v) => v.covers.includes(label))) continue;
    const having = described.filter((d) => d.covers.includes(label));
    const choice = label === 'compress' ? having[0] : (having.find((d) => !d.covers.includes('compress')) ?? having[0]);
    if (choice === undefined) {
      console.warn(`no datagram with ${label} (${what})`);
      continue;
    }
    picked.push({ id, transport: 'udp', direction: 'received', from: choice.p.from, what, covers: choice.covers, hex: Buffer.from(choice.p.bytes).toString('hex') });
  }
  return picked;
}

async function capture(generation: Generation): Promise<VectorFile> {
  const serf = serfBinary(generation);
  const dir = mkdtempSync(join(tmpdir(), 'ringside-vectors-'));
  // Agents on base..base+7, the observer on base+8, the encrypted agent on base+10; all below
  // 32768, so the relay header's port (a Go int) is 0xd1 in go-msgpack v2 and 0xcd in the old one.
  let base = 0;
  let endpoint: CaptureEndpoint | undefined;
  for (let attempt = 0; endpoint === undefined; attempt++) {
    base = 20_000 + 2 * randomInt(5000);
    try {
      await pickPorts(6, base);
      endpoint = await CaptureEndpoint.start({ name: OBSERVER_NAME, host: HOST, port: base + 8, incarnation: OBSERVER_INCARNATION, tags: { role: 'vector-capture', note: 'a tag value longer than thirty-one bytes' }, vsn: Uint8Array.of(1, 5, 2, 2, 5, 5) });
    } catch (error) {
      if (attempt > 20) throw error;
    }
  }
  const names = ['vector-1', 'vector-2', 'vector-3', 'vector-4'];
  const tagsOf = (i: number): Record<string, string> => ({ role: `role-${i + 1}`, zone: ['a', 'b', 'c'][i % 3] as string });
  const script: Script = {
    observer: { name: endpoint.identity.name, addr: HOST, port: endpoint.identity.port, incarnation: OBSERVER_INCARNATION, tags: endpoint.identity.tags, vsn: [...endpoint.identity.vsn] },
    agents: names.slice(0, 3),
    lateJoiner: 'vector-4',
    left: 'vector-2',
    killed: 'vector-3',
    event: { name: 'vector-event', payload: 'user event payload of more than 31 bytes, for str16', coalesce: false },
    queries: [
      { name: 'vector-query-2s', payload: 'query payload', timeoutNs: 2_000_000_000, relayFactor: 3 },
      { name: 'vector-query-10s', payload: 'query payload of more than 31 bytes, for str16', timeoutNs: 10_000_000_000, relayFactor: 0 },
    ],
    ping: { seqNo: 4_000_000_000, to: 'vector-1' },
    encrypted: { agent: 'vector-encrypted', key: randomBytes(32).toString('base64'), note: 'a throwaway key made for this capture only (its agent is gone); it guards nothing' },
  };
  const replies: Vector[] = [];
  const reply = (id: string, what: string, from: Agent, bytes: Uint8Array, keyring?: Keyring): void => {
    replies.push({ id, transport: 'tcp', direction: 'reply', from: from.bind, what, covers: covers(bytes, true, keyring), hex: Buffer.from(bytes).toString('hex') });
  };
  try {
    const agents: Agent[] = [];
    for (let i = 0; i < 3; i++) agents.push(await startAgent(serf, names[i] as string, base + 2 * i, base + 2 * i + 1, dir, tagsOf(i)));
    const [first, second, third] = agents as [Agent, Agent, Agent];
    for (const agent of [second, third]) await serfOk(serf, ['join', `-rpc-addr=${agent.rpc}`, first.bind]);
    await converge(serf, agents, Object.fromEntries(script.agents.map((n) => [n, 'alive'])), 'the three agents to converge');

    reply('tcp-push-pull-reply-poll', 'reply to a 0-node push-pull (what the passive observer sends)', first, await endpoint.exchange(HOST, first.port, pollRequest()));
    reply('tcp-push-pull-reply-join', "reply to the observer's push-pull join (Join=true, its alive state and Serf state)", first, await endpoint.exchange(HOST, first.port, encodePushPull(endpoint.localState(true))));
    await converge(serf, agents, { [script.observer.name]: 'alive' }, 'every agent to see the observer alive');

    const late = await startAgent(serf, script.lateJoiner, base + 6, base + 7, dir, tagsOf(3));
    await serfOk(serf, ['join', `-rpc-addr=${late.rpc}`, first.bind, `${HOST}:${endpoint.identity.port}`]);
    agents.push(late);
    await converge(serf, agents, Object.fromEntries([...names, script.observer.name].map((n) => [n, 'alive'])), 'all five members alive everywhere');
    const joined = await serfMembers(serf, first.rpc);

    endpoint.send(encodeMessage({ type: 'ping', seqNo: script.ping.seqNo, node: first.name, sourceAddr: Uint8Array.of(127, 0, 0, 1), sourcePort: endpoint.identity.port, sourceNode: script.observer.name }), HOST, first.port);
    const { event, queries } = script;
    await serfOk(serf, ['event', `-rpc-addr=${first.rpc}`, `-coalesce=${event.coalesce}`, event.name, event.payload]);
    await Promise.all(
      queries.map((q) => serfOk(serf, ['query', `-rpc-addr=${first.rpc}`, `-timeout=${q.timeoutNs / 1e9}s`, ...(q.relayFactor > 0 ? [`-relay-factor=${q.relayFactor}`] : []), q.name, q.payload], q.timeoutNs / 1e6 + 15_000)),
    );

    await serfOk(serf, ['leave', `-rpc-addr=${second.rpc}`]);
    await waitFor(() => !isSandboxAgent(second), { timeoutMs: 15_000, what: `${second.name} to exit after leaving` });
    const remaining = agents.filter((a) => a !== second && a !== third);
    await converge(serf, remaining, { [second.name]: 'left' }, `${second.name} to be seen as left`);
    signalAgent(third, 'SIGKILL');
    await converge(serf, remaining, { [third.name]: 'failed' }, `${third.name} to be seen as failed`);
    // The dead message goes out as gossip after the agents decide; give it a few gossip rounds.
    await waitFor(() => endpoint.packets.some((p) => covers(p.bytes, false).includes(`dead:${third.name}`)), { timeoutMs: 15_000, what: `the dead message about ${third.name}` });
    const final = await serfMembers(serf, first.rpc);
    reply('tcp-push-pull-reply-final', 'reply to a 0-node push-pull after the leave and the kill (left and dead node states)', first, await endpoint.exchange(HOST, first.port, pollRequest()));

    // One more agent, alone and encrypted: its push-pull reply checks the encryption layer.
    const configFile = join(dir, 'encrypted.json');
    writeSecretFile(configFile, `${JSON.stringify({ encrypt_key: script.encrypted.key })}\n`);
    const lone = await startAgent(serf, script.encrypted.agent, base + 10, base + 11, dir, tagsOf(0), configFile);
    const keyring = new Keyring([Buffer.from(script.encrypted.key, 'base64')]);
    reply('tcp-push-pull-reply-encrypted', `${lone.name}'s reply to an encrypted 0-node push-pull (AES-GCM, key in script.encrypted)`, lone, await endpoint.exchange(HOST, lone.port, pollRequest(), keyring), keyring);

    const o = script.observer.name;
    const wanted: Array<[string, string, string]> = [
      ['udp-ping', `ping:${o}`, 'a probe of the observer'],
      ['udp-ack-coordinate', 'ack+payload', `${first.name}'s ack to the observer's ping (payload: Serf's network coordinate)`],
      ['udp-alive-observer', `alive:${o}`, 'alive gossip about the observer (its own incarnation, port and tags)'],
      ['udp-alive-late-joiner', `alive:${late.name}`, `alive gossip about ${late.name}`],
      ['udp-serf-join-intent', `serf-join:${late.name}`, `Serf join intent of ${late.name}`],
      ['udp-serf-user-event', `serf-event:${event.name}`, 'Serf user event from `serf event`'],
      ['udp-serf-query-2s', `serf-query:${queries[0]?.name}`, 'Serf query from `serf query -timeout=2s -relay-factor=3`'],
      ['udp-serf-query-10s', `serf-query:${queries[1]?.name}`, 'Serf query from `serf query -timeout=10s`'],
      ['udp-serf-relay', 'serf-relay', 'a query ack relayed through the observer (relay header, then the query response)'],
      ['udp-serf-leave-intent', `serf-leave:${second.name}`, `Serf leave intent of ${second.name}`],
      ['udp-dead-leave', `dead-leave:${second.name}`, `dead message of ${second.name} from itself (a graceful leave)`],
      ['udp-suspect', `suspect:${third.name}`, `suspect message about ${third.name} after SIGKILL`],
      ['udp-indirect-ping', `indirect-ping:${third.name}`, `indirect probe request for ${third.name}`],
      ['udp-dead', `dead:${third.name}`, `dead message about ${third.name} (failure)`],
      ['udp-compressed', 'compress', 'an LZW-compressed datagram'],
      ['udp-compound', 'compound', 'a compound datagram'],
    ];
    const inbound = endpoint.streams.map((s) => ({ s, covers: covers(s.bytes, true) }));
    const joinRequest = inbound.find((i) => i.covers.includes('push-pull:join'));
    const periodic = inbound.find((i) => i.covers.includes('push-pull'));
    const streams: Vector[] = [];
    if (joinRequest) streams.push({ id: 'tcp-push-pull-join-request', transport: 'tcp', direction: 'received', from: joinRequest.s.from, what: `${late.name}'s push-pull join to the observer (\`serf join\`)`, covers: joinRequest.covers, hex: Buffer.from(joinRequest.s.bytes).toString('hex') });
    else console.warn('no push-pull join request arrived');
    if (periodic) streams.push({ id: 'tcp-push-pull-periodic', transport: 'tcp', direction: 'received', from: periodic.s.from, what: "an agent's periodic anti-entropy push-pull to the observer", covers: periodic.covers, hex: Buffer.from(periodic.s.bytes).toString('hex') });
    return { generation, provenance: provenance(generation, serf), script, members: { joined, final }, vectors: [...replies, ...streams, ...pickPackets(endpoint.packets, wanted)] };
  } finally {
    await endpoint.close();
    for (const agent of running.splice(0)) {
      signalAgent(agent, 'SIGTERM');
      await waitFor(() => !isSandboxAgent(agent), { timeoutMs: 5000 }).catch(() => signalAgent(agent, 'SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const generation = process.argv[2] as Generation;
if (!GENERATIONS.includes(generation)) {
  console.error(`usage: npx tsx test/vectors/capture.ts ${GENERATIONS.join('|')}`);
  process.exit(2);
}
const file = await capture(generation);
writeFileSync(vectorFileUrl(generation), `${JSON.stringify(file, null, 2)}\n`);
console.log(`wrote ${file.vectors.length} vectors to test/vectors/${generation}.json: ${file.vectors.map((v) => v.id).join(', ')}`);
