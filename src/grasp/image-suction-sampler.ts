// Dex-Net 3.0's image suction sampler: a random segmask pixel, the approach = −(the point cloud's normal there, read at
// the cup's rim), kept when within 30° of the optical axis and when the cup's footprint is flat enough on the observed
// depth.
import { deprojectPixel, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Vec3 } from '../geometry/vector.js';
import type { Random } from '../core/random.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { gaussianBlurWithin } from '../image/filters.js';
import { edgeKeepingBlurWithin } from '../image/edge-keeping-blur.js';
import { DEFAULT_SUCTION_GRIPPER } from './gripper.js';
import type { ImageSuctionGrasp } from './image-suction-grasp.js';

export interface ImageSuctionSamplerOptions {
  /** Grasps to return. Default 100. */
  numSamples?: number;
  /** Largest angle between the approach and the optical axis (rad; Dex-Net 3.0: 30°). */
  maxApproachAngle?: number;
  /**
   * Half the span of the central differences the normal comes from, in cup radii at the target's depth (default 1:
   * the normal of the rim the cup seals on). Sensor noise tilts finer differences: on the dataset's noisy scenes of
   * training meshes, 2-px differences on the σ = 2 image were 26° (median) off the true normal of faces within 25° of
   * straight down, cup-radius ones 17°, and the cup sealed along them at the true point 13 % and 34 % of the time.
   */
  normalScale?: number;
  /** Cup radius (m), for the footprint of the flatness check. Default the §8 cup (7.5 mm). */
  cupRadius?: number;
  /** Largest distance (m) of a footprint point from the footprint's fitted plane. Default 3 mm. */
  flatnessTolerance?: number;
  /** Crop side of the network input; targets keep cropSize/2·√2 px from the border so the rotated crop fits. */
  cropSize?: number;
  /** Failed draws tolerated before giving up. Default 4000. */
  maxRejections?: number;
  /**
   * Gaussian blur σ (px) the planner applies to the depth image before targets, normals and flatness are read from it
   * (default 3): a millimetre or two of sensor noise otherwise tilts the normals by tens of degrees. With cup-radius
   * normals, cem's analytic success on 150 training-mesh scenes was 43 % at σ = 2, 49 % at 3, 53 % at 4 (intervals
   * ±8 points); 3 keeps edges sharper for the flatness check. The functions here read the image they are given.
   */
  blurSigma?: number;
  /**
   * Depth edges the blur keeps (m): a neighbour farther than this from a pixel's depth is left out of its blur
   * (edge-keeping-blur.ts); 0 blurs across edges, as models trained before it were. Default 15 mm: three times the
   * sensor noise's σ, under the step from an object's top to the table. On 60 held-out procedural scenes, 489 of the
   * 864 visible targets the analytic referee passes found a flat footprint within 30° of the optical axis on it,
   * against 272 with the plain blur (whose edges tilted the targets' normals from a median 25° to 34°).
   */
  edgeTolerance?: number;
}

export const DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS: Required<ImageSuctionSamplerOptions> = Object.freeze({
  numSamples: 100,
  maxApproachAngle: (30 * Math.PI) / 180,
  normalScale: 1,
  cupRadius: DEFAULT_SUCTION_GRIPPER.radius,
  flatnessTolerance: 0.003,
  cropSize: 96,
  maxRejections: 4000,
  blurSigma: 3,
  edgeTolerance: 0.015,
});

/**
 * Unit surface normal at pixel (x, y), pointing toward the camera (−z side), from the cross product of the point
 * cloud's central differences `step` px apart; null where a neighbour is missing or outside the image.
 */
