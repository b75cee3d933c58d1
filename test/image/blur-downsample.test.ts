import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { createDepthImage, type DepthImage } from '../../src/image/depth-image.js';
import { blurDownsample, downsample, gaussianBlur } from '../../src/image/filters.js';

// The fused blur + block average the image sampler runs on every plan, against its definition computed pixel by pixel.
function noisy(width: number, height: number, seed: number, holeFraction: number): DepthImage {
  const rng = new Random(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = rng.next() < holeFraction ? 0 : 0.5 + 0.2 * rng.next();
  return createDepthImage(width, height, data);
}

/** Σ over valid source pixels of K(x − fX) K(y − fY) v / Σ K K, with K the truncated Gaussian summed over a block. */
function bruteForce(img: DepthImage, sigma: number, f: number, fill: boolean): Float32Array {
  const radius = Math.max(1, Math.ceil(4 * sigma));
  const g = (r: number) => (Math.abs(r) <= radius ? Math.exp((-0.5 * r * r) / (sigma * sigma)) : 0);
  const K = (off: number) => {
    let s = 0;
    for (let b = 0; b < f; b++) s += g(off - b);
    return s;
  };
  const w = Math.ceil(img.width / f),
    h = Math.ceil(img.height / f);
  const out = new Float32Array(w * h);
  for (let Y = 0; Y < h; Y++)
    for (let X = 0; X < w; X++) {
      let sv = 0,
        sw = 0,
        any = false;
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++) {
          const v = img.data[y * img.width + x];
          if (!(v > 0)) continue;
          if (Math.floor(x / f) === X && Math.floor(y / f) === Y) any = true;
          const k = K(x - f * X) * K(y - f * Y);
          sv += k * v;
          sw += k;
        }
      out[Y * w + X] = sw > 0 && (fill || any) ? sv / sw : 0;
    }
  return out;
}

describe('blurDownsample', () => {
  it('equals the normalised convolution with the block-summed Gaussian, with and without holes', () => {
    for (const [holes, f, sigma] of [
      [0, 2, 1],
      [0.15, 2, 1],
      [0.15, 3, 0.7],
      [0.6, 2, 1.5],
      [0.1, 1, 1.3],
    ] as const) {
      const img = noisy(23, 17, 7, holes);
      for (const fill of [false, true]) {
        const out = blurDownsample(img, sigma, f, { fillMissing: fill });
        expect([out.width, out.height]).toEqual([Math.ceil(23 / f), Math.ceil(17 / f)]);
        const want = bruteForce(img, sigma, f, fill);
        for (let i = 0; i < want.length; i++)
          expect(out.data[i], `holes ${holes} f ${f} fill ${fill} #${i}`).toBeCloseTo(want[i], 5);
      }
    }
  });

  it('away from the border of a dense image, is the block mean of the full-resolution blur', () => {
    const img = noisy(40, 36, 3, 0);
    const fused = blurDownsample(img, 1, 2);
    const twoStep = downsample(gaussianBlur(img, 1), 2);
    for (let Y = 3; Y < fused.height - 3; Y++)
      for (let X = 3; X < fused.width - 3; X++)
        expect(fused.data[Y * fused.width + X]).toBeCloseTo(twoStep.data[Y * twoStep.width + X], 5);
  });

  it('with σ = 0 it is the block mean of the valid pixels', () => {
    const img = noisy(11, 9, 5, 0.3);
    const a = blurDownsample(img, 0, 3);
    const b = downsample(img, 3);
    expect(a.data.length).toBe(b.data.length);
    for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 6);
    expect(() => blurDownsample(img, 1, 0)).toThrow(/positive integer/);
  });
});
