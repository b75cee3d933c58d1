// Wolfe's minimum-norm-point algorithm (1976): the point of the convex hull of a set of points nearest the
// origin. Ferrari–Canny uses its norm to decide whether the origin lies inside a grasp's wrench hull
// (dex-net's wrench_norm_thresh rule) before measuring how deep inside.
import { cholesky, choleskySolve } from '../../core/linear-algebra.js';

/** Wolfe's algorithm with its scratch space (grown on demand, never per call). */
export class MinNormPoint {
  private dim = 0;
  private corral = new Int32Array(0);
  private lambda = new Float64Array(0);
  private alpha = new Float64Array(0);
  private x = new Float64Array(0);
  private gram = new Float64Array(0);
  private rhs = new Float64Array(0);
  private diffs = new Float64Array(0);

  private setDim(dim: number): void {
    if (dim === this.dim) return;
    this.dim = dim;
    this.corral = new Int32Array(dim + 2);
    this.lambda = new Float64Array(dim + 2);
    this.alpha = new Float64Array(dim + 2);
    this.x = new Float64Array(dim);
    this.gram = new Float64Array((dim + 1) * (dim + 1));
    this.rhs = new Float64Array(dim + 1);
    this.diffs = new Float64Array((dim + 1) * dim);
  }

  /**
   * Norm of the point of conv(points) nearest the origin (Wolfe 1976), its coordinates left in `out` if given.
   * The corral's affine minimiser is solved in difference coordinates so that corrals whose affine hull
   * passes through the origin (the interesting case here) stay well posed.
   */
  norm(points: Float64Array, count: number, dim: number, regularizer: number, out?: Float64Array): number {
    if (count <= 0) return Infinity;
    this.setDim(dim);
    const S = this.corral,
      lam = this.lambda,
      alpha = this.alpha,
      x = this.x;
    let s2 = 0,
      j0 = 0,
      best = Infinity;
    for (let j = 0; j < count; j++) {
      let q = 0;
      for (let i = 0; i < dim; i++) q += points[j * dim + i] * points[j * dim + i];
      if (q > s2) s2 = q;
      if (q < best) {
        best = q;
        j0 = j;
      }
    }
    let k = 1;
    S[0] = j0;
    lam[0] = 1;
    for (let i = 0; i < dim; i++) x[i] = points[j0 * dim + i];
    const tiny = 1e-14;
    for (let iter = 0; iter < 50 * (dim + 2); iter++) {
      let xx = 0;
      for (let i = 0; i < dim; i++) xx += x[i] * x[i];
      if (xx <= 1e-28 * s2) break;
      let jmin = -1,
        mmin = Infinity;
      for (let j = 0; j < count; j++) {
        let m = 0;
        for (let i = 0; i < dim; i++) m += x[i] * points[j * dim + i];
        if (m < mmin) {
          mmin = m;
          jmin = j;
        }
      }
      if (xx - mmin <= 1e-12 * s2) break;
      let inCorral = false;
      for (let a = 0; a < k; a++) if (S[a] === jmin) inCorral = true;
      if (inCorral || k > dim) break;
      S[k] = jmin;
      lam[k] = 0;
      k++;
      for (let minor = 0; minor <= dim + 1; minor++) {
        this.affineMinimiser(points, k, dim, regularizer);
        let allPositive = true;
        for (let a = 0; a < k; a++) if (!(alpha[a] > tiny)) allPositive = false;
        if (allPositive) {
          for (let a = 0; a < k; a++) lam[a] = alpha[a];
          break;
        }
        let theta = 1;
        for (let a = 0; a < k; a++) {
          if (alpha[a] <= tiny) {
            const den = lam[a] - alpha[a];
            const t = den > 0 ? lam[a] / den : 0;
            if (t < theta) theta = t;
          }
        }
        if (theta < 0) theta = 0;
        let drop = 0,
          dropVal = Infinity;
        for (let a = 0; a < k; a++) {
          lam[a] = (1 - theta) * lam[a] + theta * alpha[a];
          if (lam[a] < dropVal) {
            dropVal = lam[a];
            drop = a;
          }
        }
        // Drop every vanished weight, and at least the smallest, so each minor step makes progress.
        let w = 0,
          sum = 0;
        for (let a = 0; a < k; a++) {
          if (a === drop || lam[a] <= tiny) continue;
          S[w] = S[a];
          lam[w] = lam[a];
          sum += lam[a];
          w++;
        }
        k = w;
        for (let a = 0; a < k; a++) lam[a] /= sum;
        if (k <= 1) break;
      }
      for (let i = 0; i < dim; i++) x[i] = 0;
      for (let a = 0; a < k; a++) {
        const o = S[a] * dim;
        for (let i = 0; i < dim; i++) x[i] += lam[a] * points[o + i];
      }
    }
    let nn = 0;
    for (let i = 0; i < dim; i++) nn += x[i] * x[i];
    if (out) for (let i = 0; i < dim; i++) out[i] = x[i];
    return Math.sqrt(nn);
  }

  /** Barycentric weights (into alpha) of the point of the corral's affine hull nearest the origin. */
  private affineMinimiser(points: Float64Array, k: number, dim: number, regularizer: number): void {
    const S = this.corral,
      alpha = this.alpha;
    if (k === 1) {
      alpha[0] = 1;
      return;
    }
    const m = k - 1,
      D = this.diffs,
      G = this.gram,
      b = this.rhs;
    const o0 = S[0] * dim;
    for (let a = 0; a < m; a++) {
      const oa = S[a + 1] * dim;
      for (let i = 0; i < dim; i++) D[a * dim + i] = points[oa + i] - points[o0 + i];
    }
    for (let a = 0; a < m; a++) {
      let r = 0;
      for (let i = 0; i < dim; i++) r -= D[a * dim + i] * points[o0 + i];
      b[a] = r;
      for (let c = 0; c <= a; c++) {
        let g = 0;
        for (let i = 0; i < dim; i++) g += D[a * dim + i] * D[c * dim + i];
        G[a * m + c] = g;
      }
      G[a * m + a] += regularizer;
    }
    // G is positive definite by construction (a Gram matrix plus a ridge): clamp, never fail
    cholesky(G, m, G, { minPivot: 1e-300 });
    choleskySolve(G, m, b);
    let sum = 0;
    for (let a = 0; a < m; a++) {
      alpha[a + 1] = b[a];
      sum += b[a];
    }
    alpha[0] = 1 - sum;
  }
}
