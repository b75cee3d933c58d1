// Depth filters the planner needs before sampling grasps: blur, gradients, hole filling, resizing — all aware that 0 means "no reading".
import { createDepthImage, type DepthImage } from './depth-image.js';

export interface GaussianBlurOptions {
  /** Also give missing pixels (or blocks with no valid pixel) the weighted mean of their valid neighbours (default
   * false: they stay 0). */
  fillMissing?: boolean;
  /** Kernel half-width in standard deviations (default 4, like scipy.ndimage). */
  truncate?: number;
}

/**
 * Separable Gaussian blur as a normalised convolution: missing pixels (0) contribute nothing and the
 * weights are renormalised, so holes and the image border do not drag depths towards 0.
 */
export function gaussianBlur(depth: DepthImage, sigmaPx: number, options: GaussianBlurOptions = {}): DepthImage {
  if (!(sigmaPx > 0)) return createDepthImage(depth.width, depth.height, depth.data.slice());
  return blurDownsample(depth, sigmaPx, 1, options);
}

/** The pixel box [x0, y0, x1, y1] (inclusive) cut to a W × H image; empty when x0 > x1 or y0 > y1. */
export function clampBox(
  box: readonly [number, number, number, number],
  W: number,
  H: number,
): [number, number, number, number] {
  return [Math.max(0, box[0]), Math.max(0, box[1]), Math.min(W - 1, box[2]), Math.min(H - 1, box[3])];
}

/**
 * `gaussianBlur` inside the pixel box [x0, y0, x1, y1] (inclusive), the input elsewhere: only the box and the kernel's
 * reach around it are read, so the box holds exactly the whole image's blur at a fraction of the cost.
 */
export function gaussianBlurWithin(
  depth: DepthImage,
  sigmaPx: number,
  box: readonly [number, number, number, number],
  options: GaussianBlurOptions = {},
): DepthImage {
  const W = depth.width,
    H = depth.height;
  const out = createDepthImage(W, H, depth.data.slice());
  const [x0, y0, x1, y1] = clampBox(box, W, H);
  if (!(sigmaPx > 0) || x0 > x1 || y0 > y1) return out;
  const reach = Math.max(1, Math.ceil((options.truncate ?? 4) * sigmaPx));
  const sx0 = Math.max(0, x0 - reach),
    sy0 = Math.max(0, y0 - reach),
    sx1 = Math.min(W - 1, x1 + reach),
    sy1 = Math.min(H - 1, y1 + reach);
  const sw = sx1 - sx0 + 1;
  const sub = createDepthImage(sw, sy1 - sy0 + 1);
  for (let y = sy0; y <= sy1; y++) sub.data.set(depth.data.subarray(y * W + sx0, y * W + sx1 + 1), (y - sy0) * sw);
  const blurred = gaussianBlur(sub, sigmaPx, options).data;
  for (let y = y0; y <= y1; y++) {
    const from = (y - sy0) * sw + (x0 - sx0);
    out.data.set(blurred.subarray(from, from + x1 - x0 + 1), y * W + x0);
  }
  return out;
}

/**
 * Gaussian blur (σ in source pixels) followed by factor×factor block averaging, fused: both are linear, so each
 * output pixel is one separable convolution with (Gaussian ∗ box) evaluated only at the block positions, about
 * factor² less work than blurring the full image first. Missing pixels (0) carry no weight and the weights are renormalised; the
 * size is ceil(W / factor) × ceil(H / factor). With factor 1 it is `gaussianBlur`.
 */
