import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { createDepthImage } from '../../src/image/depth-image.js';
import { applyDepthNoise, gaussianProcessNoise } from '../../src/render/noise.js';

const meanStd = (xs: ArrayLike<number>) => {
  let s = 0,
    s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    s2 += xs[i] * xs[i];
  }
  const m = s / xs.length;
  return [m, Math.sqrt(s2 / xs.length - m * m)];
};

/** Catmull–Rom weights for the four taps around a sample at fraction t past the second tap. */
const catmullRom = (t: number) => [
  (-t * t * t + 2 * t * t - t) / 2,
  (3 * t * t * t - 5 * t * t + 2) / 2,
  (-3 * t * t * t + 4 * t * t + t) / 2,
  (t * t * t - t * t) / 2,
];

describe('multiplicative Gamma noise', () => {
  it('one factor per image with mean 1 and std √k·θ ≈ 0.0316', () => {
    const rng = new Random(11);
    const factors: number[] = [];
    for (let n = 0; n < 4000; n++) {
      const im = createDepthImage(4, 4, new Float32Array(16).fill(0.7));
      const { multiplier } = applyDepthNoise(im, rng, { gpSigma: 0 });
      for (const v of im.data) expect(v).toBe(Math.fround(Math.fround(0.7) * multiplier));
      factors.push(multiplier);
    }
    const [m, s] = meanStd(factors);
    expect(Math.abs(m - 1)).toBeLessThan(0.002);
    expect(s / Math.sqrt(1000 * 0.001 * 0.001)).toBeCloseTo(1, 1);
  });
});

describe('Gaussian-process noise', () => {
  const fields = (seed: number, count: number, size: number) => {
    const rng = new Random(seed);
    return Array.from({ length: count }, () => gaussianProcessNoise(size, size, rng, 0.005, 4));
  };

  it('has mean 0 and the variance bicubic upsampling of σ = 5 mm implies', () => {
    const size = 200;
    const fs = fields(2, 8, size);
    // Interior pixels only (edge taps are clamped and repeat a sample).
    const xs: number[] = [];
    for (const f of fs) for (let r = 8; r < size - 8; r++) for (let c = 8; c < size - 8; c++) xs.push(f[r * size + c]);
    const [m, s] = meanStd(xs);
    expect(Math.abs(m)).toBeLessThan(1.5e-4);
    let perAxis = 0;
    for (let i = 0; i < 4; i++) {
      const src = (i + 0.5) / 4 - 0.5;
      perAxis += catmullRom(src - Math.floor(src)).reduce((a, w) => a + w * w, 0) / 4;
    }
    expect(s / (0.005 * perAxis)).toBeCloseTo(1, 1);
    expect(s).toBeLessThan(0.005);
  });

  it('is spatially correlated: neighbours strongly, pixels 20 apart not at all', () => {
    const size = 160;
    const fs = fields(3, 10, size);
    const corr = (dr: number, dc: number) => {
      let sxy = 0,
        sxx = 0,
        syy = 0;
      for (const f of fs)
        for (let r = 4; r < size - 4 - dr; r++)
          for (let c = 4; c < size - 4 - dc; c++) {
            const a = f[r * size + c],
              b = f[(r + dr) * size + c + dc];
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
          }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(corr(0, 1)).toBeGreaterThan(0.85);
    expect(corr(1, 0)).toBeGreaterThan(0.85);
    expect(corr(1, 1)).toBeGreaterThan(0.75);
    expect(Math.abs(corr(0, 20))).toBeLessThan(0.04);
    expect(Math.abs(corr(20, 0))).toBeLessThan(0.04);
  });

  it('handles sizes that are not multiples of the scale factor', () => {
    const f = gaussianProcessNoise(37, 23, new Random(1), 0.005, 4);
    expect(f.length).toBe(37 * 23);
    expect(f.every((v) => Number.isFinite(v))).toBe(true);
    expect(() => gaussianProcessNoise(10, 10, new Random(1), 0.005, 4, new Float32Array(5))).toThrow(/expected 100/);
  });
});

describe('applyDepthNoise', () => {
  const scene = () => {
    const im = createDepthImage(64, 48);
    for (let r = 0; r < 48; r++)
      for (let c = 0; c < 64; c++) im.data[r * 64 + c] = (r + c) % 3 === 0 ? 0 : 0.6 + 0.001 * c;
    return im;
  };

  it('leaves missing pixels at exactly 0 and moves every valid one', () => {
    const before = scene(),
      after = scene();
    applyDepthNoise(after, new Random(4));
    for (let i = 0; i < before.data.length; i++) {
      if (before.data[i] === 0) expect(after.data[i]).toBe(0);
      else {
        expect(after.data[i]).not.toBe(before.data[i]);
        expect(Math.abs(after.data[i] - before.data[i])).toBeLessThan(0.2);
      }
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = scene(),
      b = scene(),
      c = scene();
    applyDepthNoise(a, new Random(21));
    applyDepthNoise(b, new Random(21));
    applyDepthNoise(c, new Random(22));
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer))).toBe(false);
  });

  it('is the Gamma factor followed by the field drawn next from the same generator', () => {
    const im = scene(),
      original = scene();
    const { multiplier } = applyDepthNoise(im, new Random(6));
    const rng = new Random(6);
    expect(rng.gamma(1000, 0.001)).toBe(multiplier);
    const field = gaussianProcessNoise(64, 48, rng, 0.005, 4);
    for (let i = 0; i < im.data.length; i++) {
      if (original.data[i] === 0) continue;
      expect(im.data[i]).toBe(Math.fround(Math.fround(original.data[i] * multiplier) + field[i]));
    }
  });

  it('can switch off either part', () => {
    const im = scene(),
      original = scene();
    expect(applyDepthNoise(im, new Random(1), { gammaShape: 0, gpSigma: 0 }).multiplier).toBe(1);
    expect(Array.from(im.data)).toEqual(Array.from(original.data));
  });
});
