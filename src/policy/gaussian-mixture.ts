// Gaussian mixture with full covariances fitted by EM — the density the cross-entropy policy refits to its elite grasps and samples new ones from.
import { kMeans, kMeansPlusPlusSeeds } from '../core/k-means.js';
import { cholesky } from '../core/linear-algebra.js';
import type { Random } from '../core/random.js';

export interface GaussianMixtureOptions {
  /** Number of components (clamped to the number of rows). */
  components: number;
  /** Added to every covariance diagonal, keeping small elite sets from collapsing (gqcnn: 0.01). Default 0.01. */
  regularizer?: number;
  /** EM iterations at most. Default 100. */
  maxIterations?: number;
  /** Stop when the mean log-likelihood per row improves by less than this. Default 1e-3. */
  tolerance?: number;
  /** Lloyd iterations after the k-means++ seeding, before EM. Default 10. */
  kmeansIterations?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A fitted mixture over d-dimensional rows. Arrays are flat and row-major: `means[c·d + j]`,
 * `covariances[c·d² + r·d + s]`.
 */
export class GaussianMixture {
  /** Cholesky factors (lower triangular) and log-determinants of the covariances, for densities and sampling. */
  private readonly chol: Float64Array;
  private readonly logDet: Float64Array;
  private readonly logWeights: Float64Array;
  private readonly scratch: Float64Array;

  constructor(
    readonly dim: number,
    readonly weights: Float64Array,
    readonly means: Float64Array,
    readonly covariances: Float64Array,
    /** EM iterations run and whether the tolerance was met (informational). */
    readonly iterations = 0,
    readonly converged = true,
  ) {
    const k = weights.length;
    const d = dim;
    if (means.length !== k * d || covariances.length !== k * d * d)
      throw new Error(
        `gaussian mixture: ${k} components of dimension ${d} need ${k * d} means and ${k * d * d} covariance values`,
      );
    this.chol = new Float64Array(k * d * d);
    this.logDet = new Float64Array(k);
    this.logWeights = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      this.logDet[c] = choleskyInto(covariances, c * d * d, d, this.chol);
      this.logWeights[c] = Math.log(weights[c]);
    }
    this.scratch = new Float64Array(d);
  }

  get components(): number {
    return this.weights.length;
  }

  /** log p(x) of the row at `x[offset…offset + d)`. */
  logDensity(x: ArrayLike<number>, offset = 0): number {
    const k = this.weights.length;
    let max = -Infinity;
    // Two passes (max, then sum) keep the log-sum-exp stable without allocating.
    for (let c = 0; c < k; c++) {
      const v = this.logWeights[c] + this.componentLogDensity(c, x, offset);
      if (v > max) max = v;
    }
    if (max === -Infinity) return -Infinity;
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(this.logWeights[c] + this.componentLogDensity(c, x, offset) - max);
    return max + Math.log(s);
  }

  /** log N(x | mean_c, cov_c). */
  componentLogDensity(c: number, x: ArrayLike<number>, offset = 0): number {
    const d = this.dim;
    const L = this.chol;
    const base = c * d * d;
    const z = this.scratch;
    // Forward substitution: z = L⁻¹ (x − μ).
    let q = 0;
    for (let r = 0; r < d; r++) {
      let v = x[offset + r] - this.means[c * d + r];
      for (let s = 0; s < r; s++) v -= L[base + r * d + s] * z[s];
      v /= L[base + r * d + r];
      z[r] = v;
      q += v * v;
    }
    return -0.5 * (d * LOG_2PI + this.logDet[c] + q);
  }

  /** `count` rows drawn from the mixture (component by weight, then mean + L·N(0, I)), row-major. */
  sample(rng: Random, count: number): Float64Array {
    const d = this.dim;
    const k = this.weights.length;
    const out = new Float64Array(count * d);
    let total = 0;
    for (let c = 0; c < k; c++) total += this.weights[c];
    const z = this.scratch;
    for (let i = 0; i < count; i++) {
      let u = rng.next() * total;
      let c = 0;
      while (c < k - 1 && u >= this.weights[c]) {
        u -= this.weights[c];
        c++;
      }
      for (let r = 0; r < d; r++) z[r] = rng.normal();
      const base = c * d * d;
      for (let r = 0; r < d; r++) {
        let v = this.means[c * d + r];
        for (let s = 0; s <= r; s++) v += this.chol[base + r * d + s] * z[s];
        out[i * d + r] = v;
      }
    }
    return out;
  }

