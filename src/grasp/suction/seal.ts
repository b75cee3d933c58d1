// Dex-Net 3.0's compliant seal test: the cup as a spring cone C(n, r, h) whose ring is projected along the approach
// onto the mesh (BVH ray casts); it seals when no spring strains past the limit, the surface inside the ring has no
// hole and the object does not cut into the cone, on the way in or once in contact.
import type { MeshIndex } from '../../geometry/bvh.js';
import { boundingBox } from '../../geometry/mesh-properties.js';
import { IDENTITY3, type Mat3, type Vec3 } from '../../geometry/vector.js';
import type { SuctionGripper } from '../gripper.js';
import { tangentAxes } from './suction-grasp.js';

export interface SealOptions {
  /** Vertices n of the contact ring (Dex-Net 3.0: 8). */
  ringVertices?: number;
  /** Largest relative stretch or shrink of any spring (perimeter, flexion, apex) that still seals (0.1 = 10 %). */
  maxStrain?: number;
  /**
   * How far the surface may rise above a flat cone facet (m). The model's cone is an n-sided pyramid; the real
   * cup is round and soft, so a convex surface that bulges past a facet by a fraction of a millimetre still fits.
   */
  coneTolerance?: number;
  /** Gap under a perimeter spring, below the ring's chord, that leaks air (m). */
  maxRimGap?: number;
  /** Depth below the deepest ring vertex at which the surface inside the ring counts as a hole (m; default: r). */
  holeDepth?: number;
  /** Object-frame rotation whose axes fix where the ring's first vertex sits (see tangentAxes; default identity). */
  tangentFrame?: Readonly<Mat3>;
}

export type SealFailure = 'ring-off-object' | 'spring-strain' | 'cone-collision' | 'hole';

/** Largest spring strain that still seals (Dex-Net 3.0, REFERENCE §8: 10 %). */
export const SEAL_MAX_STRAIN = 0.1;

const DEFAULTS = { ringVertices: 8, maxStrain: SEAL_MAX_STRAIN, coneTolerance: 0.0005, maxRimGap: 0.001 };

/**
 * Seal tests on one object for one cup; build once per object. The last call's ring depths (along the approach,
 * from the target point) and strain stay readable on the instance, so hot loops allocate nothing per test.
 */
export class SuctionSeal {
  readonly n: number;
  /** Depth of each ring vertex along the approach, relative to the target point (m), from the last `projectRing`. */
  readonly depths: Float64Array;
  /** Depth of the cone's apex after the last `projectRing` (m). */
  apexDepth = 0;
  /** Mean ring depth after the last `projectRing`: the contact point is target + meanDepth · approach. */
  meanDepth = 0;
  /** Largest spring strain of the last `projectRing` (Infinity when the ring missed). */
  maxStrain = 0;

  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly options: Required<Omit<SealOptions, 'tangentFrame'>>;
  private readonly reference: Readonly<Mat3>;
  private readonly boundsCenter: Vec3;
  private readonly boundsRadius: number;
  // The frame and standoff of the last projected ring, reused by the interior test.
  private e1: Vec3 = [1, 0, 0];
  private e2: Vec3 = [0, 1, 0];
  private standoff = 0;