export function blurDownsample(
  depth: DepthImage,
  sigmaPx: number,
  factor: number,
  options: GaussianBlurOptions = {},
): DepthImage {
  if (!(Number.isInteger(factor) && factor >= 1))
    throw new Error(`blurDownsample: factor must be a positive integer, got ${factor}`);
  const f = factor;
  const W = depth.width,
    H = depth.height,
    src = depth.data;
  const w = Math.ceil(W / f),
    h = Math.ceil(H / f);
  const sigma = sigmaPx > 0 ? sigmaPx : 0;
  const radius = sigma > 0 ? Math.max(1, Math.ceil((options.truncate ?? 4) * sigma)) : 0;
  // Kernel over offsets −radius … radius + f − 1 from a block's first pixel: the Gaussian summed over the block.
  const klen = 2 * radius + f;
  const kernel = new Float32Array(klen);
  for (let t = 0; t < klen; t++) {
    const off = t - radius;
    let s = 0;
    for (let b = 0; b < f; b++) {
      const r = off - b;
      s += sigma > 0 ? (Math.abs(r) <= radius ? Math.exp((-0.5 * r * r) / (sigma * sigma)) : 0) : r === 0 ? 1 : 0;
    }
    kernel[t] = s;
  }
  let missing = false;
  for (let i = 0; i < src.length; i++) {
    if (!(src[i] > 0)) {
      missing = true;
      break;
    }
  }
  const d: Downsample = { W, H, w, h, f, radius, kernel };
  if (!missing) return createDepthImage(w, h, blurDownsampleDense(src, d));
  const out = blurDownsampleMasked(src, d);
  if (options.fillMissing !== true) {
    // A block without a single valid pixel is missing in the output too.
    const seen = new Uint8Array(w * h);
    for (let y = 0; y < H; y++) {
      const row = ((y / f) | 0) * w;
      for (let x = 0; x < W; x++) if (src[y * W + x] > 0) seen[row + ((x / f) | 0)] = 1;
    }
    for (let j = 0; j < out.length; j++) if (!seen[j]) out[j] = 0;
  }
  return createDepthImage(w, h, out);
}

/** Sum of the kernel taps that land inside [0, size) for a window starting at `start`. */
function coveredWeight(kernel: Float32Array, start: number, size: number): number {
  let s = 0;
  for (let t = Math.max(0, -start); t < Math.min(kernel.length, size - start); t++) s += kernel[t];
  return s;
}

/** A blur-and-downsample: source W × H, output w × h, factor f, and the block kernel over offsets −radius …. */
interface Downsample {
  W: number;
  H: number;
  w: number;
  h: number;
  f: number;
  radius: number;
  kernel: Float32Array;
}

/**
 * The vertical pass shared by both cases: each output row is the kernel-weighted sum of the rows of `rows`
 * (w × H, already convolved horizontally) that its window covers, accumulated in float64.
 */
function sumColumns(rows: Float32Array, { H, w, h, f, radius, kernel }: Downsample): Float64Array {
  const klen = kernel.length;
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const start = y * f - radius;
    const t0 = start < 0 ? -start : 0;
    const t1 = klen < H - start ? klen : H - start;
    const obase = y * w;
    for (let t = t0; t < t1; t++) {
      const g = kernel[t];
      const base = (start + t) * w;
      for (let x = 0; x < w; x++) out[obase + x] += g * rows[base + x];
    }
  }
  return out;
}

/**
 * The common case (an inpainted image): no missing pixels, so the renormalisation only depends on how much of
 * the kernel falls inside the image — separable, computed once per output row and column.
 */
function blurDownsampleDense(src: Float32Array, d: Downsample) {
  const { W, H, w, h, f, radius, kernel } = d;
  const klen = kernel.length;
  const wx = new Float64Array(w);
  for (let x = 0; x < w; x++) wx[x] = coveredWeight(kernel, x * f - radius, W);
  const rowV = new Float32Array(w * H);
  for (let y = 0; y < H; y++) {
    const base = y * W;
    const obase = y * w;
    for (let x = 0; x < w; x++) {
      const start = x * f - radius;
      const t0 = start < 0 ? -start : 0;
      const t1 = klen < W - start ? klen : W - start;
      let sv = 0;
      for (let t = t0, j = base + start + t0; t < t1; t++, j++) sv += kernel[t] * src[j];
      rowV[obase + x] = sv;
    }
  }
  const sums = sumColumns(rowV, d);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const wy = coveredWeight(kernel, y * f - radius, H);
    for (let x = 0, i = y * w; x < w; x++, i++) out[i] = sums[i] / (wx[x] * wy);
  }
  return out;
}

/** With holes: normalised convolution (missing pixels carry no weight); a fully missing neighbourhood stays 0. */
function blurDownsampleMasked(src: Float32Array, d: Downsample) {
  const { W, H, w, h, f, radius, kernel } = d;
  const klen = kernel.length;
  const rowV = new Float32Array(w * H),
    rowW = new Float32Array(w * H);
  for (let y = 0; y < H; y++) {
    const base = y * W;
    for (let x = 0; x < w; x++) {
      const start = x * f - radius;
      const t0 = start < 0 ? -start : 0;
      const t1 = Math.min(klen, W - start);
      let sv = 0,
        sw = 0;
      for (let t = t0, j = base + start + t0; t < t1; t++, j++) {
        const v = src[j];
        if (v > 0) {
          const g = kernel[t];
          sv += g * v;
          sw += g;
        }
      }
      rowV[y * w + x] = sv;
      rowW[y * w + x] = sw;
    }
  }
  const sumV = sumColumns(rowV, d),
    sumW = sumColumns(rowW, d);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = sumW[i] > 0 ? sumV[i] / sumW[i] : 0;
  return out;
}

