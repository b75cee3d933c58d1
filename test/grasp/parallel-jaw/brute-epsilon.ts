// Slow, independent reference for Ferrari–Canny ε (all 6-point hyperplanes): the tests' oracle and the
// benchmark's baseline, standing in for Dex-Net's hull-then-one-QP-per-facet method.

/** Determinant by Gaussian elimination with partial pivoting (destroys `a`). */
function det(a: Float64Array, n: number): number {
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (a[p * n + c] === 0) return 0;
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      d = -d;
    }
    d *= a[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
    }
  }
  return d;
}

/**
 * Reference ε: every 6-subset spanning a hyperplane with all points on one side (within tol) is a facet
 * hyperplane; the origin is interior iff it is strictly on the inner side of all of them, and ε is the
 * smallest such distance. Normals come from the generalised cross product (cofactors), unlike the solver.
 */
export function bruteEpsilon(pts: Float64Array, n: number): number {
  const D = 6;
  let scale = 0;
  for (let j = 0; j < n; j++) scale = Math.max(scale, Math.hypot(...pts.subarray(j * D, j * D + D)));
  const tol = 1e-9 * scale;
  const idx = [0, 1, 2, 3, 4, 5];
  const E = new Float64Array(5 * 6);
  const minor = new Float64Array(25);
  const u = new Float64Array(6);
  let best = Infinity;
  let facets = 0;
  for (;;) {
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 6; c++) E[r * 6 + c] = pts[idx[r + 1] * D + c] - pts[idx[0] * D + c];
    let nn = 0,
      hadamard = 1;
    for (let r = 0; r < 5; r++) hadamard *= Math.hypot(...E.subarray(r * 6, r * 6 + 6));
    for (let c = 0; c < 6; c++) {
      let w = 0;
      for (let r = 0; r < 5; r++) for (let k = 0; k < 6; k++) if (k !== c) minor[w++] = E[r * 6 + k];
      u[c] = (c % 2 === 0 ? 1 : -1) * det(minor, 5);
      nn += u[c] * u[c];
    }
    nn = Math.sqrt(nn);
    // Skip nearly affinely dependent subsets (volume tiny next to the Hadamard bound): their "hyperplane" is noise.
    if (nn > 1e-10 * hadamard) {
      for (let c = 0; c < 6; c++) u[c] /= nn;
      let d = 0;
      for (let c = 0; c < 6; c++) d += u[c] * pts[idx[0] * D + c];
      let above = false,
        below = false;
      for (let j = 0; j < n; j++) {
        let t = -d;
        for (let c = 0; c < 6; c++) t += u[c] * pts[j * D + c];
        if (t > tol) above = true;
        else if (t < -tol) below = true;
      }
      if (!(above && below)) {
        facets++;
        const signed = above ? -d : d;
        best = Math.min(best, signed);
      }
    }
    let i = 5;
    while (i >= 0 && idx[i] === n - 6 + i) i--;
    if (i < 0) break;
    idx[i]++;
    for (let k = i + 1; k < 6; k++) idx[k] = idx[k - 1] + 1;
  }
  return facets > 0 && best > 0 ? best : 0;
}
