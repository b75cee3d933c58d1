// EM for Gaussian mixtures: recovers a known mixture, samples its moments, stays finite on degenerate input.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { GaussianMixture, zScore } from '../../src/policy/gaussian-mixture.js';

/** n rows from 0.3·N((−4, 1), diag(1, 0.25)) + 0.7·N((3, −2), [[1, 0.6], [0.6, 1]]). */
function twoBlobs(n: number, seed: number): Float64Array {
  const rng = new Random(seed);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const a = rng.normal(),
      b = rng.normal();
    if (rng.next() < 0.3) {
      out[2 * i] = -4 + a;
      out[2 * i + 1] = 1 + 0.5 * b;
    } else {
      out[2 * i] = 3 + a;
      out[2 * i + 1] = -2 + 0.6 * a + 0.8 * b;
    }
  }
  return out;
}

function moments(rows: Float64Array, d: number): { mean: number[]; cov: number[] } {
  const n = rows.length / d;
  const mean = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j] / n;
  const cov = new Array(d * d).fill(0);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < d; r++)
      for (let s = 0; s < d; s++) cov[r * d + s] += ((rows[i * d + r] - mean[r]) * (rows[i * d + s] - mean[s])) / n;
  return { mean, cov };
}

describe('gaussian mixture (EM)', () => {
  const data = twoBlobs(2000, 1);
  const gmm = GaussianMixture.fit(data, 2000, 2, new Random(5), { components: 2, regularizer: 1e-6 });

  it('recovers the means, weights and covariances of a well-separated mixture', () => {
    const order = gmm.means[0] < gmm.means[2] ? [0, 1] : [1, 0];
    const [a, b] = order;
    expect(gmm.weights[a]).toBeCloseTo(0.3, 1);
    expect(gmm.weights[b]).toBeCloseTo(0.7, 1);
    expect(gmm.means[a * 2]).toBeCloseTo(-4, 0);
    expect(gmm.means[a * 2 + 1]).toBeCloseTo(1, 0);
    expect(gmm.means[b * 2]).toBeCloseTo(3, 0);
    expect(gmm.means[b * 2 + 1]).toBeCloseTo(-2, 0);
    expect(Math.abs(gmm.covariances[b * 4 + 1] - 0.6)).toBeLessThan(0.1);
    expect(Math.abs(gmm.covariances[a * 4 + 3] - 0.25)).toBeLessThan(0.05);
    expect(gmm.converged).toBe(true);
  });

  it('samples reproduce the data moments, and the density integrates to about 1', () => {
    const s = gmm.sample(new Random(9), 20000);
    const m = moments(s, 2),
      md = moments(data, 2);
    for (let j = 0; j < 2; j++) expect(Math.abs(m.mean[j] - md.mean[j])).toBeLessThan(0.1);
    for (let j = 0; j < 4; j++) expect(Math.abs(m.cov[j] - md.cov[j]) / Math.abs(md.cov[j])).toBeLessThan(0.05);
    // Riemann sum of exp(logDensity) over a box holding the mass.
    let total = 0;
    const h = 0.05;
    const x = new Float64Array(2);
    for (let u = -9; u < 8; u += h)
      for (let v = -7; v < 5; v += h) {
        x[0] = u;
        x[1] = v;
        total += Math.exp(gmm.logDensity(x)) * h * h;
      }
    expect(total).toBeCloseTo(1, 2);
  });

  it('is deterministic per seed', () => {
    const again = GaussianMixture.fit(data, 2000, 2, new Random(5), { components: 2, regularizer: 1e-6 });
    expect(Array.from(again.means)).toEqual(Array.from(gmm.means));
    expect(Array.from(again.sample(new Random(3), 10))).toEqual(Array.from(gmm.sample(new Random(3), 10)));
  });

  it('stays finite on identical rows and on fewer rows than components', () => {
    const same = new Float64Array(5 * 10).fill(0.5);
    const z = zScore(same, 10, 5);
    const g = GaussianMixture.fit(z.normalized, 10, 5, new Random(1), { components: 4 });
    for (const v of [...g.weights, ...g.means, ...g.covariances]) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(g.logDensity(z.normalized))).toBe(true);
    for (const v of g.sample(new Random(2), 20)) expect(Number.isFinite(v)).toBe(true);

    const few = Float64Array.of(1, 2, 3, 4, 5, 6);
    const g2 = GaussianMixture.fit(few, 2, 3, new Random(1), { components: 5 });
    expect(g2.components).toBe(2);
    for (const v of [...g2.weights, ...g2.means, ...g2.covariances]) expect(Number.isFinite(v)).toBe(true);
    const single = GaussianMixture.fit(Float64Array.of(7, 8), 1, 2, new Random(1), { components: 3 });
    expect(Array.from(single.means)).toEqual([7, 8]);
    expect(single.covariances[0]).toBeCloseTo(0.01, 12);
  });

  it('rejects non-finite data with a clear message', () => {
    expect(() => GaussianMixture.fit(Float64Array.of(1, NaN), 1, 2, new Random(1), { components: 1 })).toThrow(
      /finite/,
    );
  });
});
