// A 3-D parallel-jaw grasp: centre, closing axis, opening width and the approach angle about the axis.
import { RigidTransform } from '../../geometry/rigid-transform.js';
import { add, cross, dot, normalize, scale, type Mat3, type Vec3 } from '../../geometry/vector.js';

export interface ParallelJawGrasp {
  /** Midpoint between the jaws (m, object frame). */
  readonly center: Vec3;
  /** Unit closing axis: jaw 1 sits at center − axis·width/2, jaw 2 at center + axis·width/2. */
  readonly axis: Vec3;
  /** Opening width the jaws start from (m). */
  readonly width: number;
  /** Rotation of the approach direction about the axis, from the axis's canonical perpendicular (rad). */
  readonly approachAngle: number;
}

/**
 * The perpendicular to the axis that approachAngle 0 means: horizontal in the object frame
 * (Dex-Net's convention), or +x when the axis is vertical.
 */
export function canonicalPerpendicular(axis: Vec3): Vec3 {
  const h = Math.hypot(axis[0], axis[1]);
  if (h < 1e-9) return [1, 0, 0];
  return [axis[1] / h, -axis[0] / h, 0];
}

/** Unit direction the gripper travels to reach the object (gripper frame +z). */
export function approachDirection(grasp: ParallelJawGrasp): Vec3 {
  const a0 = canonicalPerpendicular(grasp.axis);
  const b0 = cross(grasp.axis, a0);
  const c = Math.cos(grasp.approachAngle),
    s = Math.sin(grasp.approachAngle);
  return normalize(add(scale(a0, c), scale(b0, s)));
}

/** Approach angle about `axis` that makes the approach direction as close as possible to `target`. */
export function approachAngleToward(axis: Vec3, target: Vec3): number {
  const a0 = canonicalPerpendicular(axis);
  const b0 = cross(axis, a0);
  return Math.atan2(dot(target, b0), dot(target, a0));
}

/** Jaw start positions (jaw 1 at −axis, jaw 2 at +axis). */
export function jawEndpoints(grasp: ParallelJawGrasp): [Vec3, Vec3] {
  const h = grasp.width / 2;
  return [add(grasp.center, scale(grasp.axis, -h)), add(grasp.center, scale(grasp.axis, h))];
}

/** Gripper pose in the object frame: z = approach, y = closing axis, x = y × z, origin at the centre. */
export function gripperPose(grasp: ParallelJawGrasp, toFrame = 'object'): RigidTransform {
  const z = approachDirection(grasp);
  const y = grasp.axis;
  const x = cross(y, z);
  const r: Mat3 = [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];
  return new RigidTransform(r, grasp.center, 'gripper', toFrame);
}

/** Builds a grasp from two contact points (centre = midpoint, axis from the first to the second). */
export function graspFromContacts(p1: Vec3, p2: Vec3, width: number, approachAngle = 0): ParallelJawGrasp {
  const d: Vec3 = [p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]];
  return {
    center: [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2, (p1[2] + p2[2]) / 2],
    axis: normalize(d),
    width,
    approachAngle,
  };
}
