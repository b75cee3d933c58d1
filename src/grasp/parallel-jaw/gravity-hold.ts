// Whether a parallel-jaw pinch carries the object's weight. Dex-Net 2.0's ε is blind to it: it scores the contacts'
// wrench space, not what the object weighs or where that weight hangs. In bins the jaws lift objects up to 15 cm
// long by whatever part is free, and in MuJoCo the picks whose weight twisted hardest about the closing axis failed
// most (tuning heaps, jaws alone: 81 % lifted under 5 mN·m, 38 % over 20 mN·m). Dex-Net 4.0 labels both grippers by
// their resistance to gravity; for the pads that is a soft-finger limit: the two pads' friction carries the weight
// across the closing axis (at most 2 μ F), their torsional friction the weight's torque about that axis (at most
// 2 μ F ℓ, ℓ the pad's torsion arm), both on an elliptic limit surface.
import { cross, dot, sub, type Vec3 } from '../../geometry/vector.js';
import type { ParallelJawGrasp } from './parallel-jaw-grasp.js';

/** How hard the jaws pinch: each pad's closing force (N), the friction coefficient and the pads' torsion arm (m). */
export interface PinchStrength {
  gripForce: number;
  friction: number;
  /** Torsional friction per unit normal force and unit μ (m): ⅔·a for a pad's contact patch of radius a. */
  torsionArm: number;
}

/**
 * The load on the pinch as a share of what it holds: ≤ 1 holds. `gravity` is the unit direction of gravity in the
 * grasp's frame, `weight` the object's weight (N) acting at `centerOfMass`. The weight's share along the closing
 * axis presses on one pad and is left out (jaws that approach from above close across gravity).
 */
export function pinchLoad(
  grasp: ParallelJawGrasp,
  centerOfMass: Vec3,
  gravity: Vec3,
  weight: number,
  strength: PinchStrength,
): number {
  const { gripForce, friction, torsionArm } = strength;
  const carry = 2 * friction * gripForce;
  if (!(carry > 0)) return weight > 0 ? Infinity : 0;
  const axial = dot(gravity, grasp.axis);
  const across = weight * Math.sqrt(Math.max(0, 1 - axial * axial));
  // The weight's moment about the closing axis through the grasp centre.
  const torque = weight * Math.abs(dot(cross(sub(centerOfMass, grasp.center), gravity), grasp.axis));
  return Math.hypot(across / carry, torque / (carry * torsionArm));
}
