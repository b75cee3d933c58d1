// k-means on row-major Float64Array points: two seedings (k-means++ from a seeded random stream, or
// deterministic farthest points) and weighted Lloyd iterations, shared by the Gaussian mixture's
// initialisation and the convex-piece clustering of mesh triangles.
import type { Random } from './random.js';

function distance2(data: Float64Array, i: number, centres: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = data[i * d + j]! - centres[c * d + j]!;
    s += t * t;
  }
  return s;
}

/**
 * k-means++ seeding: the first centre a uniformly random row, each next one a row drawn with probability
 * proportional to its squared distance to the nearest centre so far (any row when all distances are 0).
 */
export function kMeansPlusPlusSeeds(data: Float64Array, n: number, d: number, k: number, rng: Random): Float64Array {
  const centres = new Float64Array(k * d);
  const dist2 = new Float64Array(n).fill(Infinity);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) centres[j] = data[first * d + j]!;
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = distance2(data, i, centres, c - 1, d);
      if (s < dist2[i]!) dist2[i] = s;
      total += dist2[i]!;
    }
    // Rows already at a centre have weight 0; when every row is, any row will do.
    let pick = n - 1;
    if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < n; i++) {
        u -= dist2[i]!;
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.int(n);
    for (let j = 0; j < d; j++) centres[c * d + j] = data[pick * d + j]!;
  }
  return centres;
}

/**
 * Farthest-point seeding: row `first`, then repeatedly the row farthest from every centre so far (the
 * lowest index among equals). Deterministic, and it spreads centres over outlying parts.
 */
export function farthestPointSeeds(data: Float64Array, n: number, d: number, k: number, first: number): Float64Array {
  const centres = new Float64Array(k * d);
  centres.set(data.subarray(first * d, first * d + d), 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let far = 0;
    for (let i = 0; i < n; i++) {
      nearest[i] = Math.min(nearest[i]!, distance2(data, i, centres, c - 1, d));
      if (nearest[i]! > nearest[far]!) far = i;
    }
    centres.set(data.subarray(far * d, far * d + d), c * d);
  }
  return centres;
}

export interface KMeansOptions {
  /** Lloyd iterations after the first assignment (it stops early once no row changes cluster). */
  iterations: number;
  /** Per-row weights of the centre means (default 1 each). */
  weights?: Float64Array;
}

/**
 * Lloyd's algorithm from the given centres (k×d, updated in place to the final means): each row goes to
 * its nearest centre (ties to the lower index), each centre moves to the weighted mean of its rows, and
 * a centre that lost all its rows stays where it was. Returns each row's cluster.
 */
export function kMeans(
  data: Float64Array,
  n: number,
  d: number,
  centres: Float64Array,
  options: KMeansOptions,
): Int32Array {
  const k = centres.length / d;
  const w = options.weights;
  const labels = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  for (let it = 0; it <= options.iterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const s = distance2(data, i, centres, c, d);
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      if (labels[i] !== best) changed = true;
      labels[i] = best;
    }
    // an unchanged assignment gives unchanged centres: later iterations would repeat this one
    if (it === options.iterations || (it > 0 && !changed)) break;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      const wi = w ? w[i]! : 1;
      mass[c] = mass[c]! + wi;
      for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! + wi * data[i * d + j]!;
    }
    for (let c = 0; c < k; c++)
      if (mass[c]! > 0) for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / mass[c]!;
  }
  return labels;
}
