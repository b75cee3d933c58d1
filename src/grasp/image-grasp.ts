// The planner's 2-D parallel-jaw grasp (centre, angle, depth, width in pixels): jaw endpoints, CEM feature vectors and the distance used for non-maximum suppression.
import { inPlaneScale, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';

/** A pixel position: x = column, y = row (continuous; integer values are pixel centres). */
export interface PixelPoint {
  x: number;
  y: number;
}

export interface ImageGrasp {
  center: PixelPoint;
  /** Angle of the grasp axis in the image, from +x (columns) toward +y (rows), in (−π/2, π/2]. */
  angle: number;
  /** Camera-frame z of the grasp centre (m). */
  depth: number;
  /** Jaw opening in pixels at `depth`. */
  widthPx: number;
}

/** Maps an angle to (−π/2, π/2]: a parallel-jaw grasp at θ and θ + π is the same grasp. */
export function normalizeGraspAngle(angle: number): number {
  let a = angle % Math.PI;
  if (a > Math.PI / 2) a -= Math.PI;
  else if (a <= -Math.PI / 2) a += Math.PI;
  return a;
}

/** The image grasp's pixel width for a jaw opening of `width` metres at `depth` along image direction `angle`. */
export function widthToPixels(width: number, depth: number, angle: number, intrinsics: CameraIntrinsics): number {
  return (width * inPlaneScale(intrinsics, angle)) / depth;
}

/** Smallest difference between two grasp angles, modulo π (so in [0, π/2]). */
export function angleDifference(a: number, b: number): number {
  let d = Math.abs(a - b) % Math.PI;
  if (d > Math.PI / 2) d = Math.PI - d;
  return d;
}

/** Default weight of the angle term of {@link graspDistance}: a 90° turn counts like ≈ 16 px of translation. */
export const DEFAULT_ANGLE_WEIGHT_PX = 10;

/** A grasp with its quality, as the policies report them. */
export interface ScoredGrasp {
  grasp: ImageGrasp;
  q: number;
}

/** Builds a grasp with its angle normalised to (−π/2, π/2] (θ and θ + π are the same parallel-jaw grasp). */
export function imageGrasp(center: PixelPoint, angle: number, depth: number, widthPx: number): ImageGrasp {
  return { center: { x: center.x, y: center.y }, angle: normalizeGraspAngle(angle), depth, widthPx };
}

/** Unit grasp axis (x = column, y = row) in the image. */
export function graspAxis(g: ImageGrasp): PixelPoint {
  return { x: Math.cos(g.angle), y: Math.sin(g.angle) };
}

/**
 * The two jaw pixels, centre ∓ widthPx/2 along the axis. The first is the one at −axis, so for a normalised
 * angle the first endpoint is the left one (smaller x), which keeps CEM features from flipping between grasps.
 */
export function graspEndpoints(g: ImageGrasp): [PixelPoint, PixelPoint] {
  const h = g.widthPx / 2;
  const c = Math.cos(g.angle) * h;
  const s = Math.sin(g.angle) * h;
  return [
    { x: g.center.x - c, y: g.center.y - s },
    { x: g.center.x + c, y: g.center.y + s },
  ];
}

/**
 * Distance between grasps for non-maximum suppression and de-duplication: centre distance in pixels plus
 * `angleWeightPx` pixels per radian of axis difference (modulo π). Depth and width are ignored on purpose: two
 * grasps at the same place and orientation compete for the same spot on the object.
 */
export function graspDistance(a: ImageGrasp, b: ImageGrasp, angleWeightPx = DEFAULT_ANGLE_WEIGHT_PX): number {
  return (
    Math.hypot(a.center.x - b.center.x, a.center.y - b.center.y) + angleWeightPx * angleDifference(a.angle, b.angle)
  );
}

/**
 * Greedy non-maximum suppression: highest q first, a grasp is kept when it is at least `minDistance` (in
 * {@link graspDistance} units) from every grasp kept before it. Returns at most `maxCount`, best first.
 */
export function nonMaximumSuppression(
  scored: readonly ScoredGrasp[],
  minDistance: number,
  maxCount = Infinity,
  angleWeightPx = DEFAULT_ANGLE_WEIGHT_PX,
): ScoredGrasp[] {
  return greedySeparation(scored, minDistance, maxCount, (a, b) => graspDistance(a, b, angleWeightPx));
}

/**
 * Non-maximum suppression for grasps of any kind: highest finite q first (ties: the earlier), a grasp is kept when
 * `distance` puts it at least `minDistance` from every grasp kept before it. At most `maxCount`, best first.
 */
export function greedySeparation<G>(
  scored: readonly { grasp: G; q: number }[],
  minDistance: number,
  maxCount: number,
  distance: (a: G, b: G) => number,
): { grasp: G; q: number }[] {
  const order = scored.map((_, i) => i).filter((i) => Number.isFinite(scored[i].q));
  order.sort((i, j) => scored[j].q - scored[i].q || i - j);
  const kept: { grasp: G; q: number }[] = [];
  for (const i of order) {
    if (kept.length >= maxCount) break;
    const g = scored[i].grasp;
    if (kept.every((k) => distance(g, k.grasp) >= minDistance)) kept.push(scored[i]);
  }
  return kept;
}

/** Length of a CEM feature row: [p1x, p1y, p2x, p2y, depth]. */
export const GRASP_FEATURE_DIM = 5;

/** Writes gqcnn's feature vector [p1x, p1y, p2x, p2y, depth] (jaw endpoints and depth) at `out[offset…]`. */
export function graspToFeatures(g: ImageGrasp, out: Float64Array, offset = 0): Float64Array {
  const h = g.widthPx / 2;
  const c = Math.cos(g.angle) * h;
  const s = Math.sin(g.angle) * h;
  out[offset] = g.center.x - c;
  out[offset + 1] = g.center.y - s;
  out[offset + 2] = g.center.x + c;
  out[offset + 3] = g.center.y + s;
  out[offset + 4] = g.depth;
  return out;
}

/** The jaw opening in pixels for a grasp at `depth` along image direction `angle`. */
export type GraspWidthPx = (depth: number, angle: number) => number;

/** A {@link GraspWidthPx} for a gripper opening of `widthM` metres seen through `intrinsics`. */
export function gripperWidthPx(intrinsics: CameraIntrinsics, widthM: number): GraspWidthPx {
  return (depth, angle) => widthToPixels(widthM, depth, angle, intrinsics);
}

/**
 * Grasp from a feature row at `features[offset…]`: centre = endpoint midpoint, angle = endpoint direction. Like
 * gqcnn, the width is the gripper's (from `widthPx`), not the endpoint distance — the endpoints only place and
 * orient the jaws. Returns null when the row is not finite or the depth is not positive.
 */
export function featuresToGrasp(features: ArrayLike<number>, offset: number, widthPx: GraspWidthPx): ImageGrasp | null {
  const p1x = features[offset],
    p1y = features[offset + 1],
    p2x = features[offset + 2],
    p2y = features[offset + 3];
  const depth = features[offset + 4];
  if (!(
    Number.isFinite(p1x) &&
    Number.isFinite(p1y) &&
    Number.isFinite(p2x) &&
    Number.isFinite(p2y) &&
    depth > 0 &&
    Number.isFinite(depth)
  ))
    return null;
  const dx = p2x - p1x,
    dy = p2y - p1y;
  const angle = normalizeGraspAngle(dx === 0 && dy === 0 ? 0 : Math.atan2(dy, dx));
  const w = widthPx(depth, angle);
  if (!(w > 0 && Number.isFinite(w))) return null;
  return { center: { x: (p1x + p2x) / 2, y: (p1y + p2y) / 2 }, angle, depth, widthPx: w };
}
