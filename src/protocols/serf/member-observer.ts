/**
 * Member observation (CLI `--mode member`): joins the gossip under its own name with the tag
 * `ringside=observer` and does a member's duties so the cluster never marks it failed
 * (memberlist.md 6.3): answers pings and indirect pings (with nacks), refutes suspicion of
 * itself with a higher incarnation (and Serf leave intents with a newer join intent), serves
 * TCP pings and push-pulls, and leaves gracefully: Serf leave intent first, then memberlist's
 * dead-from-self, never in one compound (receivers process a compound last-in first-out). With
 * --protocol memberlist it sends no Serf message at all (no join or leave intent, no Serf state):
 * a plain memberlist application would hand them to its own code; and it advertises the cluster's
 * own delegate versions (memberlist/versions.ts), read from a poll before it joins.
 *
 * It does not re-gossip other members' messages (nobody requires it); its own broadcasts go
 * directly to a few members, repeated over a few gossip intervals. It hears membership changes
 * as gossip, so it reports them as fast as the agents themselves; while a member is suspect it
 * also asks a healthy member for the verdict every second, in case the gossip carrying it missed
 * us (suspicion-watch.ts).
 */
import { randomInt } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import { formatHostPort, type HostPort } from '../../cluster/member.js';
import type { ClusterObserver, MemberView, ViewTarget } from '../../cluster/observer.js';
import { type Accusation, AccusationLog } from '../../cluster/accusations.js';
import { OBSERVER_TAG, OBSERVER_TAG_VALUE } from '../../cluster/ring-members.js';
import { RingsideError } from '../../errors.js';
import { MsgpackError } from '../msgpack/decode.js';
import { OBSERVER_DEFAULTS } from '../memberlist/config.js';
import { encodeMessage, type Message } from '../memberlist/messages.js';
import { decodePacket, encodeCompound, sealPacket } from '../memberlist/packet.js';
import { encodePushPull, type PushNodeState, type PushPull } from '../memberlist/push-pull.js';
import { openStream, sealStream, StreamError } from '../memberlist/stream.js';
import { PacketSocket, StreamListener } from '../memberlist/transport.js';
import { vsnAcceptedBy } from '../memberlist/versions.js';
import { LamportClock } from './clock.js';
import { exchangeFailure, type GossipOptions, pushPullWith, type RemoteView, wireOptions } from './exchange.js';
import { ipString } from './membership.js';
import { decodeSerfMessage, decodeSerfPushPull, encodeJoinIntent, encodeLeaveIntent, encodeSerfPushPull } from './messages.js';
import { ObservedMembership } from './observed-membership.js';
import { askSerfView, serfViewTargets } from './views.js';
import { ipBytes, observerName } from './member-identity.js';
import { ProbeRelay } from './probe-relay.js';
import { SuspicionWatch } from './suspicion-watch.js';
import { encodeTags } from './tags.js';
import { TimerSet } from './timer-set.js';

export interface MemberObserverOptions extends GossipOptions {
  seeds: HostPort[];
  /** Where to listen for UDP and TCP (the same port); port 0 picks a free one. */
  bind: HostPort;
  /** The IP address members reach us at (defaults to the bind address). */
  advertise: string;
  name?: string;
  tags?: Record<string, string>;
}

export class MemberObserver extends ObservedMembership implements ClusterObserver {
  readonly mode = 'member' as const;
  readonly seeds: readonly string[];
  readonly name: string;
  private readonly clock = new LamportClock();
  private readonly eventClock = new LamportClock();
  private readonly queryClock = new LamportClock();
  private readonly timers = new TimerSet();
  private readonly meta: Uint8Array;
  /** Keyring and label, as the packet and stream codecs take them. */
  private readonly wire: ReturnType<typeof wireOptions>;
  private readonly addr: Uint8Array;
  private incarnation: number;
  /** What we advertise: Serf's versions, or (--protocol memberlist) the cluster's delegate versions once read. */
  private vsn: Uint8Array = OBSERVER_DEFAULTS.vsn;
  private versionsRead = false;
  private statusLTime = 0;
  private leaving = false;
  private starting: Promise<void> | undefined;
  private joinedAt = 0;
  private stopping: Promise<void> | undefined;
  private udp: PacketSocket | undefined;
  private tcp: StreamListener | undefined;
  private port = 0;
  /** Every suspect and dead message heard, with its accuser (`From`), for `diagnose`. */
  private readonly accusationLog = new AccusationLog();
  private readonly suspicions = new SuspicionWatch({ afterMs: OBSERVER_DEFAULTS.verdictAfterMs, everyMs: OBSERVER_DEFAULTS.verdictEveryMs, giveUpMs: OBSERVER_DEFAULTS.verdictGiveUpMs });
  private syncing = false;
  private readonly relay = new ProbeRelay({
    send: (message, host, port) => this.send(message, host, port),
    self: () => ({ addr: this.addr, port: this.port, name: this.name }),
    timers: this.timers,
  });

