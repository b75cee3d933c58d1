// Plausibility of an image suction grasp on the observed depth (Dex-Net 3.0's seal needs a flat, seen surface): the
// cup's footprint was observed, the cup travels along its axis to the target without meeting a surface in front of
// it, and the footprint is flat enough to seal.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS, footprintFlatness } from '../grasp/image-suction-sampler.js';
import { suctionTargetInCamera, type ImageSuctionGrasp } from '../grasp/image-suction-grasp.js';
import { tangentAxes } from '../grasp/suction/suction-grasp.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { SuctionPlausibility, SuctionPlausibilityFailure } from './plan-types.js';
import { mm } from './plausibility.js';

export type { SuctionPlausibility, SuctionPlausibilityFailure };

export interface SuctionPlausibilityOptions {
  /** Cup radius (m); default the §8 cup (7.5 mm). */
  cupRadius?: number;
  /** Largest distance of a footprint point from the footprint's plane (m); default the sampler's 3 mm. */
  flatnessTolerance?: number;
  /** Share of the footprint that may be missing in the sensor's image (default 0: a hole under the cup leaks). */
  maxMissingShare?: number;
  /** How far a surface may reach in front of the cup before the cup counts as meeting it (m). Default 0.002. */
  surfaceTolerance?: number;
  /** Length of the cup and its shaft behind the rim that must find free space along the axis (m). Default 0.05. */
  bodyLength?: number;
}

export const DEFAULT_SUCTION_PLAUSIBILITY = Object.freeze({
  cupRadius: DEFAULT_SUCTION_GRIPPER.radius,
  flatnessTolerance: DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS.flatnessTolerance,
  maxMissingShare: 0,
  surfaceTolerance: 0.002,
  bodyLength: 0.05,
});

/** What the check looks at. */
export interface SuctionPlausibilityScene {
  /** The surface the planner reads targets, normals and flatness from (inpainted, smoothed against sensor noise). */
  surface: DepthImage;
  intrinsics: CameraIntrinsics;
  /** The sensor's image before inpainting (0 = missing); null when nothing was missing. */
  observed?: DepthImage | null;
  /** Object pixels: the target must lie on one. */
  segmask?: Mask | null;
}

export type SuctionPlausibilityCheck = (g: ImageSuctionGrasp) => SuctionPlausibility;

/** Heights above the rim (as shares of bodyLength) at which the cup's disc is checked for a surface in front of it. */
const BODY_LEVELS = [0, 0.125, 0.25, 0.5, 0.75, 1];
/** Most samples across the cup's disc (per axis); a camera centimetres away would otherwise ask for thousands. */
const MAX_DISC_SAMPLES = 48;

/**
 * Builds the check for one scene. In order: the target pixel lies in the image (and on the segmask); at most
 * maxMissingShare of the footprint (the cup's disc at the target, sampled every half pixel) was missing in the sensor
 * image; the cup's disc, moved back along the axis from the rim to bodyLength behind it, never has the surface more
 * than surfaceTolerance in front of it (a taller neighbour in or beside the footprint); and the footprint's points lie
 * within flatnessTolerance of their plane (footprintFlatness, as the sampler measures it: edges, corners, ridges).
 */
