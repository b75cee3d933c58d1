// A bin-picking cell's memory of where a gripper just failed. Replanning on an unchanged part of the heap returns the
// same grasp, so each gripper keeps its next grasp centres off its failed spots — for as long as the heap looks the
// same there. A pick elsewhere does not clear a spot (on tuning heaps the cup then went back three times to a top
// face it could not seal, a pick of a neighbour between each); the depth under it changing does: the object there
// moved, and the spot is worth a new look. Only the camera's images are used, as a real cell would.
import { createMask, type DepthImage, type Mask } from '../image/depth-image.js';
import type { PlanGripperKind } from '../policy/plan-types.js';

/** What a failure keeps a gripper off: a disc about the failed grasp's centre, or the surface it was on (within it). */
export const AVOID_REGIONS = ['disc', 'surface'] as const;
export type AvoidRegion = (typeof AVOID_REGIONS)[number];

export interface FailedSpot {
  gripper: PlanGripperKind;
  /** The failed grasp's centre (px). */
  center: { x: number; y: number };
  /** Radius of the disc kept clear (px). */
  radius: number;
  /**
   * The pixels kept clear instead of the whole disc, where the cell avoids the failed grasp's surface (failedSurface):
   * the part of the disc joined to the centre by smoothly varying depth.
   */
  pixels?: Int32Array;
  /** The depth image the failed grasp was planned on. */
  seen: DepthImage;
  /** The attempt that failed there, for the episode's record. */
  attempt?: number;
}

/** A pixel changed when its depth moved by more than this (m): objects that move do so by centimetres. */
const CHANGED_DEPTH = 0.003;
/** The heap changed at a spot when more than this share of its disc's pixels (seen in both images) changed. */
const CHANGED_SHARE = 0.2;
/** Fewer pixels seen in both images than this and the spot cannot be compared: it is forgotten. */
const MIN_COMPARED = 8;

/** A surface runs on between neighbouring pixels whose depths differ by at most this (m): 1 mm pixels at 75°. */
const SURFACE_STEP = 0.004;

/** Calls `visit(i)` for the pixel index of every pixel of the spot (its surface, or its disc) in the image. */
function forEachInSpot(
  width: number,
  height: number,
  spot: { center: { x: number; y: number }; radius: number; pixels?: Int32Array },
  visit: (i: number) => void,
): void {
  if (spot.pixels) spot.pixels.forEach(visit);
  else forEachInDisc(width, height, spot, visit);
}

/** Calls `visit(i)` for the pixel index of every pixel of the disc that lies in the image. */
function forEachInDisc(
  width: number,
  height: number,
  { center, radius }: { center: { x: number; y: number }; radius: number },
  visit: (i: number) => void,
): void {
  const r = Math.ceil(radius);
  for (let y = Math.max(0, Math.floor(center.y - r)); y <= Math.min(height - 1, center.y + r); y++)
    for (let x = Math.max(0, Math.floor(center.x - r)); x <= Math.min(width - 1, center.x + r); x++)
      if ((x - center.x) ** 2 + (y - center.y) ** 2 <= radius * radius) visit(y * width + x);
}

/** Whether the heap under the spot looks as it did when the grasp there failed (missing pixels are not compared). */
export function unchangedAt(spot: FailedSpot, now: DepthImage): boolean {
  const then = spot.seen;
  if (then.width !== now.width || then.height !== now.height) return false;
  let compared = 0,
    changed = 0;
  forEachInSpot(now.width, now.height, spot, (i) => {
    const a = then.data[i]!,
      b = now.data[i]!;
    if (!(a > 0 && b > 0)) return;
    compared++;
    if (Math.abs(a - b) > CHANGED_DEPTH) changed++;
  });
  return compared >= MIN_COMPARED && changed <= CHANGED_SHARE * compared;
}

/** The spots still worth avoiding on the new image: those where the heap has not changed. */
export function stillFailed(spots: readonly FailedSpot[], now: DepthImage): FailedSpot[] {
  return spots.filter((s) => unchangedAt(s, now));
}

/** The foreground less discs around the gripper's failed grasps: where its next grasp centres may lie. */
export function avoidingFailures(
  foregroundMask: Mask,
  spots: readonly Omit<FailedSpot, 'seen'>[],
  gripper: PlanGripperKind,
): Mask {
  const own = spots.filter((s) => s.gripper === gripper);
  if (own.length === 0) return foregroundMask;
  const mask = createMask(foregroundMask.width, foregroundMask.height);
  mask.data.set(foregroundMask.data);
  for (const spot of own) forEachInSpot(mask.width, mask.height, spot, (i) => (mask.data[i] = 0));
  return mask;
}

/**
 * The failed grasp's surface: the foreground pixels of the disc reached from its centre through 4-neighbours whose
 * depths (both seen) differ by at most SURFACE_STEP — the face or object the grasp was on, not the neighbour beside
 * or below it. Replanning anywhere on an unchanged surface the network misjudged tends to fail alike (a quarter of
 * the failures on tuning heaps were a gripper's second on the same object). The centre alone when it is not seen.
 */
export function failedSurface(
  depth: DepthImage,
  foreground: Mask,
  center: { x: number; y: number },
  radius: number,
): Int32Array {
  const { width: W, height: H, data: z } = depth;
  const cx = Math.round(center.x),
    cy = Math.round(center.y);
  if (!(cx >= 0 && cy >= 0 && cx < W && cy < H)) return new Int32Array(0);
  const start = cy * W + cx;
  if (!(z[start]! > 0) || foreground.data[start] === 0) return Int32Array.of(start);
  const r2 = radius * radius;
  const inside = (i: number) => {
    const x = i % W,
      y = (i - x) / W;
    return (x - center.x) ** 2 + (y - center.y) ** 2 <= r2 && foreground.data[i] !== 0 && z[i]! > 0;
  };
  const reached = new Uint8Array(W * H);
  const queue = [start];
  reached[start] = 1;
  for (let k = 0; k < queue.length; k++) {
    const i = queue[k]!;
    const x = i % W;
    for (const j of [x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, i - W, i + W]) {
      if (j < 0 || j >= W * H || reached[j] || !inside(j) || Math.abs(z[j]! - z[i]!) > SURFACE_STEP) continue;
      reached[j] = 1;
      queue.push(j);
    }
  }
  return Int32Array.from(queue);
}
