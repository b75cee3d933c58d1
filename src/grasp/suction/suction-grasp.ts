// A suction grasp in the object frame: the point the cup aims at and the axis it approaches along.
import { cross, dot, IDENTITY3, normalize, type Mat3, type Vec3 } from '../../geometry/vector.js';

export interface SuctionGrasp {
  /** Target point on (or near) the surface (m, object frame). */
  readonly point: Vec3;
  /** Unit approach direction, pointing from the cup into the object (about −normal at the target). */
  readonly approach: Vec3;
}

/** A grasp with its approach normalised. */
export function suctionGrasp(point: Vec3, approach: Vec3): SuctionGrasp {
  return { point: [point[0], point[1], point[2]], approach: normalize(approach) };
}

/**
 * Unit tangent axes (e1, e2) of a plane with unit normal `axis`: e1 is the first column of `reference` (a rotation,
 * the object-frame axes by default) projected onto the plane, or its second column when the axis is within ~25° of
 * the first — so the cup's ring turns with the object when the object and its reference frame move together.
 */
export function tangentAxes(axis: Vec3, reference: Readonly<Mat3> = IDENTITY3): [Vec3, Vec3] {
  let ref: Vec3 = [reference[0], reference[3], reference[6]];
  if (Math.abs(dot(axis, ref)) > 0.9) ref = [reference[1], reference[4], reference[7]];
  const d = dot(axis, ref);
  const e1 = normalize([ref[0] - d * axis[0], ref[1] - d * axis[1], ref[2] - d * axis[2]]);
  return [e1, cross(axis, e1)];
}
