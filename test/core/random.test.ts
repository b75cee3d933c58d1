import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';

describe('Random', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Random(7),
      b = new Random(7),
      c = new Random(8);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(xs);
  });

  it('uniform, normal and gamma draws have the right moments', () => {
    const r = new Random(1);
    const n = 200_000;
    let su = 0,
      sn = 0,
      sn2 = 0,
      sg = 0,
      sg2 = 0,
      outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++; // one expect per draw would cost more than the draws
      su += u;
      const z = r.normal(2, 3);
      sn += z;
      sn2 += z * z;
      const g = r.gamma(1000, 0.001); // docs/dex-net-facts.md §1 multiplicative depth noise: mean 1, sd ≈ 0.0316
      sg += g;
      sg2 += g * g;
    }
    expect(outside).toBe(0);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(2, 1);
    expect(Math.sqrt(sn2 / n - (sn / n) ** 2)).toBeCloseTo(3, 1);
    expect(sg / n).toBeCloseTo(1, 3);
    expect(Math.sqrt(sg2 / n - (sg / n) ** 2)).toBeCloseTo(Math.sqrt(1000) * 0.001, 3);
  });

  it('truncated normals stay inside their bounds', () => {
    const r = new Random(3);
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = r.truncatedNormal(0.5, 0.1, 0, 1);
      if (!(v >= 0 && v <= 1)) outside++;
    }
    expect(outside).toBe(0);
  });

  it('Poisson draws match the pmf e^−λ λ^k / k! (λ = 5: every count within 4 standard errors) and λ = 0 gives 0', () => {
    const r = new Random(11);
    const n = 40_000,
      lambda = 5;
    const counts = new Array<number>(30).fill(0);
    for (let i = 0; i < n; i++) counts[Math.min(29, r.poisson(lambda))]++;
    let pk = Math.exp(-lambda);
    for (let k = 0; k < 15; k++) {
      const se = Math.sqrt(n * pk * (1 - pk));
      expect(Math.abs(counts[k] - n * pk)).toBeLessThan(4 * se);
      pk *= lambda / (k + 1);
    }
    expect(r.poisson(0)).toBe(0);
  });
});
