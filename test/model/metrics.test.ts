// Report metrics against hand-computed values and against brute-force definitions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averagePrecision, classificationMetrics, rocAuc } from '../../src/model/metrics.js';

describe('metrics', () => {
  it('matches hand-computed figures', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2];
    const labels = [1, 1, 0, 1, 0, 0, 1, 0];
    const m = classificationMetrics(scores, labels);
    expect([m.truePositives, m.falsePositives, m.trueNegatives, m.falseNegatives]).toEqual([3, 2, 2, 1]);
    expect(m.errorRate).toBeCloseTo(3 / 8, 12);
    expect(m.precision).toBeCloseTo(3 / 5, 12);
    expect(m.recall).toBeCloseTo(3 / 4, 12);
    expect(m.majorityErrorRate).toBe(0.5);
    // AP: positives at ranks 1, 2, 4, 7 → (1 + 1 + 3/4 + 4/7) / 4
    expect(m.averagePrecision).toBeCloseTo((1 + 1 + 0.75 + 4 / 7) / 4, 12);
    // AUC: pairs (pos > neg): 4 + 4 + 3 + 1 = 12 of 16
    expect(m.rocAuc).toBeCloseTo(12 / 16, 12);
  });

  it('ROC AUC equals the pairwise probability P(s+ > s−) + ½P(tie) on random data with ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 40 }),
        (rows) => {
          const scores = rows.map(([s]) => s / 5);
          const labels = rows.map(([, l]) => (l ? 1 : 0));
          const pos = scores.filter((_, i) => labels[i] === 1);
          const neg = scores.filter((_, i) => labels[i] === 0);
          if (!pos.length || !neg.length) return Number.isNaN(rocAuc(scores, labels));
          let s = 0;
          for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
          return Math.abs(rocAuc(scores, labels) - s / (pos.length * neg.length)) < 1e-12;
        },
      ),
    );
  });

  it('AP is 1 for a perfect ranking and the positive rate for constant scores', () => {
    expect(averagePrecision([0.9, 0.8, 0.1, 0.05], [1, 1, 0, 0])).toBe(1);
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    expect(() => classificationMetrics([0.1], [2])).toThrow(/labels\[0\] = 2/);
  });
});
