// Depth filters the planner needs before sampling grasps: blur, gradients, hole filling, resizing — all aware that 0 means "no reading".
import { createDepthImage, type DepthImage } from './depth-image.js';

export interface GaussianBlurOptions {
  /** Also give missing pixels the weighted mean of their valid neighbours (default false: they stay 0). */
  fillMissing?: boolean;
  /** Kernel half-width in standard deviations (default 4, like scipy.ndimage). */
  truncate?: number;
}

/**
 * Separable Gaussian blur as a normalised convolution: missing pixels (0) contribute nothing and the
 * weights are renormalised, so holes and the image border do not drag depths towards 0.
 */
export function gaussianBlur(depth: DepthImage, sigmaPx: number, options: GaussianBlurOptions = {}): DepthImage {
  const { width: w, height: h, data: src } = depth;
  if (!(sigmaPx > 0)) return createDepthImage(w, h, src.slice());
  const radius = Math.max(1, Math.ceil((options.truncate ?? 4) * sigmaPx));
  const kernel = new Float32Array(2 * radius + 1);
  for (let k = -radius; k <= radius; k++) kernel[k + radius] = Math.exp((-0.5 * k * k) / (sigmaPx * sigmaPx));

  const n = w * h;
  // Branch-free inner loops: convolve the masked values and the validity mask separately.
  const maskedV = new Float32Array(n);
  const valid = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v > 0) {
      maskedV[i] = v;
      valid[i] = 1;
    }
  }
  const rowV = new Float32Array(n);
  const rowW = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 0; x < w; x++) {
      const k0 = x < radius ? -x : -radius;
      const k1 = w - 1 - x < radius ? w - 1 - x : radius;
      let sv = 0;
      let sw = 0;
      for (let k = k0, j = base + x + k0; k <= k1; k++, j++) {
        const g = kernel[k + radius];
        sv += g * maskedV[j];
        sw += g * valid[j];
      }
      rowV[base + x] = sv;
      rowW[base + x] = sw;
    }
  }
  // Vertical pass row by row so the inner loop walks memory contiguously.
  const accV = new Float32Array(w);
  const accW = new Float32Array(w);
  const out = new Float32Array(n);
  const fill = options.fillMissing === true;
  for (let y = 0; y < h; y++) {
    accV.fill(0);
    accW.fill(0);
    const k0 = y < radius ? -y : -radius;
    const k1 = h - 1 - y < radius ? h - 1 - y : radius;
    for (let k = k0; k <= k1; k++) {
      const g = kernel[k + radius];
      const base = (y + k) * w;
      for (let x = 0; x < w; x++) {
        accV[x] += g * rowV[base + x];
        accW[x] += g * rowW[base + x];
      }
    }
    const base = y * w;
    for (let x = 0; x < w; x++) {
      const sw = accW[x];
      out[base + x] = (fill || valid[base + x] > 0) && sw > 0 ? accV[x] / sw : 0;
    }
  }
  return createDepthImage(w, h, out);
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
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        let s = 0;
        let c = 0;
        for (let dy = 0; dy < 2; dy++) {
          const fy = 2 * y + dy;
          if (fy >= fh) break;
          for (let dx = 0; dx < 2; dx++) {
            const fx = 2 * x + dx;
            if (fx >= fw) break;
            const j = fy * fw + fx;
            if (fm[j]) {
              s += fv[j];
              c++;
            }
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
        if (a > 0) { s += wa * a; wsum += wa; }
        if (b > 0) { s += wb * b; wsum += wb; }
        if (c > 0) { s += wc * c; wsum += wc; }
        if (d > 0) { s += wd * d; wsum += wd; }
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
  if (!(Number.isInteger(factor) && factor >= 1)) throw new Error(`downsample: factor must be a positive integer, got ${factor}`);
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