  constructor(private readonly options: MemberObserverOptions) {
    super(options.flavour);
    this.seeds = options.seeds.map(formatHostPort);
    this.name = options.name ?? observerName();
    this.wire = wireOptions(options);
    this.meta = encodeTags({ ...(options.tags ?? {}), [OBSERVER_TAG]: OBSERVER_TAG_VALUE });
    this.addr = ipBytes(options.advertise);
    // Agents remember a name's last incarnation; starting from the clock beats any earlier one.
    this.incarnation = Math.floor(Date.now() / 1000) >>> 0;
  }

  get protocol(): 'serf' | 'memberlist' {
    return this.options.flavour;
  }

  /** The address other members reach this observer at. */
  get address(): string {
    return formatHostPort({ host: this.options.advertise, port: this.port });
  }

  start(): Promise<void> {
    this.starting ??= this.join();
    return this.starting;
  }

  private async join(): Promise<void> {
    await this.listen();
    const deadline = Date.now() + this.options.timeoutMs;
    let failure: RingsideError | undefined;
    for (const seed of this.options.seeds) {
      if (deadline - Date.now() <= 0) break;
      try {
        // A plain memberlist cluster refuses every merge that lists a member outside its delegate
        // versions (its own anti-entropy too): read them from a poll before joining (versions.ts).
        if (this.options.flavour === 'memberlist' && !this.versionsRead) await this.readVersions(seed, deadline - Date.now());
        this.enterTable();
        const startedAt = Date.now();
        const reply = await this.exchange(seed, true, Math.max(1, deadline - Date.now()));
        this.rememberReply({ name: formatHostPort(seed), addr: formatHostPort(seed), seed: true }, reply, startedAt);
        this.mergeView(reply);
        this.joinedAt = Date.now();
        this.announce();
        this.timers.every(OBSERVER_DEFAULTS.pushPullIntervalMs, () => void this.antiEntropy());
        this.timers.every(OBSERVER_DEFAULTS.verdictCheckMs, () => this.askVerdict());
        return;
      } catch (error) {
        failure = exchangeFailure(formatHostPort(seed), error, this.options.label);
      }
    }
    await this.close();
    throw failure ?? new RingsideError('RS_UNREACHABLE', 'no seed could be joined', 'check --join and --timeout');
  }

  /** Polls `seed` (a push-pull listing no node, merged by nobody) and speaks the delegate versions its state accepts. */
  private async readVersions(seed: HostPort, timeoutMs: number): Promise<void> {
    const startedAt = Date.now();
    const reply = await this.counted(() => pushPullWith(seed.host, seed.port, { join: false, nodes: [], userState: new Uint8Array(0) }, { ...this.options, timeoutMs: Math.max(1, timeoutMs) }));
    this.rememberReply({ name: formatHostPort(seed), addr: formatHostPort(seed), seed: true }, reply, startedAt);
    this.vsn = vsnAcceptedBy(this.vsn, reply.pushPull.nodes);
    this.versionsRead = true;
  }

  /** Our own record and join intent, once, before the first join attempt sends them. */
  private enterTable(): void {
    if (this.table.record(this.name)) return;
    this.table.applyAlive(this.selfAlive());
    this.statusLTime = this.clock.increment();
    this.table.applyIntent('join', this.name, this.statusLTime);
  }

  accusations(): Accusation[] {
    return this.accusationLog.list();
  }

  viewTargets(): ViewTarget[] {
    return serfViewTargets(this.table, this.options.seeds, this.name);
  }

  askView(target: ViewTarget): Promise<MemberView> {
    return askSerfView(target, this.options.flavour, (hp) => this.exchange(hp, false, this.options.timeoutMs));
  }

