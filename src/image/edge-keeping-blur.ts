// A Gaussian blur that does not smooth across depth edges: a neighbour counts only while its depth lies within a
// tolerance of the pixel's own (a range-truncated, separable bilateral filter). The suction sampler reads normals and
// footprint flatness from a smoothed image; a plain blur runs an object's top edge down into the table over ±4σ, which
// tilts the normals and bends the faces near every edge (on narrow faces, all of them).
import { createDepthImage, type DepthImage } from './depth-image.js';
import { clampBox } from './filters.js';

/**
 * The blur of `depth` by σ (px) inside the pixel box [x0, y0, x1, y1] (inclusive), the input elsewhere. Each pass (rows,
 * then columns) averages the kernel's neighbours whose depth lies within `tolerance` (m) of the pixel's own value in
 * that pass's input; missing pixels (0) stay missing and count for nothing.
 */
export function edgeKeepingBlurWithin(
  depth: DepthImage,
  sigmaPx: number,
  tolerance: number,
  box: readonly [number, number, number, number],
): DepthImage {
  const W = depth.width,
    H = depth.height;
  const out = createDepthImage(W, H, depth.data.slice());
  const [x0, y0, x1, y1] = clampBox(box, W, H);
  if (!(sigmaPx > 0) || !(tolerance > 0) || x0 > x1 || y0 > y1) return out;
  const r = Math.max(1, Math.ceil(4 * sigmaPx));
  const kernel = new Float64Array(2 * r + 1);
  for (let t = -r; t <= r; t++) kernel[t + r] = Math.exp((-0.5 * t * t) / (sigmaPx * sigmaPx));
  // The row pass covers the box's columns over the rows the column pass reads, into a buffer of just that size.
  const ry0 = Math.max(0, y0 - r),
    ry1 = Math.min(H - 1, y1 + r);
  const bw = x1 - x0 + 1;
  const src = depth.data;
  const rows = new Float32Array(bw * (ry1 - ry0 + 1));
  for (let y = ry0; y <= ry1; y++)
    for (let x = x0; x <= x1; x++)
      rows[(y - ry0) * bw + (x - x0)] = pass(src, y * W + x, x, 0, W - 1, 1, kernel, r, tolerance);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      out.data[y * W + x] = pass(rows, (y - ry0) * bw + (x - x0), y, ry0, ry1, bw, kernel, r, tolerance);
  return out;
}

/**
 * One pass at pixel i of `data`, at position `at` along the pass, whose neighbours lie `stride` apart and may be read
 * from positions lo to hi.
 */
function pass(
  data: Float32Array,
  i: number,
  at: number,
  lo: number,
  hi: number,
  stride: number,
  kernel: Float64Array,
  r: number,
  tolerance: number,
): number {
  const z = data[i]!;
  if (!(z > 0)) return z;
  let sum = 0,
    weight = 0;
  const t0 = Math.max(-r, lo - at),
    t1 = Math.min(r, hi - at);
  for (let t = t0; t <= t1; t++) {
    const v = data[i + t * stride]!;
    if (v > 0 && Math.abs(v - z) <= tolerance) {
      sum += kernel[t + r]! * v;
      weight += kernel[t + r]!;
    }
  }
  return sum / weight;
}