export interface DepthGradients {
  /** ∂depth/∂column, metres per pixel. */
  readonly gx: Float32Array;
  /** ∂depth/∂row, metres per pixel. */
  readonly gy: Float32Array;
  /** √(gx² + gy²). */
  readonly magnitude: Float32Array;
}

/**
 * Central differences in metres per pixel (one-sided at the border or next to a missing pixel, like
 * np.gradient at edges); 0 where the pixel itself is missing or has no valid neighbour along an axis.
 */
export function depthGradients(depth: DepthImage): DepthGradients {
  const { width: w, height: h, data: d } = depth;
  const n = w * h;
  const gx = new Float32Array(n);
  const gy = new Float32Array(n);
  const magnitude = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const c = d[i];
      if (!(c > 0)) continue;
      const l = x > 0 ? d[i - 1] : 0;
      const r = x < w - 1 ? d[i + 1] : 0;
      const u = y > 0 ? d[i - w] : 0;
      const b = y < h - 1 ? d[i + w] : 0;
      const dx = l > 0 ? (r > 0 ? 0.5 * (r - l) : c - l) : r > 0 ? r - c : 0;
      const dy = u > 0 ? (b > 0 ? 0.5 * (b - u) : c - u) : b > 0 ? b - c : 0;
      gx[i] = dx;
      gy[i] = dy;
      magnitude[i] = Math.sqrt(dx * dx + dy * dy);
    }
  }
  return { gx, gy, magnitude };
}

/** The depth a plan works on: `depth` itself when no pixel is missing, else {@link inpaint}ed (a new image). */
export function inpaintMissing(depth: DepthImage): DepthImage {
  for (let i = 0, d = depth.data; i < d.length; i++) if (!(d[i] > 0)) return inpaint(depth);
  return depth;
}

/**
 * Fills every missing pixel (0) from its valid surroundings with a push-pull pyramid: valid pixels
 * are averaged down to a 1×1 level, then each level's holes take the bilinear interpolation of the
 * (already filled) coarser level. Valid pixels are untouched. O(pixels); fills everything when at least
 * one pixel is valid (an image with none comes back all zero).
 */
export function inpaint(depth: DepthImage): DepthImage {
  const { width, height } = depth;
  const values: Float32Array[] = [depth.data.slice()];
  const valid: Uint8Array[] = [];
  const widths = [width];
  const heights = [height];
  const v0 = new Uint8Array(width * height);
  let missing = 0;
  for (let i = 0; i < v0.length; i++) {
    if (depth.data[i] > 0) v0[i] = 1;
    else {
      values[0][i] = 0; // NaN or negatives would poison the averages
      missing++;
    }
  }
  valid.push(v0);
  if (missing === 0 || missing === v0.length) return createDepthImage(width, height, values[0]);

  // Push: average valid children into each coarser pixel.
  while (widths[widths.length - 1] > 1 || heights[heights.length - 1] > 1) {
    const L = values.length - 1;
    const fw = widths[L];
    const fh = heights[L];
    const cw = Math.ceil(fw / 2);
    const ch = Math.ceil(fh / 2);
    const fv = values[L];
    const fm = valid[L];
    const cv = new Float32Array(cw * ch);
    const cm = new Uint8Array(cw * ch);
    // Missing pixels hold 0 at every level, so a block's sum needs no branch (adding 0 leaves the float sum as it was);
    // only the last row and column of an odd-sized level have fewer than four children.
    for (let y = 0; y < ch; y++) {
      const r0 = 2 * y * fw,
        r1 = 2 * y + 1 < fh ? r0 + fw : -1;
      for (let x = 0; x < cw; x++) {
        const j = r0 + 2 * x,
          right = 2 * x + 1 < fw;
        let s = fv[j],
          c = fm[j];
        if (right) {
          s += fv[j + 1];
          c += fm[j + 1];
        }
        if (r1 >= 0) {
          const k = r1 + 2 * x;
          s += fv[k];
          c += fm[k];
          if (right) {
            s += fv[k + 1];
            c += fm[k + 1];
          }
        }
        if (c > 0) {
          cv[y * cw + x] = s / c;
          cm[y * cw + x] = 1;
        }
      }
    }
    values.push(cv);
    valid.push(cm);
    widths.push(cw);
    heights.push(ch);
  }

  // Pull: the coarsest level is a single valid pixel; fill each finer level's holes from the level above.
  for (let L = values.length - 2; L >= 0; L--) {
    const fw = widths[L];
    const fh = heights[L];
    const cw = widths[L + 1];
    const ch = heights[L + 1];
    const fv = values[L];
    const fm = valid[L];
    const cv = values[L + 1];
    for (let y = 0; y < fh; y++) {
      // Fine pixel centre y maps to coarse coordinate y/2 − 0.25 (pixel-centre convention).
      const sy = Math.min(Math.max(y / 2 - 0.25, 0), ch - 1);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, ch - 1);
      const ty = sy - y0;
      for (let x = 0; x < fw; x++) {
        const i = y * fw + x;
        if (fm[i]) continue;
        const sx = Math.min(Math.max(x / 2 - 0.25, 0), cw - 1);
        const x0 = Math.floor(sx);
        const x1 = Math.min(x0 + 1, cw - 1);
        const tx = sx - x0;
        const top = cv[y0 * cw + x0] + tx * (cv[y0 * cw + x1] - cv[y0 * cw + x0]);
        const bottom = cv[y1 * cw + x0] + tx * (cv[y1 * cw + x1] - cv[y1 * cw + x0]);
        fv[i] = top + ty * (bottom - top);
        fm[i] = 1;
      }
    }
  }
  return createDepthImage(width, height, values[0]);
}