  /** Leaves gracefully (Serf leave intent, then memberlist dead-from-self), then closes. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.leaveAndClose();
    return this.stopping;
  }

  private async leaveAndClose(): Promise<void> {
    // Interrupted while joining: finish joining first, so the leave reaches the members who know us.
    await this.starting?.catch(() => undefined);
    if (this.stopped) return;
    this.clearListeners();
    if (this.udp && !this.leaving) {
      // Members learn of a new member by gossip within a few rounds; a leave sent before that is
      // ignored by those that do not know us yet.
      const sinceJoin = Date.now() - this.joinedAt;
      if (sinceJoin < OBSERVER_DEFAULTS.joinSettleMs) await this.timers.sleep(OBSERVER_DEFAULTS.joinSettleMs - sinceJoin);
      this.leaving = true;
      // Serf's leave intent is a memberlist user message: only a Serf cluster reads it as one; a
      // plain memberlist application would hand it to its own code (--protocol memberlist).
      if (this.options.flavour === 'serf') {
        this.statusLTime = this.clock.increment();
        await this.broadcast([encodeMessage({ type: 'user', payload: encodeLeaveIntent(this.statusLTime, this.name) })]);
      }
      await this.broadcast([encodeMessage({ type: 'dead', incarnation: this.incarnation, node: this.name, from: this.name })]);
      await this.timers.sleep(OBSERVER_DEFAULTS.leavePropagateMs);
    }
    await this.close();
  }

  private async close(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timers.clear();
    await Promise.all([this.udp?.close(), this.tcp?.close()]);
  }

  private async listen(): Promise<void> {
    const { host, port } = this.options.bind;
    const limits = { timeoutMs: 10_000, maxBytes: OBSERVER_DEFAULTS.maxStreamBytes + 1024 };
    // TCP first (port 0 picks one), then UDP on the same port; retry if UDP's is taken.
    for (let attempt = 0; attempt < 5; attempt++) {
      const tcp = await StreamListener.listen(host, port, (data, remote) => this.onStream(data, remote), limits).catch((error: NodeJS.ErrnoException) => {
        throw new RingsideError('RS_USAGE', `cannot listen on ${formatHostPort(this.options.bind)} (${error.code ?? error.message})`, 'choose another --bind address or port');
      });
      try {
        this.udp = await PacketSocket.bind(host, tcp.port, (data, from) => this.onPacket(data, from));
        this.tcp = tcp;
        this.port = tcp.port;
        return;
      } catch (error) {
        await tcp.close();
        if (port !== 0) throw new RingsideError('RS_USAGE', `cannot listen on udp ${formatHostPort(this.options.bind)} (${(error as NodeJS.ErrnoException).code})`, 'choose another --bind port');
      }
    }
    throw new RingsideError('RS_USAGE', 'could not find a port free for both UDP and TCP', 'give --bind HOST:PORT');
  }

  private selfAlive(): PushNodeState & { node: string } {
    return { node: this.name, name: this.name, addr: this.addr, port: this.port, meta: this.meta, vsn: this.vsn, incarnation: this.incarnation, state: 'alive' };
  }

  /** Our side of a push-pull: only ourselves, and our own Serf intent. */
  private localState(join: boolean): PushPull {
    const self = this.selfAlive();
    const userState =
      this.options.flavour === 'serf'
        ? encodeSerfPushPull({ ltime: this.clock.time, self: this.name, selfLTime: this.statusLTime, leaving: this.leaving, eventLTime: this.eventClock.time, queryLTime: this.queryClock.time })
        : new Uint8Array(0);
    return { join, nodes: [{ ...self, state: this.leaving ? 'left' : 'alive' }], userState };
  }

  private exchange(target: HostPort, join: boolean, timeoutMs: number): Promise<RemoteView> {
    return this.counted(() => pushPullWith(target.host, target.port, this.localState(join), { ...this.options, timeoutMs }));
  }

  /** While a member has been suspect a while, a push-pull with one we hold alive for the verdict (suspicion-watch.ts). */
  private askVerdict(): void {
    const suspects = this.table.names().filter((n) => n !== this.name && this.table.record(n)?.state === 'suspect');
    if (this.suspicions.due(suspects, Date.now())) void this.antiEntropy('alive');
  }

  /** One push-pull with a random member (alive or suspect; with 'alive', alive only), one at a time. */
  private async antiEntropy(only?: 'alive'): Promise<void> {
    const peers = this.peerTargets().filter((p) => only === undefined || this.table.record(p.view.name)?.state === 'alive');
    const peer = peers[randomInt(Math.max(1, peers.length))];
    if (!peer || this.leaving || this.syncing) return;
    this.syncing = true;
    try {
      const startedAt = Date.now();
      const reply = await this.exchange(peer.target, false, this.options.timeoutMs);
      this.rememberReply(peer.view, reply, startedAt);
      this.mergeView(reply);
    } catch {
      // Counted as an exchange failure (stats); the next round picks another member.
    } finally {
      this.syncing = false;
    }
  }

