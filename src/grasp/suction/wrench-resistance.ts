// Whether a sealed suction cup can hold an object against an external wrench: Dex-Net 3.0's contact wrench set
// (REFERENCE §8) in the contact frame, with z along the approach and f_N = f_z + V the ring's normal force:
//   f_z ≥ −V,  √3|f_x| ≤ μ f_N,  √3|f_y| ≤ μ f_N,  √3|τ_z| ≤ r μ f_N,
//   √2|τ_x| ≤ π r κ,  √2|τ_y| ≤ π r κ.
import type { SuctionGripper } from '../gripper.js';

/** Standard gravity (m/s²), for the object's weight. */
export const GRAVITY = 9.81;

export interface SuctionWrenchSet {
  /** Vacuum pull V (N). */
  vacuumForce: number;
  /** Friction coefficient μ between cup and object. */
  friction: number;
  /** Cup radius r (m): the lever of the torsional friction. */
  radius: number;
  /** π r κ (N·m): the cup material's limit on torque about each tangent axis. */
  materialTorque: number;
}

/**
 * The tangent-torque limit π r κ of a cup. The paper's units are not SI: with r in metres, κ = 0.005 gives
 * 1.2e-4 N·m, which tips a 1 kg object whose centre of mass is 8.5 µm off the cup axis — far inside the 2.5 mm
 * centre-of-mass noise of §8, so every robust label would be 0. Read with r in millimetres (as here) the same
 * κ tips it at 8.5 mm, a cup-sized tolerance; bench:quality-suction reports the positive share under both readings.
 */
export function materialTorqueLimit(gripper: SuctionGripper): number {
  return Math.PI * (gripper.radius * 1000) * gripper.materialLimit;
}

export function suctionWrenchSet(
  gripper: SuctionGripper,
  friction: number,
  materialTorque = materialTorqueLimit(gripper),
): SuctionWrenchSet {
  return { vacuumForce: gripper.vacuumForce, friction, radius: gripper.radius, materialTorque };
}

/** The constraint a wrench breaks first: the vacuum cannot pull hard enough, the cup slides, twists, or peels. */
export type WrenchLimit = 'vacuum' | 'friction' | 'torsion' | 'tangent-torque';

const SQRT3 = Math.sqrt(3);

/**
 * Whether some contact wrench in the cup's set balances the external wrench (force `fx, fy, fz`, torque
 * `tx, ty, tz` about the contact point, world/object frame) for a cup approaching along unit `(vx, vy, vz)`.
 * Returns null when it does, else the first limit broken.
 *
 * There is nothing to optimise: a single contact transmits a full 6-D wrench, so the only contact wrench that
 * balances w is −w, and "some wrench in the set balances w" is exactly "−w satisfies the constraints". The
 * paper's boxes on (f_x, f_y) and (τ_x, τ_y) depend on which tangent axes one picks; we test the largest disc
 * every such box contains (√3|f_t| ≤ μ f_N, √2|τ_t| ≤ π r κ), which no choice of axes changes — so the
 * answer is the same however the object and grasp are posed, and equals the box test for a load along an axis.
 */
export function wrenchLimitBroken(
  set: SuctionWrenchSet,
  vx: number,
  vy: number,
  vz: number,
  fx: number,
  fy: number,
  fz: number,
  tx: number,
  ty: number,
  tz: number,
): WrenchLimit | null {
  // Contact wrench c = −w, split into normal and tangent parts along the approach.
  const fn = -(fx * vx + fy * vy + fz * vz);
  const fN = fn + set.vacuumForce;
  if (!(fN >= 0)) return 'vacuum';
  const ftx = fx + fn * vx,
    fty = fy + fn * vy,
    ftz = fz + fn * vz; // −(f − (f·v)v) up to sign, same norm
  if (SQRT3 * Math.sqrt(ftx * ftx + fty * fty + ftz * ftz) > set.friction * fN) return 'friction';
  const tn = tx * vx + ty * vy + tz * vz;
  if (SQRT3 * Math.abs(tn) > set.radius * set.friction * fN) return 'torsion';
  const ttx = tx - tn * vx,
    tty = ty - tn * vy,
    ttz = tz - tn * vz;
  if (Math.SQRT2 * Math.sqrt(ttx * ttx + tty * tty + ttz * ttz) > set.materialTorque) return 'tangent-torque';
  return null;
}