export function suctionPlausibilityCheck(
  scene: SuctionPlausibilityScene,
  options: SuctionPlausibilityOptions = {},
): SuctionPlausibilityCheck {
  const o = { ...DEFAULT_SUCTION_PLAUSIBILITY, ...options };
  const { surface, intrinsics: k } = scene;
  const W = surface.width,
    H = surface.height,
    data = surface.data;
  const size = `the depth image is ${W}×${H}`;
  if (k.width !== W || k.height !== H)
    throw new Error(`suction plausibility: intrinsics are for ${k.width}×${k.height}, ${size}`);
  const observed = scene.observed ?? null;
  if (observed && (observed.width !== W || observed.height !== H))
    throw new Error(`suction plausibility: the observed image is ${observed.width}×${observed.height}, ${size}`);
  const segmask = scene.segmask ?? null;
  if (segmask && (segmask.width !== W || segmask.height !== H))
    throw new Error(`suction plausibility: segmask is ${segmask.width}×${segmask.height}, ${size}`);
  const obs = observed ? observed.data : null;
  const mask = segmask ? segmask.data : null;
  const r = o.cupRadius;
  const focal = Math.max(Math.hypot(k.fx, k.skew), k.fy);

  return (g) => {
    const measures = { flatness: NaN, cupMissing: 0, cupClearance: NaN };
    const fail = (reason: SuctionPlausibilityFailure, message: string): SuctionPlausibility => ({
      plausible: false,
      reason,
      message,
      ...measures,
    });
    const cx = Math.round(g.center.x),
      cy = Math.round(g.center.y);
    if (!(cx >= 0 && cy >= 0 && cx < W && cy < H && g.depth > 0 && Number.isFinite(g.depth)))
      return fail('off-image', `the target (${g.center.x}, ${g.center.y}) at ${g.depth} m is not in the image`);
    if (mask && mask[cy * W + cx] === 0) return fail('not-on-object', 'the target is not on the segmask');

    const p = suctionTargetInCamera(g, k);
    const a = g.approach;
    const [e1, e2] = tangentAxes(a);
    // The disc at height h behind the rim, sampled every half pixel (at the target's depth) over its square.
    const n = Math.min(MAX_DISC_SAMPLES, Math.max(2, Math.ceil((4 * r * focal) / g.depth)));
    const visitDisc = (h: number, visit: (pixel: number, pointDepth: number) => void): boolean => {
      for (let i = 0; i <= n; i++) {
        const u = -r + (2 * r * i) / n;
        for (let j = 0; j <= n; j++) {
          const v = -r + (2 * r * j) / n;
          if (u * u + v * v > r * r) continue;
          const X = p[0] + u * e1[0] + v * e2[0] - h * a[0],
            Y = p[1] + u * e1[1] + v * e2[1] - h * a[1],
            Z = p[2] + u * e1[2] + v * e2[2] - h * a[2];
          if (!(Z > 0)) return false;
          const col = Math.round((k.fx * X + k.skew * Y) / Z + k.cx),
            row = Math.round((k.fy * Y) / Z + k.cy);
          if (!(col >= 0 && row >= 0 && col < W && row < H)) return false;
          visit(row * W + col, Z);
        }
      }
      return true;
    };

    let missing = 0,
      seen = 0;
    const footprintInImage = visitDisc(0, (pixel) => {
      seen++;
      if (obs && !(obs[pixel] > 0)) missing++;
    });
    if (!footprintInImage) return fail('off-image', "the cup's footprint reaches past the image border");
    measures.cupMissing = missing / seen;
    // In front of the disc = nearer the camera than it (smaller depth); the clearance is the least depth margin.
    let clearance = Infinity;
    for (const level of BODY_LEVELS) {
      const inImage = visitDisc(level * o.bodyLength, (pixel, z) => {
        const gap = data[pixel] - z;
        if (gap < clearance) clearance = gap;
      });
      // Above the image border the cup's body is out of the camera's view: nothing seen can block it there.
      if (!inImage) break;
    }
    measures.cupClearance = clearance;
    measures.flatness = footprintFlatness(surface, k, g.center, g.depth, r);
    if (measures.cupMissing > o.maxMissingShare)
      return fail(
        'cup-unobserved',
        `${Math.round(100 * measures.cupMissing)} % of the cup's footprint was missing in the sensor image`,
      );
    if (clearance < -o.surfaceTolerance)
      return fail('cup-collision', `the cup meets a surface ${mm(-clearance)} in front of it on its way to the target`);
    if (!(measures.flatness <= o.flatnessTolerance))
      return fail(
        'not-flat',
        Number.isFinite(measures.flatness)
          ? `the footprint departs ${mm(measures.flatness)} from its plane (at most ${mm(o.flatnessTolerance)})`
          : 'the footprint has too few pixels to fit a plane',
      );
    return { plausible: true, reason: null, message: 'footprint seen and flat, the cup reaches it', ...measures };
  };
}