  /** Merges a member's full state, refuting anything it says about us. */
  private mergeView(view: RemoteView): void {
    if (view.serf) {
      this.clock.witness(view.serf.ltime - 1);
      this.eventClock.witness(view.serf.eventLTime - 1);
      this.queryClock.witness(view.serf.queryLTime - 1);
    }
    const self = view.pushPull.nodes.find((n) => n.name === this.name);
    const others = { ...view.pushPull, nodes: view.pushPull.nodes.filter((n) => n.name !== this.name) };
    // A member listed above an accusation's incarnation refuted it, though we missed its alive.
    const at = Date.now();
    for (const n of others.nodes) this.accusationLog.alive(n.name, n.incarnation, at);
    let changed = this.table.applyView(others, view.serf ? { ...view.serf, statusLTimes: new Map([...view.serf.statusLTimes].filter(([n]) => n !== this.name)) } : undefined);
    if (self && self.incarnation >= this.incarnation && (self.state !== 'alive' || self.incarnation > this.incarnation)) this.refute(self.incarnation);
    if (view.serf?.leftMembers.includes(this.name) && !this.leaving) this.reassertJoin();
    changed = this.restoreSelf() || changed;
    if (changed) this.notify();
  }

  /** Logs a suspect or dead message's accusation; refuted as heard when we already know the member at a higher incarnation (relayed to us late). */
  private heardAccusation(message: { type: 'suspect' | 'dead'; node: string; incarnation: number; from: string }): void {
    const at = Date.now();
    this.accusationLog.accuse(message.type, message.node, message.incarnation, message.from, at);
    const known = this.table.record(message.node);
    if (known) this.accusationLog.alive(message.node, known.incarnation, at);
  }

  /** Keeps our own record alive in the table whatever others said. */
  private restoreSelf(): boolean {
    const own = this.table.record(this.name);
    if (own && own.state === 'alive' && own.incarnation === this.incarnation) return false;
    this.table.applyAlive(this.selfAlive());
    return true;
  }

  /** Members to push-pull with, with their names: alive or suspect, not us. */
  private peerTargets(): Array<{ target: HostPort; view: ViewTarget }> {
    const out: Array<{ target: HostPort; view: ViewTarget }> = [];
    for (const name of this.table.names()) {
      if (name === this.name) continue;
      const record = this.table.record(name);
      if (!record || record.reaped || (record.state !== 'alive' && record.state !== 'suspect')) continue;
      const host = ipString(record.addr);
      if (host) out.push({ target: { host, port: record.port }, view: { name, addr: formatHostPort({ host, port: record.port }), seed: false } });
    }
    return out;
  }

  /** Members to talk to: alive or suspect, not us. */
  private peers(): HostPort[] {
    return this.peerTargets().map((p) => p.target);
  }

  private announce(): void {
    void this.broadcast([encodeMessage({ type: 'alive', ...this.selfAlive() }), ...(this.options.flavour === 'serf' ? [encodeMessage({ type: 'user', payload: encodeJoinIntent(this.statusLTime, this.name) })] : [])]);
  }

  /** SWIM refutation: an incarnation above the accusation, announced directly. */
  private refute(accused: number): void {
    this.incarnation = Math.max(this.incarnation + 1, accused + 1) >>> 0;
    this.table.applyAlive(this.selfAlive());
    void this.broadcast([encodeMessage({ type: 'alive', ...this.selfAlive() })]);
  }

  /** Serf-level refutation of a leave intent about us: a newer join intent. */
  private reassertJoin(): void {
    this.statusLTime = this.clock.increment();
    this.table.applyIntent('join', this.name, this.statusLTime);
    void this.broadcast([encodeMessage({ type: 'user', payload: encodeJoinIntent(this.statusLTime, this.name) })]);
  }

  /** Sends messages (one compound) to a few members, several rounds apart. */
  private async broadcast(messages: Uint8Array[]): Promise<void> {
    const body = messages.length === 1 ? (messages[0] as Uint8Array) : encodeCompound(messages);
    const packet = sealPacket(body, { ...this.wire, crc: true });
    for (let round = 0; round < OBSERVER_DEFAULTS.broadcastRounds && !this.stopped; round++) {
      const peers = this.peers();
      for (let i = peers.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [peers[i], peers[j]] = [peers[j] as HostPort, peers[i] as HostPort];
      }
      for (const peer of peers.slice(0, OBSERVER_DEFAULTS.broadcastFanout)) this.udp?.send(packet, peer.host, peer.port);
      if (round + 1 < OBSERVER_DEFAULTS.broadcastRounds) await this.timers.sleep(OBSERVER_DEFAULTS.broadcastIntervalMs);
    }
  }

