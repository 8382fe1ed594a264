/**
 * Reassembles fragmented calls (ringpop.md 1.7): the last chunk of a frame flagged "more" may
 * continue in the next continuation frame; checksums chain across frames. Bounded: at most
 * `maxMessageBytes` per message and `maxPending` messages in progress. Pure.
 */
import { argsChecksum, CHECKSUM_FARMHASH } from './checksum.js';
import { TChannelDecodeError } from './frame.js';
import type { CallFragment, Headers } from './messages.js';

export interface AssembledCall {
  kind: 'req' | 'res';
  id: number;
  code: number;
  service: string;
  ttlMs: number;
  headers: Headers;
  checksumType: number;
  args: [Buffer, Buffer, Buffer];
}

interface Partial {
  head: CallFragment;
  args: Buffer[][];
  open: boolean;
  bytes: number;
  checksum: number;
}

export interface AssemblerLimits {
  maxMessageBytes: number;
  maxPending: number;
}

export const DEFAULT_ASSEMBLER_LIMITS: AssemblerLimits = { maxMessageBytes: 32 * 1024 * 1024, maxPending: 64 };

export class CallAssembler {
  private readonly pending = new Map<string, Partial>();

  constructor(private readonly limits: AssemblerLimits = DEFAULT_ASSEMBLER_LIMITS) {}

  /** Adds a fragment; returns the whole call once its last fragment arrived. */
  add(fragment: CallFragment): AssembledCall | undefined {
    const key = `${fragment.kind}:${fragment.id}`;
    let state = this.pending.get(key);
    if (fragment.first) {
      if (state) throw new TChannelDecodeError(`message ${fragment.id} started twice`);
      if (this.pending.size >= this.limits.maxPending) throw new TChannelDecodeError(`more than ${this.limits.maxPending} fragmented messages in progress`);
      state = { head: fragment, args: [], open: false, bytes: 0, checksum: 0 };
    } else if (!state) {
      throw new TChannelDecodeError(`continuation frame for unknown message ${fragment.id}`);
    } else if (fragment.checksumType !== state.head.checksumType) {
      throw new TChannelDecodeError(`message ${fragment.id} changed checksum type between frames`);
    }
    if (fragment.checksumType !== CHECKSUM_FARMHASH || fragment.chunks.length > 0) {
      const expected = argsChecksum(state.head.checksumType, fragment.chunks, state.checksum);
      if (expected !== fragment.checksum) throw new TChannelDecodeError(`invalid checksum on message ${fragment.id} (type ${fragment.checksumType})`);
      state.checksum = expected;
    }
    fragment.chunks.forEach((chunk, i) => {
      state.bytes += chunk.length;
      if (i === 0 && state.open) (state.args[state.args.length - 1] as Buffer[]).push(Buffer.from(chunk));
      else state.args.push([Buffer.from(chunk)]);
    });
    if (state.args.length > 3) throw new TChannelDecodeError(`message ${fragment.id} has more than 3 args`);
    if (state.bytes > this.limits.maxMessageBytes) throw new TChannelDecodeError(`message ${fragment.id} exceeds ${this.limits.maxMessageBytes} bytes`);
    state.open = fragment.more;
    if (fragment.more) {
      this.pending.set(key, state);
      return undefined;
    }
    this.pending.delete(key);
    const args = [0, 1, 2].map((i) => Buffer.concat(state.args[i] ?? [])) as [Buffer, Buffer, Buffer];
    const { head } = state;
    return { kind: head.kind, id: head.id, code: head.code ?? 0, service: head.service ?? '', ttlMs: head.ttlMs ?? 0, headers: head.headers ?? {}, checksumType: head.checksumType, args };
  }

  /** Forgets a message in progress (its caller gave up). */
  drop(kind: 'req' | 'res', id: number): void {
    this.pending.delete(`${kind}:${id}`);
  }

  get inProgress(): number {
    return this.pending.size;
  }
}
