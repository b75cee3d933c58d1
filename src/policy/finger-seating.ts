// Seating a jaw candidate on the observed depth: a grasp drawn deeper than its fingers can go (a fingertip would meet
// the table or the object under its footprint) is raised until both fingertips clear the surface by a margin, as a
// robot would stop its fingers there, provided the jaws still close at least minEngagement below the object's top
// between them. Without this, a flat object (under ~2 cm: 5 mm of engagement plus the 1 cm the fingertips reach past
// the grasp depth) got every candidate thrown away by the plausibility check, although the 3-D referee finds robust
// grasps. The margin matters beyond the check's tolerance: a fingertip left 1–2 mm into the seen surface (which the
// check lets through as sensor noise) meets it in MuJoCo at the end of the approach.
import type { GraspWidthPx, ImageGrasp } from '../grasp/image-grasp.js';
import type { GraspPlausibility } from './plan-types.js';

/** How far a seated grasp's fingertips stay above the observed surface (m): about a depth sensor's scatter. */
export const SEAT_CLEARANCE = 0.001;

/**
 * Returns `check`-based seating: the grasp itself when its fingers clear the surface by `clearance` (or the check fails
 * for a reason other than the fingers, or raising would leave less than `minEngagement`), else the same grasp raised
 * until the worst finger clears it by that much.
 */
export function fingerSeating(
  check: (g: ImageGrasp) => GraspPlausibility,
  widthPx: GraspWidthPx,
  minEngagement: number,
  clearance = SEAT_CLEARANCE,
): (g: ImageGrasp) => ImageGrasp {
  return (g) => {
    const v = check(g);
    if (v.reason !== 'finger-collision' && v.reason !== null) return g;
    const lift = clearance - Math.min(v.fingerClearance[0], v.fingerClearance[1]);
    if (!(lift > 0) || !(v.engagement - lift >= minEngagement)) return g;
    const z = g.depth - lift;
    return { ...g, depth: z, widthPx: widthPx(z, g.angle) };
  };
}
