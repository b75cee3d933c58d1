// Ferrari–Canny L1 quality: the exact distance from the origin to the boundary of the convex hull of a grasp's
// wrenches. Containment is decided first with Wolfe's min-norm point (dex-net's wrench_norm_thresh rule), the
// distance then by expanding-polytope search, with facet enumeration as the fallback.
import type { Vec3 } from '../../geometry/vector.js';
import type { Contact } from './contact.js';
import { ExpandingPolytope, REL_TOL } from './expanding-polytope.js';
import { bruteForceBoundaryDistance } from './facet-enumeration.js';
import { MinNormPoint } from './min-norm-point.js';
import { DEFAULT_QUALITY_CONFIG, graspMatrixInto, wrenchCount, type QualityConfig } from './wrench.js';

/**
 * Ferrari–Canny ε with its own scratch space: keep one per worker or per evaluator and reuse it for
 * every grasp (the module-level functions share a default instance).
 */
export class FerrariCannySolver {
  private readonly wolfe = new MinNormPoint();
  private readonly hull = new ExpandingPolytope();
  private fallbacks = 0;

  /** Norm of the point of the hull of `count` points (`dim` numbers each) nearest the origin (Wolfe). */
  minNormPoint(
    points: Float64Array,
    count: number,
    dim = 6,
    regularizer = DEFAULT_QUALITY_CONFIG.wrenchRegularizer,
    out?: Float64Array,
  ): number {
    return this.wolfe.norm(points, count, dim, regularizer, out);
  }

  /**
   * Signed distance from the origin to the boundary of the hull of `count` points: ε when positive;
   * ≤ 0 means the origin is not interior (0 also for hulls of lower dimension than `dim`).
   */
  boundaryDistance(points: Float64Array, count: number, dim = 6): number {
    const d = this.hull.boundaryDistance(points, count, dim);
    if (this.hull.failed) {
      this.fallbacks++;
      return bruteForceBoundaryDistance(points, count, dim);
    }
    return d;
  }

  /** ε of a wrench set (6 numbers per wrench): 0 unless the origin is strictly inside the hull. */
  epsilon(wrenches: Float64Array, count: number, config: Readonly<QualityConfig> = DEFAULT_QUALITY_CONFIG): number {
    if (count < 7) return 0;
    const mn = this.wolfe.norm(wrenches, count, 6, config.wrenchRegularizer);
    if (mn > config.wrenchNormThresh) return 0;
    const d = this.boundaryDistance(wrenches, count, 6);
    let s2 = 0;
    for (let j = 0; j < 6 * count; j += 6) {
      let q = 0;
      for (let i = 0; i < 6; i++) q += wrenches[j + i] * wrenches[j + i];
      if (q > s2) s2 = q;
    }
    // Below rounding level the origin is on the boundary (e.g. hard fingers leave torsion unresisted).
    return d > REL_TOL * Math.sqrt(s2) ? d : 0;
  }

  /** How often the fast search lost consistency and the slow facet enumeration answered instead (diagnostics). */
  get fallbackCount(): number {
    return this.fallbacks;
  }
}

const shared = new FerrariCannySolver();

/** Norm of the point of the convex hull of `count` points (`dim` numbers each) nearest the origin. */
export function minNormPoint(
  points: Float64Array,
  count: number,
  dim = 6,
  regularizer = DEFAULT_QUALITY_CONFIG.wrenchRegularizer,
  out?: Float64Array,
): number {
  return shared.minNormPoint(points, count, dim, regularizer, out);
}

/** Signed distance from the origin to the boundary of the convex hull (see FerrariCannySolver.boundaryDistance). */
export function hullBoundaryDistance(points: Float64Array, count: number, dim = 6): number {
  return shared.boundaryDistance(points, count, dim);
}

/** Fallbacks taken by the shared solver (diagnostics; expected to stay 0). */
export function epsilonFallbackCount(): number {
  return shared.fallbackCount;
}

/** ε of a wrench set (6 numbers per wrench): 0 unless the origin is strictly inside the hull. */
export function ferrariCannyFromWrenches(
  wrenches: Float64Array,
  count: number,
  config: Readonly<QualityConfig> = DEFAULT_QUALITY_CONFIG,
): number {
  return shared.epsilon(wrenches, count, config);
}

let wrenchBuffer = new Float64Array(6 * 64);

/**
 * Ferrari–Canny L1 quality of a grasp: the radius of the largest wrench ball the unit-force contacts can
 * resist in every direction, 0 when a contact slips or the grasp is not in force closure.
 */
export function ferrariCanny(
  contacts: readonly Contact[],
  com: Readonly<Vec3>,
  config: Readonly<QualityConfig> = DEFAULT_QUALITY_CONFIG,
): number {
  const n = wrenchCount(contacts.length, config);
  if (wrenchBuffer.length < 6 * n) wrenchBuffer = new Float64Array(6 * n);
  const written = graspMatrixInto(contacts, com, config, wrenchBuffer);
  if (written === 0) return 0;
  return ferrariCannyFromWrenches(wrenchBuffer, written, config);
}
