// Plausibility of an image grasp on the observed depth: both fingers reach the grasp depth without meeting the surface,
// the palm above them comes down free, and the jaws close around the object (below its top between them), not on air,
// at its top edge or on a neighbour.
import { imagePlaneAxis, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Vec3 } from '../geometry/vector.js';
import { DEFAULT_GRIPPER, type ParallelJawGripper } from '../grasp/gripper.js';
import type { ImageGrasp } from '../grasp/image-grasp.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { imageGraspToPlaneParallel } from '../render/grasp-projection.js';
import type { GraspPlausibility, PlausibilityFailure } from './plan-types.js';

export type { GraspPlausibility, PlausibilityFailure };

export interface PlausibilityOptions {
  /** Finger size and reach (default the bundled model's gripper). */
  gripper?: ParallelJawGripper;
  /** Jaw opening (m); default the gripper's maxWidth. */
  width?: number;
  /**
   * How far the observed surface may reach above a fingertip before the finger counts as meeting it (m). Covers
   * sensor noise: a PrimeSense reads a flat table at 0.7 m with about 1–2 mm of scatter. Default 0.002.
   */
  surfaceTolerance?: number;
  /**
   * How far the jaws must close below the object's highest point between them (m). Default 0.005, Dex-Net 2.0's
   * smallest depth offset: a pad that overlaps the object by less holds it by its top edge.
   */
  minEngagement?: number;
  /**
   * Share of a finger footprint that may be missing in the sensor's original image (default 0.5). Missing pixels are
   * judged by their inpainted depth, but a path mostly unobserved cannot be vouched for.
   */
  maxMissingShare?: number;
  /**
   * With a segmask: a surface off the mask between the jaws higher than the object's top by more than this (m) means
   * the jaws would close on a neighbour first. Default 0.01 (mask borders and mixed pixels stay within it).
   */
  neighbourMargin?: number;
  /**
   * The direction the gripper moves along towards the grasp, in the camera frame (default [0, 0, 1], the optical
   * axis, as the returned pose approaches). A robot that comes straight down onto a table seen by a tilted camera
   * sweeps its fingers along the table's normal instead: give that, and the fingers' columns and the jaws' closing
   * axis (then parallel to the table) are judged along it. Must point away from the camera (z > 0.2).
   */
  approach?: Vec3;
  /**
   * How a finger whose tip the camera cannot see (a nearer surface lies on the rays to it) is judged: 'refuse' (not
   * vouched for) or 'columns' (by the seen surface inside its swept column alone, as a visible finger is). Default:
   * 'refuse' along the optical axis, where a hidden tip is the exception (an overhang, a taller neighbour), and
   * 'columns' for any other approach, whose far finger's column lies in the grasped object's own shadow by geometry.
   * Measured both ways (docs/guide.md): along the table normal under tilted cameras 'columns' won 20 of 400 held-out
   * single-object trials; along the optical axis in heaps it lost 2.7 points of reliability.
   */
  hiddenTips?: HiddenTips;
}

export const HIDDEN_TIPS = ['refuse', 'columns'] as const;
export type HiddenTips = (typeof HIDDEN_TIPS)[number];

export const DEFAULT_PLAUSIBILITY = Object.freeze({
  surfaceTolerance: 0.002,
  minEngagement: 0.005,
  maxMissingShare: 0.5,
  neighbourMargin: 0.01,
});

/** What the check looks at: the inpainted depth the policies plan on, and what the sensor really reported. */
export interface PlausibilityScene {
  /** Depth without holes (the planner's inpainted image). */
  depth: DepthImage;
  intrinsics: CameraIntrinsics;
  /** The sensor's image before inpainting (0 = missing); null when nothing was missing. */
  observed?: DepthImage | null;
  /** Object pixels; without one, any surface between the jaws counts as the object. */
  segmask?: Mask | null;
}

export type PlausibilityCheck = (g: ImageGrasp) => GraspPlausibility;

/**
 * Most samples along one side of a footprint or the opening. Half-pixel steps need 16 × 31 per finger at 0.7 m
 * (fx 525); a camera a few centimetres away or a focal length of millions would need millions, so such footprints are
 * sampled more sparsely rather than let one check take seconds.
 */
const MAX_SAMPLES_PER_SIDE = 64;
/** Smallest z of a unit approach: past ~78° from the optical axis the camera sees the fingers' columns edge-on. */
const MIN_APPROACH_Z = 0.2;
/** Side of the tiles whose nearest depth lets a column be passed over without reading its pixels (px). */
const BLOCK = 8;

