// memberlist's layers as pure codecs: messages, compound, CRC, compression, encryption, streams,
// push-pull. Interop with real Serf agents is proven in test/live; these pin the edge cases.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lzwCompress } from '../../src/protocols/memberlist/lzw.js';
import { decodeMessage, encodeMessage, type Message, MSG } from '../../src/protocols/memberlist/messages.js';
import { decodePacket, encodeCompound, sealPacket } from '../../src/protocols/memberlist/packet.js';
import { decodePushPull, encodePushPull, pollRequest, type PushPull } from '../../src/protocols/memberlist/push-pull.js';
import { DecryptError, Keyring } from '../../src/protocols/memberlist/security.js';
import { openStream, sealStream, StreamError } from '../../src/protocols/memberlist/stream.js';
import { clusterDelegateVersions, vsnAcceptedBy } from '../../src/protocols/memberlist/versions.js';
import { encodeValue } from '../../src/protocols/msgpack/encode.js';

const vsn = Uint8Array.of(1, 5, 2, 2, 5, 5);
const key = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill);

const samples: Message[] = [
  { type: 'ping', seqNo: 7, node: 'n2-with-a-rather-long-node-name-over-32', sourceAddr: Uint8Array.of(127, 0, 0, 1), sourcePort: 7946, sourceNode: 'n1' },
  { type: 'ping', seqNo: 0, node: '' },
  { type: 'indirect-ping', seqNo: 9, target: Uint8Array.of(10, 0, 0, 2), port: 7946, node: 'n2', nack: true },
  { type: 'ack', seqNo: 4294967295, payload: Uint8Array.of(1, 2, 3) },
  { type: 'nack', seqNo: 3 },
  { type: 'suspect', incarnation: 5, node: 'n3', from: 'n1' },
  { type: 'dead', incarnation: 5, node: 'n3', from: 'n3' },
  { type: 'alive', incarnation: 1, node: 'n4', addr: Uint8Array.of(127, 0, 0, 1), port: 7947, meta: Uint8Array.of(0xff, 0x80), vsn },
  { type: 'user', payload: Uint8Array.of(1, 0x82) },
  { type: 'err', error: 'Encryption is configured but remote state is not encrypted' },
];

describe('messages', () => {
  it.each(samples.map((m) => [m.type, m] as const))('%s round-trips', (_type, message) => {
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
  });

  it('writes the ping memberlist.md captured, byte for byte (39-byte name as str16)', () => {
    const hex = (text: string): string => Buffer.from(text).toString('hex');
    // 00 85 a4"Node" da0027"n2-..." a5"SeqNo" 07 aa"SourceAddr" a4 7f000001 aa"SourceNode" a2"n1" aa"SourcePort" cd 1f0a
    const expected = ['00', '85', `a4${hex('Node')}`, `da0027${hex('n2-with-a-rather-long-node-name-over-32')}`, `a5${hex('SeqNo')}`, '07', `aa${hex('SourceAddr')}`, 'a47f000001', `aa${hex('SourceNode')}`, `a2${hex('n1')}`, `aa${hex('SourcePort')}`, 'cd1f0a'];
    expect(Buffer.from(encodeMessage(samples[0] as Message)).toString('hex')).toBe(expected.join(''));
  });

  it('sends a nil ack payload, as Serf expects from non-Serf members', () => {
    expect(Buffer.from(encodeMessage({ type: 'ack', seqNo: 1, payload: new Uint8Array(0) })).toString('hex')).toBe('0282a75061796c6f6164c0a55365714e6f01');
  });

  it('refuses to send an alive with a Vsn that is not 6 bytes (it can crash memberlist 0.2.2)', () => {
    expect(() => encodeMessage({ ...(samples[7] as Extract<Message, { type: 'alive' }>), vsn: Uint8Array.of(1, 5, 2) })).toThrow(/6|Vsn/);
  });
});

