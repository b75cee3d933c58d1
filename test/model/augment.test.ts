// Augmentation statistics and symmetries, normalisation statistics, and prioritised sampling.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { NormalisationAccumulator, augmentCrops } from '../../src/model/augment.js';
import { PrioritizedSampler } from '../../src/model/prioritized.js';

describe('augmentCrops', () => {
  it('symmetries only: every crop is the original, rotated 180° or flipped, all four appear', () => {
    const h = 4;
    const w = 5;
    const n = 64;
    const base = Float32Array.from({ length: h * w }, (_, i) => i + 1);
    const crops = new Float32Array(n * h * w);
    for (let k = 0; k < n; k++) crops.set(base, k * h * w);
    augmentCrops(crops, n, h, w, new Random(7), { gammaShape: 0, gpSigma: 0 });
    const kinds = new Set<string>();
    for (let k = 0; k < n; k++) {
      const c = crops.subarray(k * h * w, (k + 1) * h * w);
      const first = c[0]!;
      const kind =
        first === 1 ? 'id' : first === w ? 'lr' : first === (h - 1) * w + 1 ? 'ud' : first === h * w ? 'rot' : '?';
      kinds.add(kind);
      for (let r = 0; r < h; r++)
        for (let col = 0; col < w; col++) {
          const rr = kind === 'ud' || kind === 'rot' ? h - 1 - r : r;
          const cc = kind === 'lr' || kind === 'rot' ? w - 1 - col : col;
          expect(c[r * w + col]).toBe(base[rr * w + cc]);
        }
    }
    expect([...kinds].sort()).toEqual(['id', 'lr', 'rot', 'ud']);
  });

  it('noise keeps missing depth at 0, is seeded, and has the configured scale', () => {
    const n = 200;
    const crops = new Float32Array(n * 32 * 32).fill(0.7);
    crops[5] = 0;
    const again = Float32Array.from(crops);
    augmentCrops(crops, n, 32, 32, new Random(3), { gpRate: 1, rotateRate: 0, flipRate: 0 });
    augmentCrops(again, n, 32, 32, new Random(3), { gpRate: 1, rotateRate: 0, flipRate: 0 });
    expect(crops).toEqual(again);
    expect(crops[5]).toBe(0);
    // within-crop spread comes from the GP noise alone (σ ≈ 0.005 m after smoothing, ≤ σ)
    let within = 0;
    for (let k = 0; k < n; k++) {
      const c = crops.subarray(k * 1024 + 32, (k + 1) * 1024);
      const m = c.reduce((a, b) => a + b, 0) / c.length;
      within += Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / c.length);
    }
    within /= n;
    expect(within).toBeGreaterThan(0.002);
    expect(within).toBeLessThan(0.0075);
  });
});

describe('NormalisationAccumulator', () => {
  it('matches two-pass statistics on depths with mm-scale spread', () => {
    const g = new Random(4);
    const r = () => g.normal();
    const px = Float32Array.from({ length: 10000 }, () => 0.7 + 0.003 * r());
    const poses = Float32Array.from({ length: 2000 }, (_, i) => (i % 2 ? 5 : 0.65 + 0.01 * r()));
    const acc = new NormalisationAccumulator(2);
    acc.addImages(px.subarray(0, 3000));
    acc.addImages(px.subarray(3000));
    acc.addPoses(poses, 1000);
    const res = acc.result();
    const m = px.reduce((a, b) => a + b, 0) / px.length;
    const s = Math.sqrt(px.reduce((a, b) => a + (b - m) ** 2, 0) / px.length);
    expect(res.imMean).toBeCloseTo(m, 9);
    expect(res.imStd).toBeCloseTo(s, 9);
    expect(res.poseStd[1]).toBe(1); // constant column
    expect(res.poseMean[1]).toBeCloseTo(5, 6);
  });
});

describe('PrioritizedSampler', () => {
  it('shuffles during warm-up, then samples by loss, drops 10% lowest and re-admits ~1%', () => {
    const s = new PrioritizedSampler(1000, { seed: 1, warmupEpochs: 1 });
    const e0 = s.epochOrder();
    expect(Array.from(e0).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // loss 1 for the first 100 points, 0.01 for the rest
    s.update(
      e0,
      Array.from(e0, (i) => (i < 100 ? 1 : 0.01)),
    );
    expect(s.endEpoch()).toEqual({ dropped: 0, readmitted: 0 });
    const e1 = s.epochOrder();
    expect(e1.length).toBe(1000);
    const hard = Array.from(e1).filter((i) => i < 100).length;
    // expected share 100 / (100 + 900·0.01) ≈ 0.917
    expect(hard / 1000).toBeGreaterThan(0.88);
    const r1 = s.endEpoch();
    expect(r1.dropped).toBe(100);
    expect(s.activeCount).toBe(900);
    for (let i = 0; i < 100; i++) expect(s.active[i]).toBe(1);
    const r2 = s.endEpoch();
    expect(r2.readmitted).toBe(1);
    expect(r2.dropped).toBe(90);
    expect(s.activeCount).toBe(900 + 1 - 90);
  });
});
