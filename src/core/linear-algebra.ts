// Small dense linear algebra on row-major Float64Arrays, shared by the wrench-space solvers, the
// Gaussian mixture and the mesh properties: Cholesky factor and solve, the unit normal of d − 1
// vectors in d dimensions (Householder QR), and the symmetric 3×3 eigen-decomposition (Jacobi).

export interface CholeskyOptions {
  /** Where the n×n matrix starts in `a` (default 0). */
  aOffset?: number;
  /** Where the factor starts in `out` (default 0). */
  outOffset?: number;
  /**
   * With a value, a pivot below it is clamped to it (the factor always exists; for matrices that are
   * positive definite by construction, where only rounding can push a pivot to 0). Without, a
   * non-positive pivot makes the factorisation fail.
   */
  minPivot?: number;
  /** Added to every diagonal entry of A (a jitter that makes a semi-definite matrix definite). */
  diagonalShift?: number;
}

/**
 * Lower Cholesky factor L (A = L·Lᵀ) of the symmetric n×n matrix in `a` (lower triangle read) into
 * `out`, upper triangle zeroed; `out` may be `a` itself. Returns log det A, or NaN when A is not
 * positive definite (and minPivot is not set).
 */
export function cholesky(a: Float64Array, n: number, out: Float64Array, options: CholeskyOptions = {}): number {
  const ao = options.aOffset ?? 0;
  const oo = options.outOffset ?? 0;
  const minPivot = options.minPivot;
  const shift = options.diagonalShift ?? 0;
  let logDet = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c <= r; c++) {
      let v = a[ao + r * n + c]! + (r === c ? shift : 0);
      for (let t = 0; t < c; t++) v -= out[oo + r * n + t]! * out[oo + c * n + t]!;
      if (r === c) {
        if (minPivot !== undefined) v = Math.max(v, minPivot);
        else if (!(v > 0)) return NaN;
        const root = Math.sqrt(v);
        out[oo + r * n + r] = root;
        logDet += 2 * Math.log(root);
      } else out[oo + r * n + c] = v / out[oo + c * n + c]!;
    }
    for (let c = r + 1; c < n; c++) out[oo + r * n + c] = 0;
  }
  return logDet;
}

/** Solves L·Lᵀ·x = b in place (b becomes x) from the lower factor L of cholesky(). */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, offset = 0): void {
  for (let r = 0; r < n; r++) {
    let s = b[r]!;
    for (let t = 0; t < r; t++) s -= L[offset + r * n + t]! * b[t]!;
    b[r] = s / L[offset + r * n + r]!;
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let t = r + 1; t < n; t++) s -= L[offset + t * n + r]! * b[t]!;
    b[r] = s / L[offset + r * n + r]!;
  }
}

/**
 * Unit vector orthogonal to the m = dim − 1 vectors in the rows of `E` (m×dim, overwritten): the last
 * column of Q in the Householder QR of Eᵀ. `beta` is scratch of length ≥ m. With `rankTolerance`,
 * returns false when some |R_kk| falls below it times the largest entry of E (the vectors span fewer
 * than m dimensions, so the normal is not unique); without, always succeeds.
 */
export function unitNormal(
  E: Float64Array,
  dim: number,
  out: Float64Array,
  beta: Float64Array,
  rankTolerance?: number,
): boolean {
  const m = dim - 1;
  let scale = 0;
  if (rankTolerance !== undefined) for (let i = 0; i < m * dim; i++) scale = Math.max(scale, Math.abs(E[i]!));
  for (let k = 0; k < m; k++) {
    const ck = k * dim;
    let nrm = 0;
    for (let r = k; r < dim; r++) nrm += E[ck + r]! * E[ck + r]!;
    nrm = Math.sqrt(nrm);
    if (rankTolerance !== undefined && !(nrm > rankTolerance * scale)) return false;
    // reflect onto −sign(e_k)·‖e‖ so that e_k − a never cancels
    const a = E[ck + k]! >= 0 ? -nrm : nrm;
    E[ck + k] = E[ck + k]! - a;
    let vv = 0;
    for (let r = k; r < dim; r++) vv += E[ck + r]! * E[ck + r]!;
    const b = vv > 0 ? 2 / vv : 0;
    beta[k] = b;
    for (let c = k + 1; c < m; c++) {
      const cc = c * dim;
      let s = 0;
      for (let r = k; r < dim; r++) s += E[ck + r]! * E[cc + r]!;
      s *= b;
      for (let r = k; r < dim; r++) E[cc + r] = E[cc + r]! - s * E[ck + r]!;
    }
  }
  // Q·e_dim = H_0 · … · H_{m−1} · e_dim spans the orthogonal complement of the rows
  out.fill(0, 0, dim);
  out[dim - 1] = 1;
  for (let k = m - 1; k >= 0; k--) {
    const ck = k * dim;
    let s = 0;
    for (let r = k; r < dim; r++) s += E[ck + r]! * out[r]!;
    s *= beta[k]!;
    for (let r = k; r < dim; r++) out[r] = out[r]! - s * E[ck + r]!;
  }
  let nn = 0;
  for (let r = 0; r < dim; r++) nn += out[r]! * out[r]!;
  nn = 1 / Math.sqrt(nn);
  for (let r = 0; r < dim; r++) out[r] = out[r]! * nn;
  return true;
}

