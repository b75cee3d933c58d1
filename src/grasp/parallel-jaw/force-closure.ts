// Force closure tests: Nguyen's two-contact friction-cone condition, and the general wrench-hull condition.
import type { Contact } from './contact.js';
import type { Vec3 } from '../../geometry/vector.js';
import { DEFAULT_QUALITY_CONFIG, qualityConfig, type QualityConfig } from './wrench.js';
import { ferrariCanny } from './ferrari-canny.js';

/**
 * Nguyen (1988): two frictional contacts are in force closure iff the segment joining them lies inside
 * both friction cones, i.e. at each end the angle between (other − this) and the inward normal is at most
 * atan μ. Unlike dex-net's abs-value shortcut, a normal pointing away from the other contact fails.
 */
export function forceClosure(
  c1: Contact,
  c2: Contact,
  frictionCoef: number = DEFAULT_QUALITY_CONFIG.frictionCoef,
): boolean {
  return (
    insideCone(c1.point, c1.inwardNormal, c2.point, frictionCoef) &&
    insideCone(c2.point, c2.inwardNormal, c1.point, frictionCoef)
  );
}

/** Angle between (other − p) and the inward normal n, in [0, π]; NaN when the points coincide. */
export function lineConeAngle(p: Readonly<Vec3>, n: Readonly<Vec3>, other: Readonly<Vec3>): number {
  const vx = other[0] - p[0],
    vy = other[1] - p[1],
    vz = other[2] - p[2];
  if (vx === 0 && vy === 0 && vz === 0) return NaN;
  const cx = vy * n[2] - vz * n[1],
    cy = vz * n[0] - vx * n[2],
    cz = vx * n[1] - vy * n[0];
  // atan2 of |v × n| and v · n keeps the angle accurate near 0, where the cone test is decided.
  return Math.atan2(Math.hypot(cx, cy, cz), vx * n[0] + vy * n[1] + vz * n[2]);
}

function insideCone(p: Readonly<Vec3>, n: Readonly<Vec3>, other: Readonly<Vec3>, mu: number): boolean {
  const angle = lineConeAngle(p, n, other);
  return angle <= Math.atan(mu);
}

/**
 * Force closure of any number of contacts in the discretised-cone model: the origin lies strictly inside
 * the hull of the grasp wrenches. dex-net uses torque scaling 0.01 for this test, hence that default.
 */
export function wrenchForceClosure(
  contacts: readonly Contact[],
  com: Readonly<Vec3>,
  config: Readonly<QualityConfig> = qualityConfig({ torqueScaling: 0.01 }),
): boolean {
  return ferrariCanny(contacts, com, config) > 0;
}
