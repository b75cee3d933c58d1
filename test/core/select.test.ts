// selectKth against a full sort: every k of random, sorted, reversed and constant arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectKth } from '../../src/core/select.js';

describe('selectKth', () => {
  it('returns what a sort puts at index k, for every k', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = Float32Array.from(values).sort();
        for (let k = 0; k < values.length; k++)
          expect(selectKth(Float32Array.from(values), k) + 0).toBe(sorted[k]! + 0); // + 0: −0 and 0 tie
      }),
      { numRuns: 300 },
    );
  });

  it('handles sorted, reversed and constant runs of 100,000 in linear time', () => {
    const n = 100_000;
    const up = Float64Array.from({ length: n }, (_, i) => i);
    expect(selectKth(up.slice(), n >> 1)).toBe(n >> 1);
    expect(selectKth(up.slice().reverse(), 10)).toBe(10);
    expect(selectKth(new Float64Array(n).fill(0.7), n - 1)).toBe(0.7);
  });

  it('refuses k outside the array', () => {
    expect(() => selectKth(new Float32Array(3), 3)).toThrow(RangeError);
    expect(() => selectKth(new Float32Array(0), 0)).toThrow(RangeError);
  });
});
