// A point contact between a gripper jaw and the object surface, in the object frame.
import type { Vec3 } from '../../geometry/vector.js';

export interface Contact {
  /** Contact point on the surface (m). */
  readonly point: Vec3;
  /** Unit surface normal pointing INTO the object (the direction a pushing finger presses). */
  readonly inwardNormal: Vec3;
  /** Unit direction the jaw was moving when it touched (the grasp axis, pointing into the object). */
  readonly approachDirection: Vec3;
}
