/**
 * The demo stateful service (`sandbox up --service`): an HTTP server beside a serf agent that
 * learns membership through ringside's own passive observer, owns keys by the ringpop ring, loads
 * a key cold on first access and serves it from memory afterwards, and forwards requests for keys
 * it does not own to their owner, one hop.
 *
 *   GET /kv/{key}  -> {"key","value","owner","node","cold","routed"}; headers x-ringside-owner
 *                     (owner's member name), x-ringside-owner-addr, x-ringside-node (who answered
 *                     first), x-ringside-routed (true when forwarded), x-ringside-cold
 *   GET /health    -> 200 with the ring once membership is known, else 503
 *   GET /stats     -> keys loaded, cold loads, requests served, forwarded, forward errors
 *
 * A forwarded request carries `x-ringside-forwarded: <entry node>`; its receiver serves it
 * whatever its own view says, so a request never travels more than one hop.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { type LiveSourceOptions, createObserver } from '../../cluster/live.js';
import type { ClusterObserver } from '../../cluster/observer.js';
import { type KvStore, createKvStore } from './kv-store.js';
import { type Ownership, SERVICE_TAG, ownershipOf } from './ownership.js';

export const FORWARDED_HEADER = 'x-ringside-forwarded';
const MAX_KEY_BYTES = 1024;

export interface KvServiceOptions {
  /** This node's member name (its serf agent's -node). */
  name: string;
  host: string;
  port: number;
  coldMs: number;
  /** The local agent's gossip address, and any other seeds. */
  join: string[];
  keyringFile?: string;
  /** How often the observer polls (default 500 ms). */
  intervalMs?: number;
  /** Budget for the observer's first membership (default 10 s). */
  timeoutMs?: number;
  tag?: string;
}

export interface KvServiceStats {
  node: string;
  ring: string[];
  keysLoaded: number;
  coldLoads: number;
  requests: number;
  served: number;
  forwarded: number;
  forwardErrors: number;
}

export interface KvService {
  url: string;
  stats(): KvServiceStats;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function startKvService(options: KvServiceOptions): Promise<KvService> {
  const tag = options.tag ?? SERVICE_TAG;
  const live: LiveSourceOptions = {
    join: options.join,
    protocol: 'serf',
    mode: 'passive',
    timeoutMs: options.timeoutMs ?? 10_000,
    intervalMs: options.intervalMs ?? 500,
    ...(options.keyringFile !== undefined ? { keyringFile: options.keyringFile } : {}),
  };
  const observer: ClusterObserver = await createObserver(live);
  await observer.start();
  let ownership: Ownership | null = ownershipOf(observer.members(), tag);
  observer.onChange((members) => {
    ownership = ownershipOf(members, tag);
  });

  const store: KvStore = createKvStore({ node: options.name, coldMs: options.coldMs });
  const pool = new Agent({ connections: 16, keepAliveTimeout: 10_000 });
  const counters = { requests: 0, served: 0, forwarded: 0, forwardErrors: 0 };
  const stats = (): KvServiceStats => ({ node: options.name, ring: ownership?.nodes ?? [], keysLoaded: store.size(), coldLoads: store.coldLoads(), ...counters });

  const serveKv = async (req: IncomingMessage, res: ServerResponse, rawKey: string): Promise<void> => {
    let key: string;
    try {
      key = decodeURIComponent(rawKey);
    } catch {
      return send(res, 400, { error: 'the key is not valid percent-encoding' });
    }
    if (key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) return send(res, 400, { error: `the key must be 1 to ${MAX_KEY_BYTES} bytes` });
    const ring = ownership;
    if (ring === null) return send(res, 503, { error: 'no member serves yet' });
    const owner = ring.ownerOf(key);
    const forwardedBy = req.headers[FORWARDED_HEADER];
    if (owner.name === options.name || forwardedBy !== undefined) {
      counters.served++;
      const { entry, cold } = await store.get(key);
      return send(res, 200, { key, value: entry.value, owner: options.name, node: options.name, cold, routed: forwardedBy !== undefined }, {
        'x-ringside-owner': options.name,
        'x-ringside-owner-addr': `${options.host}:${options.port}`,
        'x-ringside-node': options.name,
        'x-ringside-cold': String(cold),
        'x-ringside-routed': 'false',
      });
    }
    counters.forwarded++;
    try {
      const upstream = await request(`http://${owner.http}/kv/${encodeURIComponent(key)}`, { dispatcher: pool, headers: { [FORWARDED_HEADER]: options.name }, headersTimeout: 30_000, bodyTimeout: 30_000 });
      const body = await upstream.body.text();
      const pass = (name: string): string => String(upstream.headers[name] ?? '');
      let reply: Record<string, unknown> = {};
      try {
        reply = JSON.parse(body) as Record<string, unknown>;
      } catch {
        reply = { error: 'the owner answered something that is not JSON' };
      }
      return send(res, upstream.statusCode, { ...reply, node: options.name, routed: true }, {
        'x-ringside-owner': pass('x-ringside-owner') || owner.name,
        'x-ringside-owner-addr': pass('x-ringside-owner-addr') || owner.http,
        'x-ringside-node': options.name,
        'x-ringside-cold': pass('x-ringside-cold'),
        'x-ringside-routed': 'true',
      });
    } catch (error) {
      counters.forwardErrors++;
      return send(res, 502, { error: `forwarding to the owner failed: ${(error as Error).message}`, owner: owner.name }, { 'x-ringside-owner': owner.name, 'x-ringside-node': options.name, 'x-ringside-routed': 'true' });
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.requests++;
    const path = (req.url ?? '/').split('?')[0] as string;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'only GET' }, { allow: 'GET' });
    if (path.startsWith('/kv/')) return serveKv(req, res, path.slice(4));
    if (path === '/health') return ownership === null ? send(res, 503, { status: 'starting', node: options.name }) : send(res, 200, { status: 'ok', node: options.name, ring: ownership.nodes });
    if (path === '/stats') return send(res, 200, stats());
    return send(res, 404, { error: 'not found: use /kv/{key}, /health or /stats' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never crash on a request: answer 500 if nothing was sent yet.
      if (!res.headersSent) send(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: options.host, port: options.port, exclusive: true }, () => resolve());
    });
  } catch (error) {
    await observer.stop();
    await pool.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${address.port}`,
    stats,
    async close() {
      await observer.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
    },
  };
}