export function pixelNormal(depth: DepthImage, k: CameraIntrinsics, x: number, y: number, step = 2): Vec3 | null {
  const { width: w, height: h, data } = depth;
  if (x - step < 0 || y - step < 0 || x + step >= w || y + step >= h) return null;
  const at = (u: number, v: number) => {
    const z = data[v * w + u]!;
    return z > 0 ? deprojectPixel(k, u, v, z) : null;
  };
  const l = at(x - step, y),
    r = at(x + step, y),
    t = at(x, y - step),
    b = at(x, y + step);
  if (!l || !r || !t || !b) return null;
  const u: Vec3 = [r[0] - l[0], r[1] - l[1], r[2] - l[2]],
    v: Vec3 = [b[0] - t[0], b[1] - t[1], b[2] - t[2]];
  let n: Vec3 = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const len = Math.hypot(n[0], n[1], n[2]);
  if (!(len > 0)) return null;
  const s = n[2] > 0 ? -1 / len : 1 / len;
  n = [n[0] * s, n[1] * s, n[2] * s];
  return n;
}

/** Pixel step of the normal's central differences at depth `depthM`: `normalScale` cup radii, at least 1 px. */
export function normalStepPx(
  k: CameraIntrinsics,
  depthM: number,
  options: Pick<ImageSuctionSamplerOptions, 'normalScale' | 'cupRadius'> = {},
): number {
  const scale = options.normalScale ?? DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS.normalScale;
  const radius = options.cupRadius ?? DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS.cupRadius;
  return Math.max(1, Math.round((scale * radius * Math.max(k.fx, k.fy)) / depthM));
}

/**
 * The cup's footprint on the observed surface: the pixels within the cup radius (projected at `depthM`) of `center`,
 * back-projected; returns the largest distance of those points from their least-squares plane (m), or Infinity when
 * a footprint pixel is missing, outside the image, or there are too few to fit a plane.
 */
export function footprintFlatness(
  depth: DepthImage,
  k: CameraIntrinsics,
  center: { x: number; y: number },
  depthM: number,
  radius: number,
): number {
  const { width: w, height: h, data } = depth;
  const rx = (radius * k.fx) / depthM,
    ry = (radius * k.fy) / depthM;
  const cx = Math.round(center.x),
    cy = Math.round(center.y);
  const x0 = Math.floor(cx - rx),
    x1 = Math.ceil(cx + rx),
    y0 = Math.floor(cy - ry),
    y1 = Math.ceil(cy + ry);
  if (x0 < 0 || y0 < 0 || x1 >= w || y1 >= h) return Infinity;
  const pts: number[] = [];
  // Plane z = a·x + b·y + c by least squares (the approach is within 30° of the optical axis, so z is a function).
  let sxx = 0,
    sxy = 0,
    syy = 0,
    sx = 0,
    sy = 0,
    n = 0,
    sxz = 0,
    syz = 0,
    sz = 0;
  for (let v = y0; v <= y1; v++)
    for (let u = x0; u <= x1; u++) {
      const du = (u - cx) / rx,
        dv = (v - cy) / ry;
      if (du * du + dv * dv > 1) continue;
      const z = data[v * w + u]!;
      if (!(z > 0)) return Infinity;
      const p = deprojectPixel(k, u, v, z);
      pts.push(p[0], p[1], p[2]);
      sxx += p[0] * p[0];
      sxy += p[0] * p[1];
      syy += p[1] * p[1];
      sx += p[0];
      sy += p[1];
      n++;
      sxz += p[0] * p[2];
      syz += p[1] * p[2];
      sz += p[2];
    }
  if (n < 4) return Infinity;
  // Centre the sums so the 3×3 solve is well conditioned (points are metres from the camera, spread millimetres).
  const mx = sx / n,
    my = sy / n,
    mz = sz / n;
  const cxx = sxx - n * mx * mx,
    cxy = sxy - n * mx * my,
    cyy = syy - n * my * my;
  const cxz = sxz - n * mx * mz,
    cyz = syz - n * my * mz;
  const det = cxx * cyy - cxy * cxy;
  if (!(Math.abs(det) > 1e-30)) return Infinity;
  const a = (cxz * cyy - cyz * cxy) / det,
    b = (cyz * cxx - cxz * cxy) / det;
  const norm = Math.hypot(a, b, 1);
  let worst = 0;
  for (let i = 0; i < pts.length; i += 3) {
    const d = Math.abs(a * (pts[i]! - mx) + b * (pts[i + 1]! - my) - (pts[i + 2]! - mz)) / norm;
    if (d > worst) worst = d;
  }
  return worst;
}

