// Distance from the origin to the boundary of a convex hull by enumerating every candidate facet: slow
// (all dim-subsets of the points) but simple, so it answers when the expanding-polytope search loses
// consistency, and serves as its reference.
import { unitNormal } from '../../core/linear-algebra.js';

/**
 * Slow reference used only when the fast search loses consistency: every affinely independent dim-subset
 * whose hyperplane leaves all points on one side spans a facet hyperplane; ε is the nearest one.
 */
export function bruteForceBoundaryDistance(points: Float64Array, count: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < count * dim; j++) s = Math.max(s, Math.abs(points[j]));
  const tol = 1e-9 * s;
  const idx = new Int32Array(dim);
  for (let i = 0; i < dim; i++) idx[i] = i;
  const A = new Float64Array(dim * dim);
  const u = new Float64Array(dim);
  const beta = new Float64Array(dim);
  let best = Infinity;
  let anyFacet = false;
  for (;;) {
    if (hyperplaneThrough(points, idx, dim, A, u, beta)) {
      let d = 0;
      for (let i = 0; i < dim; i++) d += u[i] * points[idx[0] * dim + i];
      let above = false,
        below = false;
      for (let j = 0; j < count && !(above && below); j++) {
        let t = -d;
        for (let i = 0; i < dim; i++) t += u[i] * points[j * dim + i];
        if (t > tol) above = true;
        else if (t < -tol) below = true;
      }
      if (!(above && below)) {
        anyFacet = true;
        // Orient outward (points below); the origin's signed distance is then d.
        const dist = above ? -d : d;
        if (dist < best) best = dist;
      }
    }
    let i = dim - 1;
    while (i >= 0 && idx[i] === count - dim + i) i--;
    if (i < 0) break;
    idx[i]++;
    for (let k = i + 1; k < dim; k++) idx[k] = idx[k - 1] + 1;
  }
  return anyFacet ? best : 0;
}

/** Unit normal of the hyperplane through points idx (QR of the edge vectors); false if degenerate. */
function hyperplaneThrough(
  points: Float64Array,
  idx: Int32Array,
  dim: number,
  A: Float64Array,
  u: Float64Array,
  beta: Float64Array,
): boolean {
  const o0 = idx[0] * dim;
  for (let r = 0; r < dim - 1; r++) {
    const o = idx[r + 1] * dim;
    for (let c = 0; c < dim; c++) A[r * dim + c] = points[o + c] - points[o0 + c];
  }
  return unitNormal(A, dim, u, beta, 1e-12);
}
