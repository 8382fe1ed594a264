/**
 * The demo service's state: each key is loaded once, slowly (a cold load from a database,
 * `coldMs`), then served from memory. Concurrent first requests for one key share one load, as
 * a real cache does. The clock and the wait are injectable so the store is tested without time.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface KvEntry {
  key: string;
  value: string;
  /** The node that loaded it. */
  loadedBy: string;
  loadedAt: string;
}

export interface KvRead {
  entry: KvEntry;
  /** True when this request paid for (or waited on) the cold load. */
  cold: boolean;
}

export interface KvStoreOptions {
  node: string;
  coldMs: number;
  wait?: (ms: number) => Promise<unknown>;
  now?: () => Date;
}

export interface KvStore {
  get(key: string): Promise<KvRead>;
  /** Keys in memory. */
  size(): number;
  /** Cold loads done so far. */
  coldLoads(): number;
}

export function createKvStore({ node, coldMs, wait = sleep, now = () => new Date() }: KvStoreOptions): KvStore {
  const loaded = new Map<string, KvEntry>();
  const loading = new Map<string, Promise<KvEntry>>();
  let loads = 0;
  const load = async (key: string): Promise<KvEntry> => {
    loads++;
    if (coldMs > 0) await wait(coldMs);
    const entry = { key, value: `value-of:${key}`, loadedBy: node, loadedAt: now().toISOString() };
    loaded.set(key, entry);
    loading.delete(key);
    return entry;
  };
  return {
    async get(key) {
      const entry = loaded.get(key);
      if (entry !== undefined) return { entry, cold: false };
      let pending = loading.get(key);
      if (pending === undefined) {
        pending = load(key);
        loading.set(key, pending);
      }
      return { entry: await pending, cold: true };
    },
    size: () => loaded.size,
    coldLoads: () => loads,
  };
}