  /**
   * Fits by EM: k-means++ seeding (seeded by `rng`) and a few Lloyd steps give hard clusters, whose statistics
   * start EM; each M-step adds `regularizer` to the covariance diagonals, so duplicate rows or n < k stay finite.
   */
  static fit(
    data: Float64Array,
    n: number,
    dim: number,
    rng: Random,
    options: GaussianMixtureOptions,
  ): GaussianMixture {
    const d = dim;
    if (!(Number.isInteger(n) && n > 0 && Number.isInteger(d) && d > 0))
      throw new Error(`gaussian mixture: need at least one row of positive dimension, got ${n}×${d}`);
    if (data.length < n * d) throw new Error(`gaussian mixture: data holds ${data.length} values, expected ${n}×${d}`);
    for (let i = 0; i < n * d; i++)
      if (!Number.isFinite(data[i]))
        throw new Error(`gaussian mixture: value ${i} is ${data[i]}, expected finite numbers`);
    const k = Math.max(1, Math.min(Math.floor(options.components), n));
    const reg = options.regularizer ?? 0.01;
    const maxIter = options.maxIterations ?? 100;
    const tol = options.tolerance ?? 1e-3;

    const seeds = kMeansPlusPlusSeeds(data, n, d, k, rng);
    const labels = kMeans(data, n, d, seeds, { iterations: options.kmeansIterations ?? 10 });
    const resp = new Float64Array(n * k);
    for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;

    const weights = new Float64Array(k);
    const means = new Float64Array(k * d);
    const covs = new Float64Array(k * d * d);
    // Seed means for components that end up empty: their k-means centre, which mStep keeps.
    for (let c = 0; c < k; c++) {
      let cnt = 0;
      for (let i = 0; i < n; i++)
        if (labels[i] === c) {
          cnt++;
          for (let j = 0; j < d; j++) means[c * d + j] += data[i * d + j];
        }
      if (cnt > 0) for (let j = 0; j < d; j++) means[c * d + j] /= cnt;
      else for (let j = 0; j < d; j++) means[c * d + j] = data[j];
    }
    mStep(data, n, d, k, resp, reg, weights, means, covs);

    let prev = -Infinity;
    let iterations = 0;
    let converged = false;
    let model = new GaussianMixture(d, weights, means, covs);
    for (let it = 0; it < maxIter; it++) {
      iterations = it + 1;
      const ll = eStep(model, data, n, d, k, resp);
      mStep(data, n, d, k, resp, reg, weights, means, covs);
      model = new GaussianMixture(d, weights, means, covs);
      if (Math.abs(ll - prev) < tol) {
        converged = true;
        break;
      }
      prev = ll;
    }
    return new GaussianMixture(d, weights.slice(), means.slice(), covs.slice(), iterations, converged);
  }
}

/** Responsibilities into `resp`; returns the mean log-likelihood per row. */
function eStep(
  model: GaussianMixture,
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  resp: Float64Array,
): number {
  const logw = new Float64Array(k);
  for (let c = 0; c < k; c++) logw[c] = Math.log(model.weights[c]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const v = logw[c] + model.componentLogDensity(c, data, i * d);
      resp[i * k + c] = v;
      if (v > max) max = v;
    }
    let s = 0;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(resp[i * k + c] - max);
      resp[i * k + c] = e;
      s += e;
    }
    for (let c = 0; c < k; c++) resp[i * k + c] /= s;
    total += max + Math.log(s);
  }
  return total / n;
}

/** Weights, means and regularised covariances from responsibilities; a component with no mass keeps its mean. */
function mStep(
  data: Float64Array,
  n: number,
  d: number,
  k: number,
  resp: Float64Array,
  reg: number,
  weights: Float64Array,
  means: Float64Array,
  covs: Float64Array,
): void {
  // Like scikit-learn, a tiny floor keeps an empty component's weight positive (log stays finite).
  const floor = 10 * Number.EPSILON;
  for (let c = 0; c < k; c++) {
    let nk = 0;
    for (let i = 0; i < n; i++) nk += resp[i * k + c];
    weights[c] = (nk + floor) / (n + k * floor);
    const mBase = c * d;
    const cBase = c * d * d;
    if (nk > 1e-10) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += resp[i * k + c] * data[i * d + j];
        means[mBase + j] = s / nk;
      }
    }
    for (let r = 0; r < d; r++) {
      for (let s = 0; s <= r; s++) {
        let v = 0;
        if (nk > 1e-10) {
          for (let i = 0; i < n; i++)
            v += resp[i * k + c] * (data[i * d + r] - means[mBase + r]) * (data[i * d + s] - means[mBase + s]);
          v /= nk;
        }
        if (r === s) v += reg;
        covs[cBase + r * d + s] = v;
        covs[cBase + s * d + r] = v;
      }
    }
  }
}

/**
 * Lower Cholesky factor of the symmetric d×d matrix at `a[offset…]` into `out[offset…]`; returns log det. A
 * matrix that is not positive definite (only possible with regularizer 0) gets a growing diagonal jitter.
 */
function choleskyInto(a: Float64Array, offset: number, d: number, out: Float64Array): number {
  for (let jitter = 0, attempt = 0; attempt < 12; attempt++, jitter = jitter === 0 ? 1e-10 : jitter * 10) {
    const logDet = cholesky(a, d, out, { aOffset: offset, outOffset: offset, diagonalShift: jitter });
    if (!Number.isNaN(logDet)) return logDet;
  }
  throw new Error('gaussian mixture: covariance is not positive definite even with jitter (non-finite data?)');
}

/** Column means and standard deviations of n×d rows, and the z-scored rows (a zero deviation counts as 1e-6, like gqcnn). */
export function zScore(
  data: Float64Array,
  n: number,
  d: number,
): { normalized: Float64Array; mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(1, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const t = data[i * d + j] - mean[j];
      std[j] += t * t;
    }
  for (let j = 0; j < d; j++) {
    std[j] = Math.sqrt(std[j] / Math.max(1, n));
    if (!(std[j] > 0)) std[j] = 1e-6;
  }
  const normalized = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) normalized[i * d + j] = (data[i * d + j] - mean[j]) / std[j];
  return { normalized, mean, std };
}
