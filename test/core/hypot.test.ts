// hypot3 must give Math.hypot's every bit: labels computed with either are a dataset's ground truth.
import { describe, expect, it } from 'vitest';
import { hypot3 } from '../../src/core/hypot.js';
import { Random } from '../../src/core/random.js';

describe('hypot3', () => {
  it('equals Math.hypot bit for bit over magnitudes from subnormal to near overflow, zeros of both signs', () => {
    const rng = new Random(17);
    const draw = () => {
      const k = rng.next();
      if (k < 0.05) return 0;
      if (k < 0.1) return -0;
      const m = rng.uniform(-1, 1);
      // Whole decades from 1e-320 to 1e300, weighted towards the millimetre edges and areas of meshes.
      if (k < 0.2) return m * 10 ** rng.uniform(-320, 300);
      if (k < 0.25) return m * 1e308;
      return m * 10 ** rng.uniform(-12, 0);
    };
    let mismatches = 0;
    for (let i = 0; i < 200_000; i++) {
      const a = draw(),
        b = draw(),
        c = draw();
      if (!Object.is(hypot3(a, b, c), Math.hypot(a, b, c))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('keeps the builtin’s rules for NaN, infinities and overflow', () => {
    const cases: [number, number, number][] = [
      [NaN, 1, 2],
      [1, NaN, Infinity],
      [-Infinity, NaN, 0],
      [Infinity, 0, 0],
      [1.5e308, 1.5e308, 1e308],
      [-0, -0, -0],
      [0, -0, 5e-324],
    ];
    for (const [a, b, c] of cases) expect(Object.is(hypot3(a, b, c), Math.hypot(a, b, c))).toBe(true);
  });
});
