// The grasp-aligned crop (docs/dex-net-facts.md §3): the one transform shared by dataset generation and planning, so
// training and inference see identical inputs.
import type { DepthImage } from './depth-image.js';

export interface CropOptions {
  /** Side of the square window in source pixels (default 96). */
  cropSize?: number;
  /** Side of the square output in pixels (default 32). */
  outSize?: number;
  /** Index in `out` where the crop starts (default 0), so batches fill one big array without subarray views. */
  offset?: number;
}

/**
 * Output pixel → source pixel map: a source point is
 * `x = m[0]·u + m[1]·v + m[2]`, `y = m[3]·u + m[4]·v + m[5]` for output column u and row v
 * (pixel centres at integer coordinates in both images).
 */
export type CropAffine = Float64Array;

export const DEFAULT_CROP_SIZE = 96;
export const DEFAULT_OUT_SIZE = 32;

/**
 * The affine map from crop pixels to source pixels.
 *
 * Conventions (pixel centres at integer coordinates; x = column to the right, y = row downwards):
 * - the grasp centre maps to the geometric centre of the output, ((outSize − 1)/2, (outSize − 1)/2) —
 *   between pixels for even sizes, which makes the crop of angle + π exactly the crop of angle rotated 180°;
 * - the grasp axis (cos angle, sin angle) in source (x, y) becomes the output +u axis (left → right), and
 *   the output +v axis (down) is the source direction (−sin angle, cos angle); this is a proper rotation
 *   (no mirroring) by −angle;
 * - one output pixel spans cropSize/outSize source pixels.
 */
export function cropAffine(center: { x: number; y: number }, angle: number, options: CropOptions = {}): CropAffine {
  const cropSize = options.cropSize ?? DEFAULT_CROP_SIZE;
  const outSize = options.outSize ?? DEFAULT_OUT_SIZE;
  const s = cropSize / outSize;
  const c = Math.cos(angle) * s;
  const n = Math.sin(angle) * s;
  const h = (outSize - 1) / 2;
  return Float64Array.of(c, -n, center.x - c * h + n * h, n, c, center.y - n * h - c * h);
}

/** Source coordinates of output pixel (u, v). */
export function cropToSource(m: CropAffine, u: number, v: number): { x: number; y: number } {
  return { x: m[0] * u + m[1] * v + m[2], y: m[3] * u + m[4] * v + m[5] };
}

/** Output coordinates (u = column, v = row) of source point (x, y). */
export function sourceToCrop(m: CropAffine, x: number, y: number): { u: number; v: number } {
  const det = m[0] * m[4] - m[1] * m[3];
  const dx = x - m[2];
  const dy = y - m[5];
  return { u: (m[4] * dx - m[1] * dy) / det, v: (m[0] * dy - m[3] * dx) / det };
}

/**
 * Grasp-aligned crop: translate the grasp centre to the crop centre, rotate by −angle so the grasp
 * axis is horizontal, take a cropSize × cropSize window and resize it to outSize × outSize — all as one
 * affine warp (see {@link cropAffine}) with one bilinear sample of the source per output pixel.
 *
 * Sampling: point-sampled bilinear, no box averaging. For the default 96 → 32 this equals, exactly,
 * "bilinear-warp a 96 × 96 crop, then resize it bilinearly with pixel-centre alignment" (cv2.INTER_LINEAR,
 * no antialiasing), because every output pixel centre lands on a crop pixel centre (96/32 = 3, odd).
 * Samples outside the image take the nearest edge value (replicate border). Missing pixels (0) are
 * interpolated like any value, so inpaint first when the image has holes.
 *
 * Writes outSize² values into `out` starting at `options.offset` and returns `out`. Allocates nothing.
 * `center`: x = column, y = row, in (float) pixels. `angle`: radians from the image x-axis
 * (towards +y, i.e. clockwise on screen since rows grow downwards).
 */
