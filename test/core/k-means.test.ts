// k-means against cases with known answers: well-separated blobs are recovered exactly, centres are
// the (weighted) means of their rows, and both seedings are deterministic and pick what they promise.
import { describe, expect, it } from 'vitest';
import { farthestPointSeeds, kMeans, kMeansPlusPlusSeeds } from '../../src/core/k-means.js';
import { Random } from '../../src/core/random.js';

/** n points around each of the given 2-D centres (spread 0.1), rows in blob order. */
function blobs(centres: [number, number][], n: number, rng: Random): Float64Array {
  const out = new Float64Array(centres.length * n * 2);
  centres.forEach(([x, y], b) => {
    for (let i = 0; i < n; i++) {
      out[(b * n + i) * 2] = x + 0.1 * rng.normal();
      out[(b * n + i) * 2 + 1] = y + 0.1 * rng.normal();
    }
  });
  return out;
}

describe('k-means', () => {
  const centres: [number, number][] = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];

  for (const seeding of ['k-means++', 'farthest'] as const) {
    it(`recovers three separated blobs exactly (${seeding} seeding); centres are the blob means`, () => {
      const rng = new Random(4);
      const n = 40;
      const data = blobs(centres, n, rng);
      const seeds =
        seeding === 'k-means++'
          ? kMeansPlusPlusSeeds(data, 3 * n, 2, 3, new Random(2))
          : farthestPointSeeds(data, 3 * n, 2, 3, 0);
      const c = Float64Array.from(seeds);
      const labels = kMeans(data, 3 * n, 2, c, { iterations: 20 });
      for (let b = 0; b < 3; b++) {
        const label = labels[b * n]!;
        let sx = 0,
          sy = 0;
        for (let i = 0; i < n; i++) {
          expect(labels[b * n + i]).toBe(label);
          sx += data[(b * n + i) * 2]!;
          sy += data[(b * n + i) * 2 + 1]!;
        }
        expect(c[label * 2]).toBeCloseTo(sx / n, 12);
        expect(c[label * 2 + 1]).toBeCloseTo(sy / n, 12);
      }
      expect(new Set(labels).size).toBe(3);
    });
  }

  it('weighted centres are weighted means (closed form on 1-D points)', () => {
    const data = Float64Array.of(0, 1, 2, 100, 104);
    const weights = Float64Array.of(1, 1, 2, 3, 1);
    const c = Float64Array.of(0, 100);
    const labels = kMeans(data, 5, 1, c, { iterations: 5, weights });
    expect(Array.from(labels)).toEqual([0, 0, 0, 1, 1]);
    expect(c[0]).toBeCloseTo((0 + 1 + 4) / 4, 14);
    expect(c[1]).toBeCloseTo((300 + 104) / 4, 14);
  });

  it('farthest-point seeding starts at the given row and takes the farthest row next', () => {
    const data = Float64Array.of(0, 0, 1, 0, 5, 0, 2, 0);
    expect(Array.from(farthestPointSeeds(data, 4, 2, 2, 1))).toEqual([1, 0, 5, 0]);
  });

  it('k-means++ seeding is deterministic per seed and picks distinct rows when rows are distinct', () => {
    const data = blobs(centres, 10, new Random(8));
    const a = kMeansPlusPlusSeeds(data, 30, 2, 3, new Random(1));
    expect(Array.from(kMeansPlusPlusSeeds(data, 30, 2, 3, new Random(1)))).toEqual(Array.from(a));
    const picked = new Set([0, 1, 2].map((c) => `${a[c * 2]},${a[c * 2 + 1]}`));
    expect(picked.size).toBe(3);
  });

  it('a centre that loses all its rows stays put', () => {
    const data = Float64Array.of(0, 1, 2);
    const c = Float64Array.of(1, 50);
    const labels = kMeans(data, 3, 1, c, { iterations: 3 });
    expect(Array.from(labels)).toEqual([0, 0, 0]);
    expect(c[1]).toBe(50);
  });
});