export interface SymmetricEigen3 {
  /** Eigenvalues in ascending order. */
  values: [number, number, number];
  /** Row-major matrix whose columns are the matching unit eigenvectors (a right-handed rotation). */
  vectors: [number, number, number, number, number, number, number, number, number];
}

/**
 * Eigen-decomposition of a symmetric 3×3 matrix (row-major; the mean of m and mᵀ is used) by cyclic
 * Jacobi rotations: unconditionally stable and accurate to working precision, which closed-form cubic
 * roots are not near repeated eigenvalues (cubes, cylinders).
 */
export function symmetricEigen3(m: ArrayLike<number>): SymmetricEigen3 {
  const at = (i: number) => m[i]!;
  const a = [
    [at(0), (at(1) + at(3)) / 2, (at(2) + at(6)) / 2],
    [(at(1) + at(3)) / 2, at(4), (at(5) + at(7)) / 2],
    [(at(2) + at(6)) / 2, (at(5) + at(7)) / 2, at(8)],
  ] as number[][];
  const q = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ] as number[][];
  for (let sweep = 0; sweep < 64; sweep++) {
    const off = a[0]![1]! ** 2 + a[0]![2]! ** 2 + a[1]![2]! ** 2;
    const diag = a[0]![0]! ** 2 + a[1]![1]! ** 2 + a[2]![2]! ** 2;
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < 2; p++) {
      for (let r = p + 1; r < 3; r++) {
        const apr = a[p]![r]!;
        if (apr === 0) continue;
        // Rotation angle that zeroes a[p][r]; the smaller root of t² + 2θt − 1 keeps |angle| ≤ π/4.
        const theta = (a[r]![r]! - a[p]![p]!) / (2 * apr);
        const tan = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(tan * tan + 1);
        const s = tan * c;
        for (let k = 0; k < 3; k++) {
          const akp = a[k]![p]!,
            akr = a[k]![r]!;
          a[k]![p] = c * akp - s * akr;
          a[k]![r] = s * akp + c * akr;
        }
        for (let k = 0; k < 3; k++) {
          const apk = a[p]![k]!,
            ark = a[r]![k]!;
          a[p]![k] = c * apk - s * ark;
          a[r]![k] = s * apk + c * ark;
        }
        for (let k = 0; k < 3; k++) {
          const qkp = q[k]![p]!,
            qkr = q[k]![r]!;
          q[k]![p] = c * qkp - s * qkr;
          q[k]![r] = s * qkp + c * qkr;
        }
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[i]![i]! - a[j]![j]!);
  const [o0, o1, o2] = order as [number, number, number];
  const values: SymmetricEigen3['values'] = [a[o0]![o0]!, a[o1]![o1]!, a[o2]![o2]!];
  const v: SymmetricEigen3['vectors'] = [
    q[0]![o0]!,
    q[0]![o1]!,
    q[0]![o2]!,
    q[1]![o0]!,
    q[1]![o1]!,
    q[1]![o2]!,
    q[2]![o0]!,
    q[2]![o1]!,
    q[2]![o2]!,
  ];
  const det =
    v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6]);
  if (det < 0) {
    v[2] = -v[2];
    v[5] = -v[5];
    v[8] = -v[8];
  }
  return { values, vectors: v };
}
