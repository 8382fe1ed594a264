/**
 * SWIM's indirect probe, the member observer's side (memberlist.md 6.3): a member that could not
 * reach a target asks us to ping it; we ping it under our own sequence number and relay its ack
 * back, or a nack after the probe timeout when the requester asked for one.
 */
import type { RemoteInfo } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { OBSERVER_DEFAULTS } from '../memberlist/config.js';
import type { Message } from '../memberlist/messages.js';
import { ipString } from './membership.js';
import type { TimerSet } from './timer-set.js';

export interface ProbeRelayContext {
  send(message: Message, host: string, port: number): void;
  /** Our own address, port and name, as the pings we send carry them. */
  self(): { addr: Uint8Array; port: number; name: string };
  timers: TimerSet;
}

export class ProbeRelay {
  private readonly pending = new Map<number, () => void>();
  private seq = randomInt(1 << 30);

  constructor(private readonly context: ProbeRelayContext) {}

  /** An ack arrived: if it answers one of our relayed pings, pass it on. */
  acked(seqNo: number): void {
    this.pending.get(seqNo)?.();
  }

  forward(request: Extract<Message, { type: 'indirect-ping' }>, from: RemoteInfo): void {
    const { send, timers } = this.context;
    const target = ipString(request.target);
    const replyTo = request.sourceAddr && request.sourcePort ? { host: ipString(request.sourceAddr), port: request.sourcePort } : { host: from.address, port: from.port };
    if (!target || !replyTo.host) return;
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const timer = timers.after(OBSERVER_DEFAULTS.probeTimeoutMs, () => {
      this.pending.delete(seq);
      if (request.nack) send({ type: 'nack', seqNo: request.seqNo }, replyTo.host, replyTo.port);
    });
    this.pending.set(seq, () => {
      timers.cancel(timer);
      this.pending.delete(seq);
      send({ type: 'ack', seqNo: request.seqNo, payload: new Uint8Array(0) }, replyTo.host, replyTo.port);
    });
    const self = this.context.self();
    send({ type: 'ping', seqNo: seq, node: request.node, sourceAddr: self.addr, sourcePort: self.port, sourceNode: self.name }, target, request.port);
  }
}
