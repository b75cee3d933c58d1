// 3-D antipodal grasp sampler on the mesh surface (Dex-Net 2.0): friction-cone axes, force-closure filter.
import type { MeshIndex } from '../../geometry/bvh.js';
import type { Random } from '../../core/random.js';
import { angleBetween, cross, distance, dot, normalize, type Vec3 } from '../../geometry/vector.js';
import { closeJaws, type ContactOptions } from './contacts.js';
import { forceClosure } from './force-closure.js';
import { surfaceSampler } from '../surface-sampler.js';
import type { ParallelJawGripper } from '../gripper.js';
import { approachAngleToward, graspFromContacts, type ParallelJawGrasp } from './parallel-jaw-grasp.js';

export interface AntipodalSamplerOptions {
  /** Grasps wanted; sampling stops early once reached (Dex-Net: 25–100 per object). */
  targetGrasps?: number;
  /** Surface points drawn per iteration. */
  surfacePoints?: number;
  /** Candidate axes per surface point. */
  graspsPerPoint?: number;
  maxIterations?: number;
  /** Sampling friction is drawn uniformly from this range for each candidate. */
  frictionRange?: [number, number];
  /** Contacts closer than this are one contact, not a grasp (m). */
  minContactDistance?: number;
  /**
   * Unit "up" direction of the table in the object frame (the stable pose's table normal). When set,
   * only axes within `maxTableAngle` of the table plane are kept and the approach points down at it.
   */
  tableNormal?: Vec3;
  maxTableAngle?: number;
  contact?: ContactOptions;
}

export interface SampledGrasp {
  grasp: ParallelJawGrasp;
  /** Friction the grasp was accepted at. */
  samplingFriction: number;
}

const DEFAULTS = {
  targetGrasps: 100,
  surfacePoints: 100,
  graspsPerPoint: 2,
  maxIterations: 5,
  frictionRange: [0.5, 0.6] as [number, number],
  minContactDistance: 0.0025,
  maxTableAngle: (5 * Math.PI) / 180,
};

/** Samples force-closure grasps on a mesh. Deterministic for a given `rng` state. */
export function sampleAntipodalGrasps(
  index: MeshIndex,
  gripper: ParallelJawGripper,
  rng: Random,
  options: AntipodalSamplerOptions = {},
): SampledGrasp[] {
  const o = { ...DEFAULTS, ...options };
  const surface = surfaceSampler(index);
  const accepted: SampledGrasp[] = [];
  const up = o.tableNormal ? normalize(o.tableNormal) : undefined;
  const down: Vec3 | undefined = up ? [-up[0], -up[1], -up[2]] : undefined;

  for (let iter = 0; iter < o.maxIterations && accepted.length < o.targetGrasps; iter++) {
    for (let s = 0; s < o.surfacePoints && accepted.length < o.targetGrasps; s++) {
      const { point: p1, normal: n1 } = surface(rng);
      const inward: Vec3 = [-n1[0], -n1[1], -n1[2]];
      for (let k = 0; k < o.graspsPerPoint && accepted.length < o.targetGrasps; k++) {
        const mu = rng.uniform(o.frictionRange[0], o.frictionRange[1]);
        const axis = up ? horizontalAxisInCone(inward, up, mu, o.maxTableAngle, rng) : axisInCone(inward, mu, rng);
        if (!axis) continue;
        // The far contact is where a jaw coming back from the full opening first touches.
        const far: Vec3 = [
          p1[0] + axis[0] * gripper.maxWidth,
          p1[1] + axis[1] * gripper.maxWidth,
          p1[2] + axis[2] * gripper.maxWidth,
        ];
        const hit = index.raycast(far, [-axis[0], -axis[1], -axis[2]], 0, gripper.maxWidth);
        if (!hit || dot(hit.normal, axis) < 0) continue; // missed, or the far jaw would start inside
        if (distance(hit.point, p1) < o.minContactDistance) continue;

        const base = graspFromContacts(p1, hit.point, gripper.maxWidth);
        if (up && Math.abs(Math.PI / 2 - angleBetween(base.axis, up)) > o.maxTableAngle) continue;
        const grasp: ParallelJawGrasp = { ...base, approachAngle: down ? approachAngleToward(base.axis, down) : 0 };
        const closing = closeJaws(index, grasp, gripper, o.contact);
        if (!closing.ok) continue;
        if (!forceClosure(closing.contacts[0], closing.contacts[1], mu)) continue;
        if (accepted.some((a) => isDuplicate(a.grasp, grasp))) continue;
        accepted.push({ grasp, samplingFriction: mu });
      }
    }
  }
  return accepted;
}

/** Uniform direction inside the friction cone (half-angle atan μ) about `inward`. */
function axisInCone(inward: Vec3, mu: number, rng: Random): Vec3 {
  const t1 = normalize(Math.abs(inward[0]) < 0.9 ? cross(inward, [1, 0, 0]) : cross(inward, [0, 1, 0]));
  const t2 = cross(inward, t1);
  const r = mu * Math.sqrt(rng.next()),
    th = rng.uniform(0, 2 * Math.PI);
  const c = r * Math.cos(th),
    s = r * Math.sin(th);
  return normalize([
    inward[0] + c * t1[0] + s * t2[0],
    inward[1] + c * t1[1] + s * t2[1],
    inward[2] + c * t1[2] + s * t2[2],
  ]);
}

/**
 * Direction inside the friction cone and within `maxTilt` of the plane perpendicular to `up`:
 * sampled on that band directly, since blind cone samples rarely land within 5° of horizontal.
 */
function horizontalAxisInCone(inward: Vec3, up: Vec3, mu: number, maxTilt: number, rng: Random): Vec3 | null {
  const vert = dot(inward, up);
  const m: Vec3 = [inward[0] - vert * up[0], inward[1] - vert * up[1], inward[2] - vert * up[2]];
  const mNorm = Math.hypot(m[0], m[1], m[2]);
  if (mNorm < 1e-6) return null;
  const cosLimit = Math.cos(Math.atan(mu)) / mNorm;
  if (cosLimit > 1) return null;
  const betaMax = Math.acos(Math.max(-1, cosLimit));
  const beta = rng.uniform(-betaMax, betaMax);
  const h1: Vec3 = [m[0] / mNorm, m[1] / mNorm, m[2] / mNorm];
  const h2 = cross(up, h1);
  const tilt = rng.uniform(-maxTilt, maxTilt);
  const cb = Math.cos(beta) * Math.cos(tilt),
    sb = Math.sin(beta) * Math.cos(tilt),
    st = Math.sin(tilt);
  return normalize([
    cb * h1[0] + sb * h2[0] + st * up[0],
    cb * h1[1] + sb * h2[1] + st * up[1],
    cb * h1[2] + sb * h2[2] + st * up[2],
  ]);
}

function isDuplicate(a: ParallelJawGrasp, b: ParallelJawGrasp): boolean {
  return distance(a.center, b.center) < 0.001 && Math.abs(dot(a.axis, b.axis)) > Math.cos(0.02);
}