/**
 * Builds the check for one scene. Geometry in the gripper's frame of sweptGripperBoxes, the approach along `approach`
 * (the optical axis unless given): each finger is a box fingerThickness wide along the grasp axis just outside the
 * opening and 2·fingerRadius across it, whose tip reaches fingertipOffset past the grasp centre along the approach.
 * Its footprint, sampled every half pixel at the tip and projected through the intrinsics, must see no surface nearer
 * than the tip on those rays, and no observed surface point may lie inside the finger's column above the tip
 * (deprojected, so a surface the finger passes on its way down counts where it is, not where its pixel is); nor inside
 * the palm's column, across both fingers and the opening, above the palm's underside fingerLength over the tips. The
 * jaws engage when the highest surface on the segment between the pads (the object's, with a segmask) is at least
 * minEngagement above the grasp centre along the approach.
 */
export function plausibilityCheck(scene: PlausibilityScene, options: PlausibilityOptions = {}): PlausibilityCheck {
  const o = { ...DEFAULT_PLAUSIBILITY, ...options };
  const gripper = o.gripper ?? DEFAULT_GRIPPER;
  const width = o.width ?? gripper.maxWidth;
  const { depth, intrinsics: k } = scene;
  const W = depth.width,
    H = depth.height,
    data = depth.data;
  const size = `the depth image is ${W}×${H}`;
  if (k.width !== W || k.height !== H)
    throw new Error(`plausibility: intrinsics are for ${k.width}×${k.height}, ${size}`);
  const observed = scene.observed ?? null;
  if (observed && (observed.width !== W || observed.height !== H))
    throw new Error(`plausibility: the observed image is ${observed.width}×${observed.height}, ${size}`);
  const mask = scene.segmask ? scene.segmask.data : null;
  if (scene.segmask && (scene.segmask.width !== W || scene.segmask.height !== H))
    throw new Error(`plausibility: segmask is ${scene.segmask.width}×${scene.segmask.height}, ${size}`);
  const obs = observed ? observed.data : null;
  const [dx, dy, dz] = approachDirection(o.approach);
  const alongOptical = dx === 0 && dy === 0;
  const hiddenTips = o.hiddenTips ?? (alongOptical ? 'refuse' : 'columns');
  if (!HIDDEN_TIPS.includes(hiddenTips))
    throw new Error(`plausibility: hiddenTips must be one of ${HIDDEN_TIPS.join(', ')}, got ${String(hiddenTips)}`);
  const refuseHidden = hiddenTips === 'refuse';
  const half = width / 2,
    t = gripper.fingerThickness,
    r = gripper.fingerRadius,
    tip = gripper.fingertipOffset;
  const focal = Math.max(Math.hypot(k.fx, k.skew), k.fy);
  // How far above a fingertip the finger's column is swept: the finger and the palm above it, moved in from
  // approachDistance back along the approach (where MuJoCo's gripper starts). Any surface in that column meets the
  // finger on its way down; a column cut at the palm's top let fingers graze the bin's wall tops 7 cm above their tips.
  const reach = gripper.fingerLength + gripper.palmThickness + gripper.approachDistance;

  // The grasp frame of the candidate being checked: centre c (camera frame), closing axis a, across b = d × a, and the
  // approach d. A point of it is c + s·a + u·b + h·d: h is how far past the centre along the approach. Scalars, as
  // these sit in the check's innermost loops.
  let cx = 0,
    cy = 0,
    cz = 0,
    ax = 0,
    ay = 0,
    az = 0,
    bx = 0,
    by = 0,
    bz = 0;
  // Projects the grasp-frame point (s, u, h) to a pixel index, or −1 off-image (or behind the camera).
  const pixel = (s: number, u: number, h: number): number =>
    pixelOf(cx + s * ax + u * bx + h * dx, cy + s * ay + u * by + h * dy, cz + s * az + u * bz + h * dz);
  // The intrinsics as locals: these projections run about a thousand times per candidate.
  const { fx, fy, skew, cx: px0, cy: py0 } = k;
  // The camera-frame point's pixel index, or −1 off-image or behind the camera.
  const pixelOf = (X: number, Y: number, Z: number): number => {
    if (!(Z > 0)) return -1;
    const col = Math.round((fx * X + skew * Y) / Z + px0),
      row = Math.round((fy * Y) / Z + py0);
    return col >= 0 && row >= 0 && col < W && row < H ? row * W + col : -1;
  };
  // How far past the centre along the approach the surface point seen at pixel (col, row) with depth z lies.
  const heightAt = (col: number, row: number, z: number): number => {
    const Y = ((row - py0) / fy) * z,
      X = ((col - px0) * z - skew * Y) / fx;
    return (X - cx) * dx + (Y - cy) * dy + (z - cz) * dz;
  };

  // The nearest depth in each BLOCK × BLOCK tile of the image (a missing pixel counts as nearest): the tiles of a
  // column's image rectangle that lie farther than its far end hold no surface of it, and most of a clear grasp's
  // are such, so they are passed over instead of deprojecting their pixels.
  const tilesX = Math.ceil(W / BLOCK);
  const tileMin = new Float32Array(tilesX * Math.ceil(H / BLOCK)).fill(Infinity);
  for (let row = 0; row < H; row++) {
    const tileRow = Math.floor(row / BLOCK) * tilesX;
    for (let col = 0; col < W; col++) {
      const v = data[row * W + col]!,
        tile = tileRow + Math.floor(col / BLOCK);
      const m = v > 0 ? v : 0;
      if (m < tileMin[tile]!) tileMin[tile] = m;
    }
  }

  // The smallest h of an observed surface point inside the column [s0, s1] × [u0, u1] × [h0, h1] of the grasp frame
  // (Infinity when none), found by deprojecting every pixel of the column's image. Under a perspective camera a point
  // above the grasp depth shows radially outward of where the footprint projects at that depth (by X·(1/Z − 1/z) · f:
  // about 5 px at 10 cm off the optical axis and 3 cm above), so looking only at the footprint's pixels at the grasp
  // depth judges the wrong 3-D column.
  const nearestInColumn = (s0: number, s1: number, u0: number, u1: number, h0: number, h1: number): number => {
    let cMin = Infinity,
      cMax = -Infinity,
      rMin = Infinity,
      rMax = -Infinity,
      zMin = Infinity,
      zMax = -Infinity;
    for (const s of [s0, s1])
      for (const u of [u0, u1])
        for (const h of [h0, h1]) {
          const X = cx + s * ax + u * bx + h * dx,
            Y = cy + s * ay + u * by + h * dy,
            Z = cz + s * az + u * bz + h * dz;
          const col = (fx * X + skew * Y) / Z + px0,
            row = (fy * Y) / Z + py0;
          cMin = Math.min(cMin, col);
          cMax = Math.max(cMax, col);
          rMin = Math.min(rMin, row);
          rMax = Math.max(rMax, row);
          zMin = Math.min(zMin, Z);
          zMax = Math.max(zMax, Z);
        }
    const c0 = Math.max(0, Math.floor(cMin)),
      c1 = Math.min(W - 1, Math.ceil(cMax)),
      r0 = Math.max(0, Math.floor(rMin)),
      r1 = Math.min(H - 1, Math.ceil(rMax));
    // The frame as locals for the pixel loop (the closure's own variables are reloaded on every use).
    const [x0, y0, z0, a0, a1, a2, b0, b1, b2] = [cx, cy, cz, ax, ay, az, bx, by, bz];
    let nearest = Infinity;
    // Tile by tile: a tile whose nearest depth lies beyond the column's far end holds none of its surface, and along
    // the optical axis one no nearer than the best so far cannot improve it, so its pixels are passed over.
    for (let ty = Math.floor(r0 / BLOCK); ty <= Math.floor(r1 / BLOCK); ty++) {
      const rowEnd = Math.min(r1, ty * BLOCK + BLOCK - 1);
      for (let tx = Math.floor(c0 / BLOCK); tx <= Math.floor(c1 / BLOCK); tx++) {
        const m = tileMin[ty * tilesX + tx]!;
        if (m > zMax || (alongOptical && !(m - z0 < nearest))) continue;
        const colEnd = Math.min(c1, tx * BLOCK + BLOCK - 1);
        for (let row = Math.max(r0, ty * BLOCK); row <= rowEnd; row++) {
          const yn = (row - py0) / fy;
          for (let col = Math.max(c0, tx * BLOCK); col <= colEnd; col++) {
            const z = data[row * W + col];
            // Along the optical axis h is the depth's own offset: most pixels are passed over before deprojecting them.
            if (!(z >= zMin && z <= zMax) || (alongOptical && !(z - z0 < nearest))) continue;
            const Y = yn * z,
              X = ((col - px0) * z - skew * Y) / fx;
            const ex = X - x0,
              ey = Y - y0,
              ez = z - z0;
            const h = alongOptical ? ez : ex * dx + ey * dy + ez * dz;
            if (!(h >= h0 && h <= h1 && h < nearest)) continue;
            const s = ex * a0 + ey * a1 + ez * a2,
              u = ex * b0 + ey * b1 + ez * b2;
            if (s >= s0 && s <= s1 && u >= u0 && u <= u1) nearest = h;
          }
        }
      }
    }
    return nearest;
  };

  return (g) => {
    const z = g.depth;
    const fail = (
      reason: PlausibilityFailure,
      message: string,
      partial: Partial<GraspPlausibility> = {},
    ): GraspPlausibility => ({
      plausible: false,
      reason,
      message,
      fingerClearance: [NaN, NaN],
      fingerMissing: [0, 0],
      palmClearance: NaN,
      engagement: NaN,
      onObject: false,
      ...partial,
    });
    if (!(z > 0 && Number.isFinite(z))) return fail('off-image', `grasp depth ${z} is not a positive distance`);
    cz = z;
    cy = ((g.center.y - py0) * z) / fy;
    cx = ((g.center.x - px0) * z - skew * cy) / fx;
    const axis = alongOptical ? imagePlaneAxis(k, g.angle) : closingAxisAcross(g, k, [dx, dy, dz]);
    if (!axis)
      return fail('off-image', 'the approach runs along the viewing ray: no closing axis has this image angle');
    [ax, ay, az] = axis;
    bx = dy * az - dz * ay;
    by = dz * ax - dx * az;
    bz = dx * ay - dy * ax;
    const step = z / focal / 2; // half a pixel at the grasp depth
    // From where the approach starts down to the tips: where a surface meets the finger or the palm above it (kept in
    // front of the camera).
    const near = Math.max(tip - reach, -(z + tip) / 2);
    // The gripper's own height above its tips: below it, surfaces are common (the object, its neighbours); above it,
    // only tall ones, so that part of each column is mostly passed over on the tiles alone.
    const body = Math.max(tip - gripper.fingerLength - gripper.palmThickness, near);

    // Each footprint at the fingertips, on the rays to it: a surface nearer than the tip is either in the finger's way
    // or hides what is (a finger tucked into the shadow behind an object is not vouched for, unless hiddenTips says
    // 'columns'). Sampled every half pixel there, so every pixel the footprint covers is visited.
    const tipStep = (z + tip) / focal / 2;
    const ns = Math.min(MAX_SAMPLES_PER_SIDE, Math.max(1, Math.ceil(t / tipStep)));
    const nu = Math.min(MAX_SAMPLES_PER_SIDE, Math.max(1, Math.ceil((2 * r) / tipStep)));
    const clearance: [number, number] = [Infinity, Infinity];
    const missingShare: [number, number] = [0, 0];
    for (let f = 0; f < 2; f++) {
      const s0 = f === 0 ? -half - t : half;
      let missing = 0,
        seen = 0;
      // The footprint's samples step through the camera frame: from its corner (s0, −r) at the tip, along a and b.
      const [sx, sy, sz] = [(t / ns) * ax, (t / ns) * ay, (t / ns) * az];
      const [ux, uy, uz] = [((2 * r) / nu) * bx, ((2 * r) / nu) * by, ((2 * r) / nu) * bz];
      const X0 = cx + s0 * ax - r * bx + tip * dx,
        Y0 = cy + s0 * ay - r * by + tip * dy,
        Z0 = cz + s0 * az - r * bz + tip * dz;
      for (let i = 0; i <= ns; i++) {
        const Xi = X0 + i * sx,
          Yi = Y0 + i * sy,
          Zi = Z0 + i * sz;
        for (let j = 0; j <= nu; j++) {
          const Z = Zi + j * uz;
          const p = pixelOf(Xi + j * ux, Yi + j * uy, Z);
          if (p < 0) return fail('off-image', `finger ${f + 1} reaches past the image border`);
          // With hidden tips judged by their columns, a surface in front of the tip counts only through them.
          const gap = data[p] - Z;
          if (gap < clearance[f] && (refuseHidden || gap >= 0)) clearance[f] = gap;
          if (obs && !(obs[p] > 0)) missing++;
          seen++;
        }
      }
      // Seen surface inside the finger's column, from where the approach starts down to the tip: met on the way down
      // under a perspective camera although its pixels lie outside the footprint's; its highest point sets how far
      // the finger must rise.
      const column = Math.min(
        nearestInColumn(s0, s0 + t, -r, r, body, tip),
        nearestInColumn(s0, s0 + t, -r, r, near, body),
      );
      clearance[f] = Math.min(clearance[f], column - tip);
      missingShare[f] = missing / seen;
    }

    // The palm spans both fingers above them: swept down to fingerLength above the tips, it must meet no surface
    // across its whole footprint (the segment between the pads below only tells what the jaws close on).
    const palmBottom = tip - gripper.fingerLength;
    const palmClearance = nearestInColumn(-half - t, half + t, -r, r, near, palmBottom) - palmBottom;
    const fingers = { fingerClearance: clearance, fingerMissing: missingShare, palmClearance };

    // Between the pads: the highest surface along the approach (the object's only, with a segmask) and the highest
    // one off the mask, sampled where the segment projects (the object's top lies near it, so the perspective shift
    // that matters for the fingers' columns is small here).
    const n = Math.min(4 * MAX_SAMPLES_PER_SIDE, Math.max(1, Math.ceil(width / step)));
    let top = Infinity,
      other = Infinity;
    for (let i = 0; i <= n; i++) {
      const p = pixel(-half + (width * i) / n, 0, 0);
      if (p < 0) continue;
      const v = data[p]!;
      const h = alongOptical ? v - z : heightAt(p % W, Math.floor(p / W), v);
      if (mask === null || mask[p] !== 0) {
        if (h < top) top = h;
      } else if (h < other) other = h;
    }
    // Measured before any verdict, so a finger failure still reports how deep the jaws would have closed.
    const onObject = Number.isFinite(top) && !(other < top - o.neighbourMargin);
    const engaged = { ...fingers, engagement: Number.isFinite(top) ? -top : NaN, onObject };
    for (let f = 0; f < 2; f++) {
      if (clearance[f] < -o.surfaceTolerance)
        return fail(
          'finger-collision',
          `finger ${f + 1} meets the surface ${mm(-clearance[f])} above its tip`,
          engaged,
        );
      if (missingShare[f] > o.maxMissingShare)
        return fail(
          'finger-unobserved',
          `${Math.round(100 * missingShare[f])} % of finger ${f + 1}'s path was missing in the sensor image`,
          engaged,
        );
    }
    if (!Number.isFinite(top)) return fail('not-on-object', 'no object pixel lies between the jaws', engaged);
    const engagement = engaged.engagement;
    if (other < top - o.neighbourMargin)
      return fail(
        'not-on-object',
        `a surface off the segmask between the jaws is ${mm(top - other)} above the object`,
        engaged,
      );
    if (palmClearance < -o.surfaceTolerance)
      return fail('palm-collision', `the palm meets a surface ${mm(-palmClearance)} above its underside`, engaged);
    if (engagement < 0)
      return fail('on-air', `the jaws close ${mm(-engagement)} above the object between them`, engaged);
    if (engagement < o.minEngagement)
      return fail(
        'shallow',
        `the jaws close only ${mm(engagement)} below the object's top (at least ${mm(o.minEngagement)} needed)`,
        engaged,
      );
    return { plausible: true, reason: null, message: 'fingers clear, jaws engage', ...engaged };
  };
}