describe('packets', () => {
  const ping = encodeMessage(samples[1] as Message);
  const alive = encodeMessage(samples[7] as Message);

  it('reads compound, CRC and compressed layers in any nesting', () => {
    const compound = encodeCompound([ping, alive]);
    const compressed = Uint8Array.from([MSG.compress, ...encodeValue({ Algo: 0, Buf: lzwCompress(compound) })]);
    for (const body of [compound, compressed, encodeCompound([compressed, ping])]) {
      const packet = sealPacket(body, { crc: true });
      expect(packet[0]).toBe(MSG.hasCrc);
      const { messages, dropped } = decodePacket(packet, {});
      expect(dropped).toEqual([]);
      expect(messages.map((m) => m.type)).toEqual(body === compound || body === compressed ? ['ping', 'alive'] : ['ping', 'alive', 'ping']);
    }
  });

  it('drops what it cannot read and counts why, without throwing', () => {
    const badCrc = sealPacket(ping, { crc: true });
    badCrc[1] = (badCrc[1] as number) ^ 0xff;
    const truncated = encodeCompound([ping, alive]).subarray(0, 20);
    const cases: [Uint8Array, RegExp][] = [
      [badCrc, /CRC mismatch/],
      [truncated, /compound truncated/],
      [Uint8Array.of(MSG.compound, 1, 0, 0), /empty message/],
      [Uint8Array.of(MSG.pushPull, 0x80), /not valid in a packet/],
      [Uint8Array.of(200, 1, 2), /200/],
      [Uint8Array.of(MSG.ping, 0xc1), /./],
      [new Uint8Array(0), /empty/],
    ];
    for (const [packet, reason] of cases) {
      const { messages, dropped } = decodePacket(packet, {});
      expect(dropped.join(' ')).toMatch(reason);
      expect(messages.filter((m) => m.type === 'alive')).toEqual([]);
    }
  });

  it('refuses to build compounds that crash memberlist 0.2.2', () => {
    expect(() => encodeCompound([ping, new Uint8Array(0)])).toThrow(/1 to 65535/);
    expect(() => encodeCompound(Array(128).fill(ping))).toThrow(/1 to 127/);
    expect(() => sealPacket(new Uint8Array(0), {})).toThrow(/empty/);
  });

  it('encrypts whole datagrams (no type byte, no AAD) and rejects other keys', () => {
    const keyring = new Keyring([key(32)]);
    const packet = sealPacket(ping, { keyring });
    expect(packet[0]).toBe(1);
    expect(packet.length).toBe(ping.length + 29);
    expect(decodePacket(packet, { keyring }).messages).toEqual([samples[1]]);
    expect(decodePacket(packet, { keyring: new Keyring([key(32, 8)]) }).dropped).toEqual(['no installed key could decrypt the message']);
    expect(decodePacket(packet, {}).messages).toEqual([]);
  });

  it('checks gossip labels (memberlist >= 0.3.0) and uses them as AAD', () => {
    const keyring = new Keyring([key(16)]);
    const labelled = sealPacket(ping, { keyring, label: 'prod' });
    expect(Buffer.from(labelled.subarray(0, 6)).toString('latin1')).toBe('\xf4\x04prod');
    expect(decodePacket(labelled, { keyring, label: 'prod' }).messages).toHaveLength(1);
    expect(decodePacket(labelled, { keyring }).dropped.join()).toMatch(/label/);
    expect(decodePacket(sealPacket(ping, { keyring }), { keyring, label: 'prod' }).dropped.join()).toMatch(/label/);
  });

  it('says exactly which gossip label a dropped packet carried, and which one ringside has', () => {
    const labelled = sealPacket(ping, { label: 'partition-a' });
    expect(decodePacket(labelled, {}).dropped).toEqual(['packet carries gossip label "partition-a", but no --gossip-label was given']);
    expect(decodePacket(labelled, { label: 'partition-b' }).dropped).toEqual(['packet carries gossip label "partition-a", but --gossip-label is "partition-b"']);
    expect(decodePacket(ping, { label: 'partition-b' }).dropped).toEqual(['packet has no gossip label, but --gossip-label is "partition-b"']);
  });

  it('reads gossip as memberlist sends it to a protocol-5 member: CRC, then compression, then a compound', () => {
    // A Consul-style node: Serf tags filling the 512-byte Meta limit, Vsn speaking protocol 5 and delegate 4.
    const tags = encodeValue(new Map([['node', 'ml-2'], ['pad', 'x'.repeat(493)]]));
    const meta = Uint8Array.from([0xff, ...tags]);
    expect(meta.length).toBe(512);
    const alive: Message = { type: 'alive', incarnation: 3, node: 'ml-2', addr: Uint8Array.of(127, 0, 0, 1), port: 7946, meta, vsn: Uint8Array.of(1, 5, 5, 2, 5, 4) };
    const suspect: Message = { type: 'suspect', incarnation: 1, node: 'ml-3', from: 'ml-1' };
    const compound = encodeCompound([encodeMessage(alive), encodeMessage(suspect)]);
    const body = Uint8Array.from([MSG.compress, ...encodeValue({ Algo: 0, Buf: lzwCompress(compound) })]);
    const keyring = new Keyring([key(32)]);
    for (const options of [{}, { keyring }, { keyring, label: 'partition-a' }]) {
      const packet = sealPacket(body, { ...options, crc: true });
      expect(decodePacket(packet, options)).toEqual({ messages: [alive, suspect], dropped: [] });
    }
  });
});

