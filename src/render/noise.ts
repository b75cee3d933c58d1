// Depth sensor noise (Dex-Net/gqcnn): a per-image multiplicative Gamma factor and spatially correlated Gaussian
// noise drawn on a coarse grid and bicubic-upsampled. Shared by dataset rendering and training augmentation.
import type { Random } from '../core/random.js';
import type { DepthImage } from '../image/depth-image.js';

export interface DepthNoiseOptions {
  /** Gamma shape k of the per-image multiplier (mean k·θ = 1 by default); ≤ 0 or Infinity disables it. */
  gammaShape?: number;
  /** Gamma scale θ. */
  gammaScale?: number;
  /** Standard deviation (m) of the coarse-grid Gaussian noise; 0 disables it. */
  gpSigma?: number;
  /** The coarse grid is ⌈H / f⌉ × ⌈W / f⌉. */
  gpScaleFactor?: number;
}

export const DEFAULT_DEPTH_NOISE: Required<DepthNoiseOptions> = {
  gammaShape: 1000,
  gammaScale: 0.001,
  gpSigma: 0.005,
  gpScaleFactor: 4,
};

export interface DepthNoiseDraw {
  /** The Gamma factor applied to every valid pixel (1 when disabled). */
  multiplier: number;
}

/**
 * Adds sensor noise to `depth` in place: valid pixels become d·m + g(x, y), with m ~ Gamma(shape, scale) drawn once
 * per image and g the upsampled coarse Gaussian field; missing pixels (0) stay 0. Random draws, in order: the
 * Gamma factor (if enabled), then the coarse grid row by row (if enabled).
 */
export function applyDepthNoise(depth: DepthImage, rng: Random, options: DepthNoiseOptions = {}): DepthNoiseDraw {
  const o = { ...DEFAULT_DEPTH_NOISE, ...options };
  const data = depth.data,
    n = depth.width * depth.height;
  let multiplier = 1;
  if (o.gammaShape > 0 && Number.isFinite(o.gammaShape)) {
    multiplier = rng.gamma(o.gammaShape, o.gammaScale);
    for (let i = 0; i < n; i++) if (data[i] !== 0) data[i] *= multiplier;
  }
  if (o.gpSigma > 0) {
    const field = workspace(depth.width, depth.height, o.gpScaleFactor).field;
    gaussianProcessNoise(depth.width, depth.height, rng, o.gpSigma, o.gpScaleFactor, field);
    for (let i = 0; i < n; i++) if (data[i] !== 0) data[i] += field[i];
  }
  return { multiplier };
}

/**
 * Correlated noise field: i.i.d. N(0, σ) on a ⌈H/f⌉ × ⌈W/f⌉ grid, upsampled to H × W with bicubic (Keys, a = −0.5)
 * interpolation, pixel-centre aligned like PIL's resize (which gqcnn's imresize used), edges clamped.
 * Writes into `out` (length W·H) when given.
 */
export function gaussianProcessNoise(
  width: number,
  height: number,
  rng: Random,
  sigma: number,
  scaleFactor = 4,
  out?: Float32Array,
): Float32Array {
  const ws = workspace(width, height, scaleFactor);
  const field = out ?? new Float32Array(width * height);
  if (field.length !== width * height)
    throw new Error(`noise field has ${field.length} values, expected ${width * height}`);
  const { gw, gh, coarse, rowPass, colIndex, colWeight, rowIndex, rowWeight } = ws;
  for (let i = 0; i < gw * gh; i++) coarse[i] = rng.normal(0, sigma);

  // Horizontal pass: every coarse row to full width.
  for (let gr = 0; gr < gh; gr++) {
    const src = gr * gw,
      dst = gr * width;
    for (let col = 0; col < width; col++) {
      const k = col * 4;
      rowPass[dst + col] =
        colWeight[k] * coarse[src + colIndex[k]] +
        colWeight[k + 1] * coarse[src + colIndex[k + 1]] +
        colWeight[k + 2] * coarse[src + colIndex[k + 2]] +
        colWeight[k + 3] * coarse[src + colIndex[k + 3]];
    }
  }
  // Vertical pass: blend four widened rows into each output row.
  for (let row = 0; row < height; row++) {
    const k = row * 4;
    const a = rowIndex[k] * width,
      b = rowIndex[k + 1] * width,
      c = rowIndex[k + 2] * width,
      d = rowIndex[k + 3] * width;
    const wa = rowWeight[k],
      wb = rowWeight[k + 1],
      wc = rowWeight[k + 2],
      wd = rowWeight[k + 3];
    const base = row * width;
    for (let col = 0; col < width; col++)
      field[base + col] = wa * rowPass[a + col] + wb * rowPass[b + col] + wc * rowPass[c + col] + wd * rowPass[d + col];
  }
  return field;
}

/** Keys cubic convolution kernel with a = −0.5 (Catmull–Rom): interpolating, weights sum to 1. */
export function cubicWeight(t: number): number {
  const x = Math.abs(t);
  if (x <= 1) return (1.5 * x - 2.5) * x * x + 1;
  if (x < 2) return ((-0.5 * x + 2.5) * x - 4) * x + 2;
  return 0;
}

interface Workspace {
  key: string;
  gw: number;
  gh: number;
  coarse: Float64Array;
  rowPass: Float32Array;
  field: Float32Array;
  colIndex: Int32Array;
  colWeight: Float32Array;
  rowIndex: Int32Array;
  rowWeight: Float32Array;
}

// One cached workspace: images in a run share a size, so buffers and tap tables are built once.
let cached: Workspace | null = null;

function workspace(width: number, height: number, scaleFactor: number): Workspace {
  const key = `${width}x${height}/${scaleFactor}`;
  if (cached && cached.key === key) return cached;
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new RangeError(`noise image size must be positive integers, got ${width}×${height}`);
  if (!(scaleFactor >= 1 && Number.isFinite(scaleFactor)))
    throw new RangeError(`gpScaleFactor must be ≥ 1, got ${scaleFactor}`);
  const gw = Math.ceil(width / scaleFactor),
    gh = Math.ceil(height / scaleFactor);
  const [colIndex, colWeight] = taps(width, gw);
  const [rowIndex, rowWeight] = taps(height, gh);
  cached = {
    key,
    gw,
    gh,
    coarse: new Float64Array(gw * gh),
    rowPass: new Float32Array(gh * width),
    field: new Float32Array(width * height),
    colIndex,
    colWeight,
    rowIndex,
    rowWeight,
  };
  return cached;
}

/** Four source indices and weights per output sample for upsampling `n` samples to `size`. */
function taps(size: number, n: number): [Int32Array, Float32Array] {
  const index = new Int32Array(size * 4),
    weight = new Float32Array(size * 4);
  const ratio = n / size;
  for (let i = 0; i < size; i++) {
    const s = (i + 0.5) * ratio - 0.5;
    const s0 = Math.floor(s);
    for (let j = 0; j < 4; j++) {
      const src = s0 - 1 + j;
      index[i * 4 + j] = Math.min(n - 1, Math.max(0, src));
      weight[i * 4 + j] = cubicWeight(s - src);
    }
  }
  return [index, weight];
}