/**
 * Bilinear resize with pixel-centre alignment (like cv2.INTER_LINEAR without antialiasing). Missing
 * source pixels are left out of each 2×2 neighbourhood and the weights renormalised; an output pixel
 * whose four neighbours are all missing is missing.
 */
export function resizeBilinear(depth: DepthImage, width: number, height: number): DepthImage {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new Error(`resizeBilinear: output size must be positive integers, got ${width}×${height}`);
  const { width: sw, height: sh, data: src } = depth;
  const out = new Float32Array(width * height);
  const scaleX = sw / width;
  const scaleY = sh / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sh - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const ty = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sw - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const tx = sx - x0;
      const a = src[y0 * sw + x0];
      const b = src[y0 * sw + x1];
      const c = src[y1 * sw + x0];
      const d = src[y1 * sw + x1];
      const wa = (1 - tx) * (1 - ty);
      const wb = tx * (1 - ty);
      const wc = (1 - tx) * ty;
      const wd = tx * ty;
      if (a > 0 && b > 0 && c > 0 && d > 0) {
        out[y * width + x] = wa * a + wb * b + wc * c + wd * d;
      } else {
        let s = 0;
        let wsum = 0;
        if (a > 0) {
          s += wa * a;
          wsum += wa;
        }
        if (b > 0) {
          s += wb * b;
          wsum += wb;
        }
        if (c > 0) {
          s += wc * c;
          wsum += wc;
        }
        if (d > 0) {
          s += wd * d;
          wsum += wd;
        }
        out[y * width + x] = wsum > 0 ? s / wsum : 0;
      }
    }
  }
  return createDepthImage(width, height, out);
}

/**
 * Shrinks by an integer factor: each output pixel is the mean of the valid pixels in its
 * factor×factor block (partial blocks at the right and bottom edges included, so the size is
 * ceil(W / factor) × ceil(H / factor)); a block with no valid pixel is missing.
 */
export function downsample(depth: DepthImage, factor: number): DepthImage {
  if (!(Number.isInteger(factor) && factor >= 1))
    throw new Error(`downsample: factor must be a positive integer, got ${factor}`);
  const { width: sw, height: sh, data: src } = depth;
  if (factor === 1) return createDepthImage(sw, sh, src.slice());
  const w = Math.ceil(sw / factor);
  const h = Math.ceil(sh / factor);
  const sum = new Float64Array(w * h);
  const count = new Uint32Array(w * h);
  for (let y = 0; y < sh; y++) {
    const row = Math.floor(y / factor) * w;
    for (let x = 0; x < sw; x++) {
      const v = src[y * sw + x];
      if (v > 0) {
        const j = row + Math.floor(x / factor);
        sum[j] += v;
        count[j]++;
      }
    }
  }
  const out = new Float32Array(w * h);
  for (let j = 0; j < out.length; j++) if (count[j] > 0) out[j] = sum[j] / count[j];
  return createDepthImage(w, h, out);
}
