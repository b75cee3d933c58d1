// Linear algebra against closed forms and reconstructions: L·Lᵀ = A and A·x = b for random SPD
// matrices, log det against a diagonal and a 2×2 closed form, the unit normal's orthogonality, and
// V·Λ·Vᵀ = A for the Jacobi eigen-decomposition.
import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, symmetricEigen3, unitNormal } from '../../src/core/linear-algebra.js';
import { Random } from '../../src/core/random.js';

/** A = B·Bᵀ + n·I for a random B: symmetric positive definite. */
function randomSpd(n: number, rng: Random): Float64Array {
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      let s = r === c ? n : 0;
      for (let t = 0; t < n; t++) s += B[r * n + t]! * B[c * n + t]!;
      A[r * n + c] = s;
    }
  return A;
}

describe('cholesky', () => {
  it('factors random SPD matrices: L lower triangular, L·Lᵀ = A, and solves A·x = b', () => {
    const rng = new Random(3);
    for (const n of [1, 2, 3, 6, 9]) {
      const A = randomSpd(n, rng);
      const L = new Float64Array(n * n).fill(7);
      expect(Number.isFinite(cholesky(A, n, L))).toBe(true);
      for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) expect(L[r * n + c]).toBe(0);
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let t = 0; t < n; t++) s += L[r * n + t]! * L[c * n + t]!;
          expect(s).toBeCloseTo(A[r * n + c]!, 10);
        }
      const x = Float64Array.from({ length: n }, () => rng.normal());
      const b = new Float64Array(n);
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) b[r] += A[r * n + c]! * x[c]!;
      choleskySolve(L, n, b);
      for (let i = 0; i < n; i++) expect(b[i]).toBeCloseTo(x[i]!, 9);
    }
  });

  it('log det equals the closed forms of a diagonal and a 2×2 matrix', () => {
    const D = Float64Array.of(2, 0, 0, 0, 3, 0, 0, 0, 5);
    expect(cholesky(D, 3, new Float64Array(9))).toBeCloseTo(Math.log(30), 12);
    const M = Float64Array.of(4, 2, 2, 3);
    expect(cholesky(M, 2, new Float64Array(4))).toBeCloseTo(Math.log(4 * 3 - 2 * 2), 12);
  });

  it('works in place and at offsets, and fails (NaN) on an indefinite matrix unless pivots are clamped', () => {
    const rng = new Random(5);
    const A = randomSpd(4, rng);
    const both = new Float64Array(3 + 16);
    both.set(A, 3);
    const L = new Float64Array(16);
    const logDet = cholesky(A, 4, L);
    expect(cholesky(both, 4, both, { aOffset: 3, outOffset: 3 })).toBe(logDet);
    expect(Array.from(both.subarray(3))).toEqual(Array.from(L));
    const indefinite = Float64Array.of(1, 2, 2, 1);
    expect(cholesky(indefinite, 2, new Float64Array(4))).toBeNaN();
    expect(Number.isFinite(cholesky(indefinite, 2, new Float64Array(4), { minPivot: 1e-9 }))).toBe(true);
    // a shift of the diagonal makes it definite: [[4, 2], [2, 4]] has det 12
    expect(cholesky(indefinite, 2, new Float64Array(4), { diagonalShift: 3 })).toBeCloseTo(Math.log(12), 12);
  });
});

describe('unitNormal', () => {
  it('is a unit vector orthogonal to d − 1 random vectors in d dimensions', () => {
    const rng = new Random(9);
    for (const dim of [2, 3, 6]) {
      for (let trial = 0; trial < 20; trial++) {
        const V = Float64Array.from({ length: (dim - 1) * dim }, () => rng.normal());
        const E = Float64Array.from(V);
        const u = new Float64Array(dim);
        expect(unitNormal(E, dim, u, new Float64Array(dim), 1e-12)).toBe(true);
        let norm = 0;
        for (let i = 0; i < dim; i++) norm += u[i]! ** 2;
        expect(norm).toBeCloseTo(1, 12);
        for (let r = 0; r < dim - 1; r++) {
          let dot = 0;
          for (let i = 0; i < dim; i++) dot += u[i]! * V[r * dim + i]!;
          expect(Math.abs(dot)).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('gives ±z for two vectors in the xy-plane and reports dependent vectors', () => {
    const u = new Float64Array(3);
    expect(unitNormal(Float64Array.of(1, 2, 0, -3, 1, 0), 3, u, new Float64Array(3), 1e-12)).toBe(true);
    expect(Math.abs(u[2]!)).toBeCloseTo(1, 14);
    // the second vector is twice the first: no unique normal
    expect(unitNormal(Float64Array.of(1, 2, 3, 2, 4, 6), 3, u, new Float64Array(3), 1e-12)).toBe(false);
  });
});

describe('symmetricEigen3', () => {
  it('reconstructs random symmetric matrices as V·Λ·Vᵀ with orthonormal, right-handed V and ascending Λ', () => {
    const rng = new Random(11);
    for (let trial = 0; trial < 50; trial++) {
      const m = new Array<number>(9);
      for (let r = 0; r < 3; r++) for (let c = r; c < 3; c++) m[r * 3 + c] = m[c * 3 + r] = rng.normal();
      const { values, vectors: V } = symmetricEigen3(m);
      expect(values[0]).toBeLessThanOrEqual(values[1]);
      expect(values[1]).toBeLessThanOrEqual(values[2]);
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) {
          let a = 0,
            vtv = 0;
          for (let k = 0; k < 3; k++) {
            a += V[r * 3 + k]! * values[k]! * V[c * 3 + k]!;
            vtv += V[k * 3 + r]! * V[k * 3 + c]!;
          }
          expect(a).toBeCloseTo(m[r * 3 + c]!, 12);
          expect(vtv).toBeCloseTo(r === c ? 1 : 0, 12);
        }
      const det =
        V[0] * (V[4] * V[8] - V[5] * V[7]) - V[1] * (V[3] * V[8] - V[5] * V[6]) + V[2] * (V[3] * V[7] - V[4] * V[6]);
      expect(det).toBeCloseTo(1, 12);
    }
  });
});
