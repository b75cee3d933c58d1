// 3-D suction grasp sampler (Dex-Net 3.0): area-weighted target points on the mesh surface, approaching along
// the inward normal, optionally only those a top-down picker can reach (approach within an angle of −table normal).
import type { MeshIndex } from '../../geometry/bvh.js';
import type { Random } from '../../core/random.js';
import { distance, dot, normalize, type Vec3 } from '../../geometry/vector.js';
import { surfaceSampler } from '../surface-sampler.js';
import type { SuctionGrasp } from './suction-grasp.js';

export interface SuctionSamplerOptions {
  /** Grasps wanted (Dex-Net: 25–100 per object). */
  targetGrasps?: number;
  /** Surface points drawn before giving up, as a multiple of targetGrasps. */
  maxDrawsPerGrasp?: number;
  /** Unit "up" of the table in the object frame; with it, only approaches within maxTableAngle of down are kept. */
  tableNormal?: Vec3;
  /** Largest angle between the approach and straight down (rad; default 30°, the image sampler's limit). */
  maxTableAngle?: number;
  /** Targets closer than this to an accepted one are dropped as duplicates (m). */
  minSpacing?: number;
}

const DEFAULTS = { targetGrasps: 100, maxDrawsPerGrasp: 20, maxTableAngle: Math.PI / 6, minSpacing: 0.001 };

/** Samples suction grasps on a mesh; deterministic for a given `rng` state. */
export function sampleSuctionGrasps(
  index: MeshIndex,
  rng: Random,
  options: SuctionSamplerOptions = {},
): SuctionGrasp[] {
  const o = { ...DEFAULTS, ...options };
  const surface = surfaceSampler(index);
  const up = o.tableNormal ? normalize(o.tableNormal) : undefined;
  const cosLimit = Math.cos(o.maxTableAngle);
  const accepted: SuctionGrasp[] = [];
  const draws = o.targetGrasps * o.maxDrawsPerGrasp;
  for (let k = 0; k < draws && accepted.length < o.targetGrasps; k++) {
    const { point, normal } = surface(rng);
    // The approach is −normal, so it is within the angle of straight down when the normal is within it of up.
    if (up && dot(normal, up) < cosLimit) continue;
    if (o.minSpacing > 0 && accepted.some((g) => distance(g.point, point) < o.minSpacing)) continue;
    accepted.push({ point, approach: [-normal[0], -normal[1], -normal[2]] });
  }
  return accepted;
}
