// Depth as colour: near is warm, far is cool (a turbo-like ramp), missing pixels black.

const STOPS: [number, number, number][] = [
  [48, 18, 59],
  [65, 125, 240],
  [27, 208, 213],
  [98, 252, 108],
  [211, 232, 53],
  [254, 155, 45],
  [218, 56, 7],
  [122, 4, 3],
];

/** RGB of t in [0, 1] along the ramp. */
export function ramp(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i],
    b = STOPS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The 1st and 99th percentile of the valid (> 0) depths, so a few outliers do not wash the image out. */
export function depthRange(data: Float32Array): [number, number] {
  const valid = data.filter((v) => v > 0);
  if (valid.length === 0) return [0, 1];
  valid.sort();
  const lo = valid[Math.floor(valid.length * 0.01)],
    hi = valid[Math.floor(valid.length * 0.99)];
  return hi > lo ? [lo, hi] : [lo, lo + 1e-3];
}

/** Colour of one depth in a range: near = 1 on the ramp (warm). */
export function depthColour(d: number, [lo, hi]: [number, number]): [number, number, number] {
  return d > 0 ? ramp(1 - (d - lo) / (hi - lo)) : [0, 0, 0];
}

/** An RGBA image of a depth map. */
export function depthToImageData(
  data: Float32Array,
  width: number,
  height: number,
  range = depthRange(data),
): ImageData {
  const out = new ImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = depthColour(data[i], range);
    out.data[i * 4] = r;
    out.data[i * 4 + 1] = g;
    out.data[i * 4 + 2] = b;
    out.data[i * 4 + 3] = 255;
  }
  return out;
}