export function graspAlignedCrop(
  depth: DepthImage,
  center: { x: number; y: number },
  angle: number,
  out: Float32Array,
  options?: CropOptions,
): Float32Array {
  const cropSize = options?.cropSize ?? DEFAULT_CROP_SIZE;
  const outSize = options?.outSize ?? DEFAULT_OUT_SIZE;
  const offset = options?.offset ?? 0;
  const cx = center.x;
  const cy = center.y;
  if (!(Number.isFinite(cx) && Number.isFinite(cy) && Number.isFinite(angle)))
    throw new Error(`graspAlignedCrop: centre (${cx}, ${cy}) and angle ${angle} must be finite`);
  if (!(Number.isInteger(outSize) && outSize > 0 && cropSize > 0))
    throw new Error(
      `graspAlignedCrop: outSize must be a positive integer and cropSize positive, got ${outSize} and ${cropSize}`,
    );
  if (offset < 0 || offset + outSize * outSize > out.length)
    throw new Error(
      `graspAlignedCrop: output array of ${out.length} values cannot hold ${outSize}×${outSize} values at offset ${offset}`,
    );

  // The affine map of cropAffine, inlined so the hot path allocates nothing.
  const s = cropSize / outSize;
  const c = Math.cos(angle) * s;
  const n = Math.sin(angle) * s;
  const h = (outSize - 1) / 2;
  const m0 = c;
  const m1 = -n;
  const m2 = cx - c * h + n * h;
  const m3 = n;
  const m4 = c;
  const m5 = cy - n * h - c * h;

  const w = depth.width;
  const ht = depth.height;
  const src = depth.data;
  const maxX = w - 1;
  const maxY = ht - 1;
  const last = outSize - 1;

  // Fast path when the whole footprint (a parallelogram, so its corners bound it) lies strictly inside
  // the image: no clamping, and x0 + 1, y0 + 1 are valid indices.
  let minSx = Infinity,
    maxSx = -Infinity,
    minSy = Infinity,
    maxSy = -Infinity;
  for (let k = 0; k < 4; k++) {
    const u = k & 1 ? last : 0;
    const v = k & 2 ? last : 0;
    const x = m0 * u + m1 * v + m2;
    const y = m3 * u + m4 * v + m5;
    if (x < minSx) minSx = x;
    if (x > maxSx) maxSx = x;
    if (y < minSy) minSy = y;
    if (y > maxSy) maxSy = y;
  }
  const margin = 1e-6;
  let o = offset;
  if (minSx >= margin && minSy >= margin && maxSx <= maxX - margin && maxSy <= maxY - margin) {
    for (let v = 0; v < outSize; v++) {
      const rx = m1 * v + m2;
      const ry = m4 * v + m5;
      for (let u = 0; u < outSize; u++) {
        const x = m0 * u + rx;
        const y = m3 * u + ry;
        const x0 = x | 0;
        const y0 = y | 0;
        const tx = x - x0;
        const ty = y - y0;
        const i = y0 * w + x0;
        const a = src[i];
        const b = src[i + 1];
        const top = a + tx * (b - a);
        const cc = src[i + w];
        const d = src[i + w + 1];
        const bottom = cc + tx * (d - cc);
        out[o++] = top + ty * (bottom - top);
      }
    }
    return out;
  }
  // Replicate border: clamping the sample point per axis is exactly bilinear over an edge-extended image.
  for (let v = 0; v < outSize; v++) {
    const rx = m1 * v + m2;
    const ry = m4 * v + m5;
    for (let u = 0; u < outSize; u++) {
      let x = m0 * u + rx;
      let y = m3 * u + ry;
      x = x < 0 ? 0 : x > maxX ? maxX : x;
      y = y < 0 ? 0 : y > maxY ? maxY : y;
      const x0 = x | 0;
      const y0 = y | 0;
      const x1 = x0 < maxX ? x0 + 1 : maxX;
      const y1 = y0 < maxY ? y0 + 1 : maxY;
      const tx = x - x0;
      const ty = y - y0;
      const r0 = y0 * w;
      const r1 = y1 * w;
      const a = src[r0 + x0];
      const b = src[r0 + x1];
      const top = a + tx * (b - a);
      const cc = src[r1 + x0];
      const d = src[r1 + x1];
      const bottom = cc + tx * (d - cc);
      out[o++] = top + ty * (bottom - top);
    }
  }
  return out;
}
