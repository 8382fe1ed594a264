/** Deterministic test inputs: a small PRNG, random byte strings and keys of every UTF-8 width. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random bytes of every length from 0 to maxLength (each length several times). */
export function randomBuffers(count: number, maxLength: number, seed = 1): Buffer[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = i % (maxLength + 1);
    return Buffer.from(Array.from({ length }, () => Math.floor(rand() * 256)));
  });
}

const ALPHABET = ['a', 'Z', '0', ':', '-', '_', ' ', 'é', 'ß', '中', '文', '😀', '\u0000', '#'];

/** Keys: ASCII-heavy, with some multi-byte characters, empty strings and long keys. */
export function randomKeys(count: number, seed = 2): string[] {
  const rand = prng(seed);
  return Array.from({ length: count }, (_, i) => {
    if (i % 97 === 0) return '';
    const length = i % 13 === 0 ? 40 + Math.floor(rand() * 120) : 1 + Math.floor(rand() * 24);
    let key = '';
    for (let c = 0; c < length; c++) {
      key += rand() < 0.85 ? String.fromCharCode(33 + Math.floor(rand() * 94)) : (ALPHABET[Math.floor(rand() * ALPHABET.length)] as string);
    }
    return key;
  });
}

/** Addresses that look like a real cluster's: 10.x.y.z:port. */
export function randomAddresses(count: number, seed = 3): string[] {
  const rand = prng(seed);
  const seen = new Set<string>();
  while (seen.size < count) {
    seen.add(`10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}:${3000 + Math.floor(rand() * 8)}`);
  }
  return [...seen];
}
