/**
 * String order by UTF-8 bytes (= code point order), which is Go's string order: map keys Go
 * sorts, Envoy's Maglev host order, ringside's canonical node order. JavaScript's `<` compares
 * UTF-16 code units, which differs only for characters above U+FFFF against U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates encode code points above U+FFFF, whose UTF-8 bytes sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
