// Seating a jaw candidate on the observed depth: a grasp drawn deeper than its fingers can go (a fingertip would meet
// the table or the object under its footprint) is raised until both fingertips clear the surface, as a robot would
// stop its fingers there, provided the jaws still close at least minEngagement below the object's top between them.
// Without this, a flat object (under ~2 cm: 5 mm of engagement plus the 1 cm the fingertips reach past the grasp
// depth) got every candidate thrown away by the plausibility check, although the 3-D referee finds robust grasps.
import type { GraspWidthPx, ImageGrasp } from '../grasp/image-grasp.js';
import type { GraspPlausibility } from './plan-types.js';

/**
 * Returns `check`-based seating: the grasp itself when its fingers clear the surface (or the check fails for another
 * reason, or raising would leave less than `minEngagement`), else the same grasp raised by the worst finger's overlap.
 */
export function fingerSeating(
  check: (g: ImageGrasp) => GraspPlausibility,
  widthPx: GraspWidthPx,
  minEngagement: number,
): (g: ImageGrasp) => ImageGrasp {
  return (g) => {
    const v = check(g);
    if (v.reason !== 'finger-collision') return g;
    const lift = -Math.min(v.fingerClearance[0], v.fingerClearance[1]);
    if (!(lift > 0) || !(v.engagement - lift >= minEngagement)) return g;
    const z = g.depth - lift;
    return { ...g, depth: z, widthPx: widthPx(z, g.angle) };
  };
}