  constructor(
    readonly index: MeshIndex,
    readonly gripper: SuctionGripper,
    options: SealOptions = {},
  ) {
    this.options = { ...DEFAULTS, holeDepth: gripper.radius, ...options };
    this.reference = options.tangentFrame ?? IDENTITY3;
    const n = (this.n = this.options.ringVertices);
    if (!(Number.isInteger(n) && n >= 4)) throw new RangeError(`ringVertices must be an integer ≥ 4, got ${n}`);
    this.depths = new Float64Array(n);
    // Vertex i at angle 2πi/n; the interior samples sit on the bisector of sector i, at angle 2π(i + ½)/n.
    this.cos = new Float64Array(2 * n);
    this.sin = new Float64Array(2 * n);
    for (let k = 0; k < 2 * n; k++) {
      this.cos[k] = Math.cos((Math.PI * k) / n);
      this.sin[k] = Math.sin((Math.PI * k) / n);
    }
    const box = boundingBox(index.mesh);
    this.boundsCenter = [(box.min[0] + box.max[0]) / 2, (box.min[1] + box.max[1]) / 2, (box.min[2] + box.max[2]) / 2];
    this.boundsRadius = Math.hypot(box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]) / 2;
  }

  /** The full test: ring projection and strain, then the cone and hole check. Null when the cup seals. */
  seal(point: Vec3, approach: Vec3): SealFailure | null {
    return this.projectRing(point, approach) ?? this.checkInterior(point, approach);
  }

  /**
   * Projects the ring along the approach (rays from outside the object, so anything in the way is hit first),
   * places the apex at t* = min(mean ring depth − h, 0) and checks every spring's strain.
   */
  projectRing(point: Vec3, approach: Vec3): SealFailure | null {
    const n = this.n,
      r = this.gripper.radius,
      h = this.gripper.height,
      d = this.depths;
    const [vx, vy, vz] = approach;
    [this.e1, this.e2] = tangentAxes(approach, this.reference);
    const e1 = this.e1,
      e2 = this.e2,
      c = this.boundsCenter;
    // Start every ray behind the bounding sphere so the whole approach path is swept.
    const fromCenter = Math.hypot(point[0] - c[0], point[1] - c[1], point[2] - c[2]);
    const D = (this.standoff = fromCenter + this.boundsRadius + r + 1e-3);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const a = r * this.cos[2 * i],
        b = r * this.sin[2 * i];
      const t = this.index.rayDistance(
        point[0] + a * e1[0] + b * e2[0] - D * vx,
        point[1] + a * e1[1] + b * e2[1] - D * vy,
        point[2] + a * e1[2] + b * e2[2] - D * vz,
        vx,
        vy,
        vz,
      );
      if (t === Infinity) {
        this.maxStrain = Infinity;
        return 'ring-off-object';
      }
      d[i] = t - D;
      sum += d[i];
    }
    this.meanDepth = sum / n;
    this.apexDepth = Math.min(this.meanDepth - h, 0);
    const worst = ringStrain(d, r, h);
    this.maxStrain = worst;
    return worst > this.options.maxStrain ? 'spring-strain' : null;
  }

  /**
   * After `projectRing` on the same grasp: rays at the centre, half-way out and under each perimeter spring must hit
   * the surface (no hole, no leak under the rim) and not above the cone's facets (the cone stays free of the object).
   */
  checkInterior(point: Vec3, approach: Vec3): SealFailure | null {
    const n = this.n,
      r = this.gripper.radius,
      d = this.depths,
      o = this.options;
    const apex = this.apexDepth;
    let deepest = -Infinity;
    for (let i = 0; i < n; i++) deepest = Math.max(deepest, d[i]);
    const centre = this.depthAt(point, approach, 0, 0);
    if (centre === Infinity || centre > deepest + o.holeDepth) return 'hole';
    if (centre < apex - o.coneTolerance) return 'cone-collision';
    // A point at lateral radius ρ on the bisector of sector i lies on the facet (apex, vertex i, vertex i+1) with
    // weight λ = ρ / (2 r cos(π/n)) on each vertex.
    const chordRadius = r * Math.cos(Math.PI / n);
    for (let i = 0; i < n; i++) {
      const mid = 0.5 * (d[i] + d[(i + 1) % n]);
      const cs = this.cos[2 * i + 1],
        sn = this.sin[2 * i + 1];
      const half = this.depthAt(point, approach, 0.5 * r * cs, 0.5 * r * sn);
      if (half === Infinity || half > deepest + o.holeDepth) return 'hole';
      const lambda = (0.5 * r) / (2 * chordRadius);
      if (half < apex + 2 * lambda * (mid - apex) - o.coneTolerance) return 'cone-collision';
      const rim = this.depthAt(point, approach, chordRadius * cs, chordRadius * sn);
      if (rim === Infinity || rim > mid + o.maxRimGap) return 'hole';
      if (rim < mid - o.coneTolerance) return 'cone-collision';
    }
    return null;
  }

  /** First-hit depth (relative to the target point) at lateral offset (a, b) in the last ring's frame. */
  private depthAt(point: Vec3, approach: Vec3, a: number, b: number): number {
    const e1 = this.e1,
      e2 = this.e2,
      D = this.standoff;
    const t = this.index.rayDistance(
      point[0] + a * e1[0] + b * e2[0] - D * approach[0],
      point[1] + a * e1[1] + b * e2[1] - D * approach[1],
      point[2] + a * e1[2] + b * e2[2] - D * approach[2],
      approach[0],
      approach[1],
      approach[2],
    );
    return t - D;
  }
}

/**
 * The largest relative stretch or shrink of the cone's springs (perimeter chord, flexion chord over every second
 * vertex, ring-to-apex slant) when the ring's n vertices lie at `depths` along the approach (m, from any common
 * origin in front of the apex) and the apex sits h behind the mean depth, capped at the origin: Dex-Net 3.0's
 * compliant ring. Lateral offsets are fixed by the projection, so only depth differences change spring lengths.
 */
export function ringStrain(depths: ArrayLike<number>, radius: number, height: number): number {
  const n = depths.length,
    r = radius;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += depths[i]!;
  const apex = Math.min(sum / n - height, 0);
  const perimeter = 2 * r * Math.sin(Math.PI / n),
    flexion = 2 * r * Math.sin((2 * Math.PI) / n);
  const slant = Math.hypot(r, height);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const dp = depths[(i + 1) % n]! - depths[i]!,
      df = depths[(i + 2) % n]! - depths[i]!,
      da = depths[i]! - apex;
    worst = Math.max(
      worst,
      Math.sqrt(perimeter * perimeter + dp * dp) / perimeter - 1,
      Math.sqrt(flexion * flexion + df * df) / flexion - 1,
      Math.abs(Math.sqrt(r * r + da * da) / slant - 1),
    );
  }
  return worst;
}