/** The approach as a unit vector, checked: it must point away from the camera, not along the image plane. */
function approachDirection(approach: Vec3 | undefined): Vec3 {
  if (!approach) return [0, 0, 1];
  const n = Math.hypot(...approach);
  if (!(n > 0) || !approach.every(Number.isFinite))
    throw new Error(`plausibility: approach must be a non-zero direction, got [${approach.join(', ')}]`);
  const d: Vec3 = [approach[0] / n, approach[1] / n, approach[2] / n];
  if (!(d[2] > MIN_APPROACH_Z))
    throw new Error(
      `plausibility: approach [${d.map((v) => v.toFixed(3)).join(', ')}] must point away from the camera ` +
        `(z > ${MIN_APPROACH_Z})`,
    );
  return d;
}

/** The closing axis perpendicular to the approach whose image at the grasp centre runs along the grasp's angle. */
function closingAxisAcross(g: ImageGrasp, k: CameraIntrinsics, approach: Vec3): Vec3 | null {
  try {
    return imageGraspToPlaneParallel(g.center, g.angle, g.depth, k, approach).axis;
  } catch {
    return null;
  }
}

/** Metres as millimetres with one decimal, for the checks' messages. */
export function mm(m: number): string {
  return `${(m * 1000).toFixed(1)} mm`;
}
