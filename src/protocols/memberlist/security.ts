/**
 * Gossip encryption (memberlist security.go, keyring.go): AES-GCM with 16, 24 or 32-byte keys
 * (AES-128/192/256), a 12-byte random nonce and a 16-byte tag.
 *
 *   blob := vsn:u8 | nonce:12 | ciphertext | tag:16
 *
 * vsn 0 PKCS#7-pads the plaintext to 16 bytes; vsn 1 (what Serf sends) does not. Receivers try
 * every key of the keyring in order; senders use the primary (first) key and vsn 1.
 * Keys are secrets: nothing here ever puts key bytes in an error message.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const NONCE_SIZE = 12;
export const TAG_SIZE = 16;
/** vsn byte + nonce + tag: 29 bytes of overhead per encrypted message (vsn 1). */
export const ENCRYPT_OVERHEAD = 1 + NONCE_SIZE + TAG_SIZE;
const KEY_SIZES = [16, 24, 32];

export class DecryptError extends Error {
  override readonly name = 'DecryptError';
}

export function isValidKeySize(length: number): boolean {
  return KEY_SIZES.includes(length);
}

function algorithm(key: Uint8Array): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  if (key.length === 16) return 'aes-128-gcm';
  if (key.length === 24) return 'aes-192-gcm';
  if (key.length === 32) return 'aes-256-gcm';
  throw new RangeError('a gossip key must be 16, 24 or 32 bytes');
}

export class Keyring {
  readonly keys: readonly Uint8Array[];

  constructor(keys: readonly Uint8Array[]) {
    if (keys.length === 0) throw new RangeError('a keyring needs at least one key');
    for (const key of keys) algorithm(key);
    this.keys = keys.map((k) => Uint8Array.from(k));
  }

  get primary(): Uint8Array {
    return this.keys[0] as Uint8Array;
  }

  /** Encrypts with the primary key, version 1 (no padding). */
  encrypt(plain: Uint8Array, aad: Uint8Array = new Uint8Array(0), nonce: Uint8Array = randomBytes(NONCE_SIZE)): Uint8Array {
    const cipher = createCipheriv(algorithm(this.primary), this.primary, nonce);
    if (aad.length > 0) cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const out = new Uint8Array(1 + NONCE_SIZE + body.length + TAG_SIZE);
    out[0] = 1;
    out.set(nonce, 1);
    out.set(body, 1 + NONCE_SIZE);
    out.set(cipher.getAuthTag(), 1 + NONCE_SIZE + body.length);
    return out;
  }

  /** Decrypts with whichever key fits; throws DecryptError when none does. */
  decrypt(blob: Uint8Array, aad: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (blob.length < ENCRYPT_OVERHEAD) throw new DecryptError('encrypted message is too short');
    const version = blob[0] as number;
    if (version > 1) throw new DecryptError(`unsupported encryption version ${version}`);
    const nonce = blob.subarray(1, 1 + NONCE_SIZE);
    const body = blob.subarray(1 + NONCE_SIZE, blob.length - TAG_SIZE);
    const tag = blob.subarray(blob.length - TAG_SIZE);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv(algorithm(key), key, nonce);
        if (aad.length > 0) decipher.setAAD(aad);
        decipher.setAuthTag(tag);
        const plain = new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
        return version === 0 ? unpad(plain) : plain;
      } catch {
        // wrong key: try the next one
      }
    }
    throw new DecryptError('no installed key could decrypt the message');
  }
}

function unpad(plain: Uint8Array): Uint8Array {
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 16 || pad > plain.length) throw new DecryptError('bad padding in a version 0 message');
  return plain.subarray(0, plain.length - pad);
}