/**
 * The suction grasp at pixel (x, y), or null when it fails the sampler's checks: the normal exists, the approach is
 * within `maxApproachAngle` of the optical axis, and the cup footprint is flat within `flatnessTolerance`.
 */
export function suctionGraspAtPixel(
  depth: DepthImage,
  k: CameraIntrinsics,
  x: number,
  y: number,
  options: ImageSuctionSamplerOptions = {},
): ImageSuctionGrasp | null {
  const o = { ...DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS, ...options };
  const z = depth.data[y * depth.width + x]!;
  if (!(z > 0)) return null;
  const n = pixelNormal(depth, k, x, y, normalStepPx(k, z, o));
  if (!n) return null;
  const approach: Vec3 = [-n[0], -n[1], -n[2]];
  if (approach[2] < Math.cos(o.maxApproachAngle)) return null;
  if (!(footprintFlatness(depth, k, { x, y }, z, o.cupRadius) <= o.flatnessTolerance)) return null;
  return { center: { x, y }, depth: z, approach };
}

/**
 * Up to `numSamples` distinct-pixel suction grasps on `mask` (all pixels when null), drawn uniformly, each passing
 * {@link suctionGraspAtPixel}; targets keep half the crop's diagonal from the border.
 */
export function sampleImageSuctionGrasps(
  depth: DepthImage,
  mask: Mask | null,
  k: CameraIntrinsics,
  rng: Random,
  options: ImageSuctionSamplerOptions = {},
): ImageSuctionGrasp[] {
  const o = { ...DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS, ...options };
  const { width: w, height: h } = depth;
  const margin = Math.ceil((o.cropSize / 2) * Math.SQRT2);
  const candidates: number[] = [];
  for (let y = margin; y < h - margin; y++)
    for (let x = margin; x < w - margin; x++) if (!mask || mask.data[y * w + x]) candidates.push(y * w + x);
  const out: ImageSuctionGrasp[] = [];
  const tried = new Set<number>();
  let rejections = 0;
  while (out.length < o.numSamples && rejections < o.maxRejections && tried.size < candidates.length) {
    const p = candidates[Math.floor(rng.next() * candidates.length)]!;
    if (tried.has(p)) {
      rejections++;
      continue;
    }
    tried.add(p);
    const g = suctionGraspAtPixel(depth, k, p % w, Math.floor(p / w), o);
    if (g) out.push(g);
    else rejections++;
  }
  return out;
}

/**
 * The surface suction targets, normals and footprints are read from: the depth blurred by the sampler's σ (keeping
 * depth edges past its edgeTolerance) where a target may lie (the region's box, widened by the largest footprint and
 * the normal's step), the depth elsewhere.
 */
export function suctionSurface(
  depth: DepthImage,
  region: Mask | null,
  k: CameraIntrinsics,
  sampler: Required<ImageSuctionSamplerOptions>,
): DepthImage {
  if (!(sampler.blurSigma > 0)) return depth;
  const W = depth.width;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity,
    near = Infinity;
  for (let y = 0; y < depth.height; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (region && region.data[i] === 0) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (depth.data[i] > 0 && depth.data[i] < near) near = depth.data[i];
    }
  if (x0 > x1) return depth;
  const reach = Math.ceil((sampler.cupRadius * Math.max(k.fx, k.fy)) / near) + normalStepPx(k, near, sampler) + 1;
  const box = [x0 - reach, y0 - reach, x1 + reach, y1 + reach] as const;
  return sampler.edgeTolerance > 0
    ? edgeKeepingBlurWithin(depth, sampler.blurSigma, sampler.edgeTolerance, box)
    : gaussianBlurWithin(depth, sampler.blurSigma, box);
}

/** The sampler settings a plan uses: the defaults, the crop size, then the caller's. */
export function suctionSamplerSettings(
  cropSize: number,
  options: ImageSuctionSamplerOptions = {},
): Required<ImageSuctionSamplerOptions> {
  return { ...DEFAULT_IMAGE_SUCTION_SAMPLER_OPTIONS, cropSize, ...options };
}