describe('encryption', () => {
  it('round-trips AES-128/192/256 and tries every key of the keyring', () => {
    for (const size of [16, 24, 32]) {
      const sender = new Keyring([key(size, 1)]);
      const receiver = new Keyring([key(32, 9), key(size, 1)]);
      const plain = Uint8Array.of(1, 2, 3, 4, 5);
      expect(receiver.decrypt(sender.encrypt(plain, Uint8Array.of(9)), Uint8Array.of(9))).toEqual(plain);
      expect(() => receiver.decrypt(sender.encrypt(plain, Uint8Array.of(9)), Uint8Array.of(8))).toThrow(DecryptError);
    }
  });

  it('reads version 0 messages (PKCS#7 padded), as memberlist protocol 1 senders write them', async () => {
    const { createCipheriv } = await import('node:crypto');
    const k = key(32, 3);
    const nonce = new Uint8Array(12).fill(4);
    const plain = Uint8Array.of(0, 0x80);
    const padded = Uint8Array.from([...plain, ...Array(14).fill(14)]);
    const cipher = createCipheriv('aes-256-gcm', k, nonce);
    const body = Buffer.concat([cipher.update(padded), cipher.final()]);
    const blob = Uint8Array.from([0, ...nonce, ...body, ...cipher.getAuthTag()]);
    expect(new Keyring([k]).decrypt(blob)).toEqual(plain);
  });

  it('rejects bad keys and blobs', () => {
    expect(() => new Keyring([key(20)])).toThrow(/16, 24 or 32/);
    expect(() => new Keyring([key(32)]).decrypt(Uint8Array.of(2, ...new Uint8Array(40)))).toThrow(/version 2/);
    expect(() => new Keyring([key(32)]).decrypt(Uint8Array.of(1, 2))).toThrow(/too short/);
  });
});

