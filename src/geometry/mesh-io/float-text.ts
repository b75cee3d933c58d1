// Numbers as text for the mesh writers: the shortest decimal that reads back as the same float32.

/** Strips toPrecision's trailing zeros ("1.500" → "1.5", "1.50e-7" → "1.5e-7"). */
export function normalizeNumber(s: string): string {
  const [mantissa, exponent] = s.split('e');
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return exponent === undefined ? m : `${m}e${exponent}`;
}

/** Shortest decimal that reads back as the same float32, so text files round-trip exactly. */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (f === 0 || !Number.isFinite(f)) return f === 0 ? '0' : String(f);
  // Round-tripping is monotone in the digit count (more digits land closer), so bisect 1..9;
  // 9 significant digits always suffice for float32.
  let lo = 1,
    hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  return normalizeNumber(f.toPrecision(lo));
}

/** formatFloat32 of every vertex as "x y z", once, for writers that repeat vertices per triangle. */
export function formatVertices(v: Float32Array): string[] {
  const out = new Array<string>(v.length / 3);
  for (let i = 0; i < out.length; i++) {
    out[i] = `${formatFloat32(v[i * 3])} ${formatFloat32(v[i * 3 + 1])} ${formatFloat32(v[i * 3 + 2])}`;
  }
  return out;
}

export const encodeText = (chunks: string[]): Uint8Array => new TextEncoder().encode(chunks.join(''));
