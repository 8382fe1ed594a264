/**
 * Where gossip keys come from: `--encrypt-key BASE64` (what `serf keygen` prints and `serf agent
 * -encrypt` takes), `--keyring-file FILE` (Serf's keyring file: a JSON array of base64 keys,
 * primary first), or the RINGSIDE_GOSSIP_KEY environment variable. Keys are secrets: no error
 * message here ever contains one.
 */
import { readFile } from 'node:fs/promises';
import { fileError, usageError } from '../../errors.js';
import { isValidKeySize, Keyring } from './security.js';

export const GOSSIP_KEY_ENV = 'RINGSIDE_GOSSIP_KEY';

export function parseGossipKey(base64: string, where: string): Uint8Array {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) throw usageError(`${where} is not base64`, 'give the key as serf keygen prints it');
  const key = new Uint8Array(Buffer.from(text, 'base64'));
  if (!isValidKeySize(key.length)) throw usageError(`${where} decodes to ${key.length} bytes`, 'gossip keys are 16, 24 or 32 bytes (serf keygen makes 32)');
  return key;
}

export async function readKeyringFile(path: string): Promise<Uint8Array[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileError(`keyring file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path', error);
  }
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw fileError(`keyring file ${path} is not JSON`, 'it must be a JSON array of base64 keys, as serf writes it');
  }
  if (!Array.isArray(list) || list.length === 0 || list.some((k) => typeof k !== 'string')) {
    throw fileError(`keyring file ${path} is not a non-empty JSON array of base64 keys`);
  }
  return list.map((k, i) => parseGossipKey(k as string, `key ${i + 1} of keyring file ${path}`));
}

export interface KeySources {
  encryptKey?: string;
  keyringFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** The keyring to use, or undefined for an unencrypted cluster. */
export async function keyringFrom(sources: KeySources): Promise<Keyring | undefined> {
  if (sources.encryptKey !== undefined && sources.keyringFile !== undefined) throw usageError('give either --encrypt-key or --keyring-file, not both');
  if (sources.encryptKey !== undefined) return new Keyring([parseGossipKey(sources.encryptKey, '--encrypt-key')]);
  if (sources.keyringFile !== undefined) return new Keyring(await readKeyringFile(sources.keyringFile));
  const fromEnv = (sources.env ?? process.env)[GOSSIP_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return new Keyring([parseGossipKey(fromEnv, GOSSIP_KEY_ENV)]);
  return undefined;
}