describe('streams and push-pull', () => {
  const state: PushPull = {
    join: true,
    nodes: [{ name: 'n1', addr: Uint8Array.of(127, 0, 0, 1), port: 7946, meta: Uint8Array.of(0xff, 0x81, 0xa4, 0x72, 0x6f, 0x6c, 0x65, 0xa2, 0x64, 0x62), incarnation: 3, state: 'suspect', vsn }],
    userState: Uint8Array.of(2, 0x80),
  };

  it('round-trips a push-pull, plain, compressed and encrypted', () => {
    const plain = encodePushPull(state);
    expect(decodePushPull(plain)).toEqual(state);
    const keyring = new Keyring([key(32)]);
    const compressed = Uint8Array.from([MSG.compress, ...encodeValue({ Algo: 0, Buf: lzwCompress(plain) })]);
    for (const [wire, options] of [
      [sealStream(plain, { dialer: false }), {}],
      [sealStream(compressed, { dialer: false }), {}],
      [sealStream(compressed, { dialer: true, keyring }), { keyring }],
      [sealStream(plain, { dialer: true, keyring, label: 'x' }), { keyring, label: 'x', acceptLabel: true }],
    ] as const) {
      expect(openStream(wire, options)).toEqual({ type: 'push-pull', pushPull: state });
    }
  });

  it('accepts a dialer\'s stream only with ringside\'s own gossip label, as memberlist does, and says which it carried', () => {
    const keyring = new Keyring([key(32)]);
    const reason = (data: Uint8Array, options: object): string => {
      try {
        openStream(data, { ...options, acceptLabel: true });
        return 'accepted';
      } catch (error) {
        return `${(error as StreamError).code}: ${(error as StreamError).message}`;
      }
    };
    const labelled = sealStream(encodePushPull(state), { dialer: true, keyring, label: 'partition-a' });
    expect(reason(labelled, { keyring, label: 'partition-a' })).toBe('accepted');
    expect(reason(labelled, { keyring, label: 'partition-b' })).toBe('label: stream carries gossip label "partition-a", but --gossip-label is "partition-b"');
    expect(reason(labelled, { keyring })).toBe('label: stream carries gossip label "partition-a", but no --gossip-label was given');
    expect(reason(sealStream(encodePushPull(state), { dialer: true, keyring }), { keyring, label: 'partition-b' })).toBe('label: stream has no gossip label, but --gossip-label is "partition-b"');
  });

  it('polls with Go\'s own encoding of an empty push-pull', () => {
    expect(Buffer.from(pollRequest()).toString('hex')).toBe('06' + '83' + 'a44a6f696ec2' + 'a54e6f64657300' + 'ac5573657253746174654c656e00');
  });

  it('says what kind of reply it got when it cannot use it', () => {
    const keyring = new Keyring([key(32)]);
    const encrypted = sealStream(encodePushPull(state), { dialer: false, keyring });
    const code = (data: Uint8Array, options: object): string => {
      try {
        openStream(data, options);
        return 'ok';
      } catch (error) {
        return (error as StreamError).code;
      }
    };
    expect(code(encrypted, {})).toBe('encrypted');
    expect(code(encrypted, { keyring: new Keyring([key(32, 1)]) })).toBe('wrong-key');
    expect(code(new Uint8Array(0), {})).toBe('empty');
    expect(code(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), {})).toBe('not-memberlist');
    expect(code(encodePushPull(state), { keyring })).toBe('plaintext');
    expect(code(encodePushPull(state).subarray(0, 12), {})).toBe('malformed');
    expect(openStream(encodeMessage({ type: 'err', error: 'Remote state is encrypted and encryption is not configured' }), { keyring })).toMatchObject({ type: 'err' });
  });

  it('refuses push-pull headers that claim more than the bytes can hold', () => {
    const lying = Uint8Array.from([MSG.pushPull, ...encodeValue({ Join: false, Nodes: 1_000_000, UserStateLen: 0 })]);
    expect(() => decodePushPull(lying)).toThrow(/claims 1000000 nodes/);
    const truncatedUser = Uint8Array.from([MSG.pushPull, ...encodeValue({ Join: false, Nodes: 0, UserStateLen: 10 })]);
    expect(() => decodePushPull(truncatedUser)).toThrow(/truncated/);
  });

  it('uses CRC-32 IEEE as zlib computes it', () => {
    const packet = sealPacket(encodeMessage(samples[1] as Message), { crc: true });
    const rest = packet.subarray(5);
    expect(Buffer.from(packet.subarray(1, 5)).readUInt32BE()).toBe(crc32(rest) >>> 0);
  });
});

describe('versions a joining member advertises (memberlist verifyProtocol)', () => {
  const node = (name: string, v: number[], state: PushPull['nodes'][number]['state'] = 'alive'): PushPull['nodes'][number] => ({ name, addr: Uint8Array.of(127, 0, 0, 1), port: 7946, meta: new Uint8Array(0), incarnation: 1, state, vsn: Uint8Array.from(v) });

  it('speaks the delegate versions of the alive members listed: Consul\'s 2..5 speaking 4, a plain application\'s 0..0', () => {
    expect(clusterDelegateVersions([node('a', [1, 5, 2, 2, 5, 4]), node('b', [1, 5, 5, 2, 5, 4])])).toEqual([2, 5, 4]);
    expect(clusterDelegateVersions([node('a', [1, 5, 2, 0, 0, 0])])).toEqual([0, 0, 0]);
    expect(vsnAcceptedBy(Uint8Array.of(1, 5, 2, 2, 5, 5), [node('a', [1, 5, 2, 0, 0, 0])])).toEqual(Uint8Array.of(1, 5, 2, 0, 0, 0));
  });

  it('keeps inside the window every alive member understands; ignores dead members and short Vsn', () => {
    expect(clusterDelegateVersions([node('a', [1, 5, 2, 1, 3, 1]), node('b', [1, 5, 2, 2, 5, 2])])).toEqual([2, 3, 2]);
    expect(clusterDelegateVersions([node('a', [1, 5, 2, 2, 5, 4]), node('gone', [1, 5, 2, 0, 0, 0], 'dead'), node('short', [1, 5])])).toEqual([2, 5, 4]);
  });

  it('keeps its own versions when the members say nothing usable', () => {
    const base = Uint8Array.of(1, 5, 2, 2, 5, 5);
    expect(vsnAcceptedBy(base, [])).toBe(base);
    expect(vsnAcceptedBy(base, [node('a', [1, 5, 2, 3, 5, 3]), node('b', [1, 5, 2, 0, 2, 0])])).toBe(base);
  });
});