  private send(message: Message, host: string, port: number): void {
    const packet = sealPacket(encodeMessage(message), this.wire);
    this.udp?.send(packet, host, port);
  }

  private onPacket(data: Uint8Array, from: RemoteInfo): void {
    if (this.stopped) return;
    this.counters.packetsReceived++;
    const decoded = decodePacket(data, this.wire);
    for (const reason of decoded.dropped) this.drops.add(reason);
    let changed = false;
    for (const message of decoded.messages) {
      try {
        changed = this.handle(message, from) || changed;
      } catch (error) {
        if (!(error instanceof MsgpackError)) throw error;
        this.drops.add(error.message);
      }
    }
    if (changed) this.notify();
  }

  /** Handles one gossip message; returns whether the membership changed. */
  private handle(message: Message, from: RemoteInfo): boolean {
    switch (message.type) {
      case 'ping': {
        if (message.node !== '' && message.node !== this.name) return false;
        const to = message.sourceAddr && message.sourcePort ? { host: ipString(message.sourceAddr), port: message.sourcePort } : { host: from.address, port: from.port };
        if (to.host) this.send({ type: 'ack', seqNo: message.seqNo, payload: new Uint8Array(0) }, to.host, to.port);
        return false;
      }
      case 'indirect-ping':
        this.relay.forward(message, from);
        return false;
      case 'ack':
        this.relay.acked(message.seqNo);
        return false;
      case 'nack':
      case 'err':
        return false;
      case 'alive':
        this.accusationLog.alive(message.node, message.incarnation, Date.now());
        if (message.node === this.name) {
          const same = message.incarnation === this.incarnation && Buffer.compare(Buffer.from(message.meta), Buffer.from(this.meta)) === 0;
          if (message.incarnation >= this.incarnation && !same && !this.leaving) this.refute(message.incarnation);
          return false;
        }
        return this.table.applyAlive(message);
      case 'suspect':
      case 'dead':
        this.heardAccusation(message);
        if (message.node === this.name) {
          if (message.incarnation >= this.incarnation && !this.leaving) this.refute(message.incarnation);
          return false;
        }
        return message.type === 'suspect' ? this.table.applySuspect(message) : this.table.applyDead(message);
      case 'user':
        return this.handleSerf(message.payload);
    }
  }

  private handleSerf(payload: Uint8Array): boolean {
    if (this.options.flavour !== 'serf' || payload.length === 0) return false;
    const message = decodeSerfMessage(payload);
    switch (message.type) {
      case 'join':
      case 'leave':
        this.clock.witness(message.ltime);
        if (message.node === this.name) {
          if (message.type === 'leave' && !this.leaving) this.reassertJoin();
          return false;
        }
        return this.table.applyIntent(message.type, message.node, message.ltime);
      case 'user-event':
        this.eventClock.witness(message.ltime);
        return false;
      case 'query':
        this.queryClock.witness(message.ltime);
        return false;
      default:
        return false;
    }
  }

  /** TCP: a ping gets an ack; a push-pull gets our state and is merged. */
  private onStream(data: Uint8Array, remote: { address: string; port: number }): Uint8Array | null | undefined {
    const options = this.wire;
    let message;
    try {
      message = openStream(data, { ...options, acceptLabel: true });
    } catch (error) {
      // A message still arriving decodes as truncated; anything else is not for us.
      if (error instanceof StreamError && error.code === 'malformed') return undefined;
      this.drops.add(error instanceof Error ? `stream from ${remote.address}: ${error.message}` : 'stream error');
      return null;
    }
    switch (message.type) {
      case 'ping':
        if (message.ping.node !== '' && message.ping.node !== this.name) return null;
        return sealStream(encodeMessage({ type: 'ack', seqNo: message.ping.seqNo, payload: new Uint8Array(0) }), { ...options, dialer: false });
      case 'push-pull': {
        const reply = sealStream(encodePushPull({ ...this.localState(message.pushPull.join), join: message.pushPull.join }), { ...options, dialer: false });
        try {
          this.mergeView({ pushPull: message.pushPull, ...(this.options.flavour === 'serf' && message.pushPull.userState.length > 0 ? { serf: decodeSerfPushPull(message.pushPull.userState) } : {}) });
        } catch (error) {
          if (!(error instanceof MsgpackError)) throw error;
          this.drops.add(`push-pull from ${remote.address}: ${error.message}`);
        }
        return reply;
      }
      default:
        return null;
    }
  }

}
