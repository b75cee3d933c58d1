// Training-time augmentation of grasp-aligned depth crops (docs/dex-net-facts.md §1, §4): per-crop
// multiplicative Gamma noise, additive Gaussian-process noise drawn on a coarse grid and
// bicubic-upsampled, and the label-preserving symmetries of a parallel-jaw grasp (180° rotation,
// flips); plus the normalisation statistics computed from the training data.
import type { Random } from '../core/random.js';
import { gaussianProcessNoise } from '../render/noise.js';
import type { Normalisation } from './model-io.js';

export interface AugmentOptions {
  /** Gamma(shape, scale) multiplicative noise per crop; Dex-Net 2.0: shape 1000, scale 0.001. */
  gammaShape?: number;
  gammaScale?: number;
  /** Additive GP noise σ in metres (0.005) on a grid of H/gpDownsample × W/gpDownsample (4). */
  gpSigma?: number;
  gpDownsample?: number;
  /** Probability of applying the GP noise to a crop. */
  gpRate?: number;
  /** Probabilities of a 180° rotation, a left–right flip and an up–down flip (0.5 each). */
  rotateRate?: number;
  flipRate?: number;
  /** Up–down flip probability when it differs from `flipRate` (0 for suction crops, whose rows follow the approach). */
  flipUpDownRate?: number;
}

/**
 * Augments n single-channel h × w crops of raw depth (metres, 0 = missing) in place. The
 * symmetries act on the crop only, so pose inputs (grasp depth) and labels stay valid.
 */
export function augmentCrops(
  crops: Float32Array,
  n: number,
  h: number,
  w: number,
  rng: Random,
  o: AugmentOptions = {},
): void {
  const shape = o.gammaShape ?? 1000;
  const scale = o.gammaScale ?? 0.001;
  const sigma = o.gpSigma ?? 0.005;
  const ds = o.gpDownsample ?? 4;
  const field = new Float32Array(h * w);
  const tmp = new Float32Array(h * w);
  for (let k = 0; k < n; k++) {
    const off = k * h * w;
    // The sensor noise model of the renderer (render/noise.ts), drawn per crop.
    if (shape > 0 && scale > 0) {
      const g = rng.gamma(shape, scale);
      for (let i = off; i < off + h * w; i++) crops[i]! *= g;
    }
    if (sigma > 0 && rng.next() < (o.gpRate ?? 0.5)) {
      gaussianProcessNoise(w, h, rng, sigma, ds, field);
      for (let i = 0; i < h * w; i++) if (crops[off + i] !== 0) crops[off + i]! += field[i]!; // missing depth stays missing
    }
    const rot = rng.next() < (o.rotateRate ?? 0.5);
    const flipLR = rng.next() < (o.flipRate ?? 0.5);
    const flipUD = rng.next() < (o.flipUpDownRate ?? o.flipRate ?? 0.5);
    // 180° rotation = both flips, so the three compose into at most one of each flip
    const lr = rot !== flipLR;
    const ud = rot !== flipUD;
    if (!lr && !ud) continue;
    tmp.set(crops.subarray(off, off + h * w));
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++) crops[off + r * w + c] = tmp[(ud ? h - 1 - r : r) * w + (lr ? w - 1 - c : c)]!;
  }
}

/**
 * Streaming image and pose statistics over training data (float64 sums), giving gqcnn's
 * normalisation: scalar image mean/std over all pixels, per-column pose mean/std.
 */
export class NormalisationAccumulator {
  // sums of (v − shift) with shift = the first value seen: depths sit near 0.7 m with mm-scale
  // spread, where raw Σv² − n·mean² would cancel catastrophically
  private imN = 0;
  private imShift = NaN;
  private imSum = 0;
  private imSumSq = 0;
  private poseN = 0;
  private readonly poseShift: Float64Array;
  private readonly poseSum: Float64Array;
  private readonly poseSumSq: Float64Array;

  constructor(readonly poseDim: number) {
    this.poseShift = new Float64Array(poseDim).fill(NaN);
    this.poseSum = new Float64Array(poseDim);
    this.poseSumSq = new Float64Array(poseDim);
  }

  addImages(pixels: ArrayLike<number>): void {
    if (pixels.length === 0) return;
    if (Number.isNaN(this.imShift)) this.imShift = pixels[0]!;
    const k = this.imShift;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i]! - k;
      this.imSum += v;
      this.imSumSq += v * v;
    }
    this.imN += pixels.length;
  }

  addPoses(poses: ArrayLike<number>, n: number): void {
    for (let i = 0; i < n; i++)
      for (let d = 0; d < this.poseDim; d++) {
        if (Number.isNaN(this.poseShift[d]!)) this.poseShift[d] = poses[i * this.poseDim + d]!;
        const v = poses[i * this.poseDim + d]! - this.poseShift[d]!;
        this.poseSum[d]! += v;
        this.poseSumSq[d]! += v * v;
      }
    this.poseN += n;
  }

  /** Standard deviations below `minStd` (constant inputs) are replaced by 1. */
  result(minStd = 1e-8): Normalisation {
    if (this.imN === 0 || this.poseN === 0) throw new Error('normalisation: no training data seen');
    const std = (sum: number, sq: number, n: number) => {
      const m = sum / n;
      const s = Math.sqrt(Math.max(0, sq / n - m * m));
      return s < minStd ? 1 : s;
    };
    return {
      imMean: this.imShift + this.imSum / this.imN,
      imStd: std(this.imSum, this.imSumSq, this.imN),
      poseMean: Array.from(this.poseSum, (s, d) => this.poseShift[d]! + s / this.poseN),
      poseStd: Array.from(this.poseSum, (s, d) => std(s, this.poseSumSq[d]!, this.poseN)),
    };
  }
}
