// gqcnn's image antipodal grasp sampler: candidate parallel-jaw grasps from depth edges whose 2-D normals face each other
// inside the friction cone — the seed set every image policy scores, and (labelled in 3-D) the dataset's planner grasps.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Random } from '../core/random.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { blurDownsample, depthGradients } from '../image/filters.js';
import {
  angleDifference,
  DEFAULT_ANGLE_WEIGHT_PX,
  normalizeGraspAngle,
  widthToPixels,
  type ImageGrasp,
  type PixelPoint,
} from './image-grasp.js';
import { topBetweenJaws } from './local-top.js';

export interface ImageAntipodalSamplerOptions {
  /** Grasps to return (each pair gives `depthSamplesPerGrasp` of them). Default 100. */
  numSamples?: number;
  /** Friction coefficient of the 2-D friction cones (gqcnn Dex-Net 2.0: 0.8). */
  frictionCoef?: number;
  /** Depth-gradient magnitude (m per downsampled pixel) above which a pixel is an edge. Default 0.0025. */
  depthGradThresh?: number;
  /** Integer downsampling factor applied after the blur. Default 2. */
  downsample?: number;
  /** Gaussian blur σ in full-resolution pixels. Default 1. */
  blurSigma?: number;
  /** Failed draws (no partner, too close to an earlier grasp) tolerated before giving up. Default 4000. */
  maxRejections?: number;
  /**
   * Grasp depth = the object's top (see `depthReference`) + U[minDepthOffset, maxDepthOffset] (m). Default 7.5 mm–3 cm
   * (Dex-Net 2.0: 0.5–4 cm). Labels of this gripper, whose fingertips reach 1 cm past the grasp depth, on 12 procedural
   * objects (bench/depth-labels.ts): this sampler's candidates are 8–12 % positive 5 mm–3 cm below the top, 2 % at
   * 3–4 cm (the 3-D sampler's grasps: 24–36 %, then 13 %). Below 5 mm the plausibility check refuses a grasp; 7.5 mm
   * keeps sensor noise clear of that line.
   */
  minDepthOffset?: number;
  maxDepthOffset?: number;
  /** Depths drawn per antipodal pair. Default 1. */
  depthSamplesPerGrasp?: number;
  /** Crop side of the network input; centres keep cropSize/2·√2 px from the border so the rotated crop fits. Default 96. */
  cropSize?: number;
  /** Minimum distance (image-grasp distance: centre px + angle term) between two sampled pairs. Default 2.5. */
  minDistPx?: number;
  /** Minimum distance between the two contacts, full-resolution px. Default 2. */
  minContactDistPx?: number;
  /** Half side of the window (full-resolution px) searched for the object's top (segmask pixels only, when given) around the centre; a window without any rejects the pair. Default 2. */
  depthWindowPx?: number;
  /**
   * Where the object's top is read: 'jaws' (default) = the highest object pixel on the segment between the jaws,
   * 'center' = in the window around the centre (gqcnn's choice). Across a rim, a handle or a dip the centre lies
   * below the object's top between the pads, and offsets from it closed the jaws above the object or at its edge.
   */
  depthReference?: 'jaws' | 'center';
  /** Also require the grasp centre pixel to be inside the segmask (default false, like gqcnn's sampler). */
  centerInMask?: boolean;
}

/** A sampled grasp and the two edge pixels (contacts) it was made from, full-resolution pixel coordinates. */
export interface AntipodalImageGrasp extends ImageGrasp {
  contacts: [PixelPoint, PixelPoint];
}

export const DEFAULT_IMAGE_SAMPLER_OPTIONS: Required<ImageAntipodalSamplerOptions> = Object.freeze({
  numSamples: 100,
  frictionCoef: 0.8,
  depthGradThresh: 0.0025,
  downsample: 2,
  blurSigma: 1,
  maxRejections: 4000,
  minDepthOffset: 0.0075,
  maxDepthOffset: 0.03,
  depthSamplesPerGrasp: 1,
  cropSize: 96,
  minDistPx: 2.5,
  minContactDistPx: 2,
  depthWindowPx: 2,
  depthReference: 'jaws',
  centerInMask: false,
});

/** The edge pixels the sampler pairs up, in downsampled coordinates (exposed for tests and the viewer). */
export interface DepthEdges {
  /** Downsampled image size and factor. */
  width: number;
  height: number;
  factor: number;
  count: number;
  /** Downsampled column and row of each edge pixel. */
  col: Int32Array;
  row: Int32Array;
  /** Unit outward normal (the depth-gradient direction: depth grows away from the object). */
  nx: Float32Array;
  ny: Float32Array;
  /** Nearest depth in the edge pixel's 3×3 neighbourhood (the object's side of the step), m. */
  depth: Float32Array;
}

/**
 * Samples antipodal image grasps. `depth` should already be inpainted (0 is treated as missing). `gripperWidth` is
 * the maximum jaw opening in metres; each grasp's `widthPx` is that opening projected at the grasp depth. Returns
 * fewer than `numSamples` grasps (possibly none) when the image does not hold enough antipodal pairs; the same
 * generator state gives the same grasps.
 */
export function sampleImageAntipodalGrasps(
  depth: DepthImage,
  segmask: Mask | null | undefined,
  intrinsics: CameraIntrinsics,
  gripperWidth: number,
  rng: Random,
  options: ImageAntipodalSamplerOptions = {},
): AntipodalImageGrasp[] {
  const o = { ...DEFAULT_IMAGE_SAMPLER_OPTIONS, ...options };
  if (segmask && (segmask.width !== depth.width || segmask.height !== depth.height))
    throw new Error(`segmask is ${segmask.width}×${segmask.height}, depth image is ${depth.width}×${depth.height}`);
  if (!(gripperWidth > 0)) throw new Error(`gripper width must be positive, got ${gripperWidth}`);
  const out: AntipodalImageGrasp[] = [];
  if (o.numSamples <= 0) return out;

  const edges = findDepthEdges(depth, segmask ?? null, o);
  const n = edges.count;
  if (n < 2) return out;
  const f = edges.factor;
  const half = (f - 1) / 2;
  const W = depth.width,
    H = depth.height;
  const margin = (o.cropSize / 2) * Math.SQRT2;
  const cosCone = Math.cos(Math.atan(o.frictionCoef));
  const minContactDs = o.minContactDistPx / f;

  // The widest pair anywhere: the gripper at the nearest edge depth, in downsampled px (the grid's cell size).
  let zMin = Infinity;
  for (let i = 0; i < n; i++) if (edges.depth[i] > 0 && edges.depth[i] < zMin) zMin = edges.depth[i];
  if (!Number.isFinite(zMin)) return out;
  const kScale = Math.max(Math.hypot(intrinsics.fx, intrinsics.skew), intrinsics.fy);
  const maxDs = (gripperWidth * kScale) / zMin / f;
  const cell = Math.max(1, Math.ceil(maxDs));

  // Edge pixels bucketed by grid cell (counting sort), so a partner search visits only the 3×3 cells around it.
  const gw = Math.ceil(edges.width / cell),
    gh = Math.ceil(edges.height / cell);
  const cellStart = new Int32Array(gw * gh + 1);
  const cellOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = ((edges.row[i] / cell) | 0) * gw + ((edges.col[i] / cell) | 0);
    cellOf[i] = c;
    cellStart[c + 1]++;
  }
  for (let c = 0; c < gw * gh; c++) cellStart[c + 1] += cellStart[c];
  const fillAt = cellStart.slice(0, gw * gh);
  const cellItems = new Int32Array(n);
  for (let i = 0; i < n; i++) cellItems[fillAt[cellOf[i]]++] = i;

  const { col, row, nx, ny } = edges;
  const ezs = edges.depth;
  const data = depth.data;
  const mask = segmask ? segmask.data : null;
  const win = Math.max(0, Math.round(o.depthWindowPx));
  const { fx, fy, skew } = intrinsics;
  // Accepted pairs' centres and angles, for the minimum-distance check.
  const maxPairs = Math.ceil(o.numSamples / Math.max(1, o.depthSamplesPerGrasp));
  const accX = new Float64Array(maxPairs),
    accY = new Float64Array(maxPairs),
    accA = new Float64Array(maxPairs);
  let pairs = 0;
  let rejections = 0;

  // Each edge pixel's antipodal partners, found the first time it is drawn and kept (draws repeat pixels often):
  // partners of i are pool[partnerStart[i] … partnerStart[i] + partnerCount[i]).
  const partnerStart = new Int32Array(n).fill(-1);
  const partnerCount = new Int32Array(n);
  let pool = new Int32Array(Math.max(1024, 16 * n));
  let poolUsed = 0;

  while (out.length < o.numSamples && rejections < o.maxRejections) {
    const i = rng.int(n);
    const ci = col[i],
      ri = row[i];
    if (partnerStart[i] < 0) {
      const nix = nx[i],
        niy = ny[i];
      const zi = ezs[i];
      const gcx = (ci / cell) | 0,
        gcy = (ri / cell) | 0;
      partnerStart[i] = poolUsed;
      for (let gy = gcy - 1; gy <= gcy + 1; gy++) {
        if (gy < 0 || gy >= gh) continue;
        for (let gx = gcx - 1; gx <= gcx + 1; gx++) {
          if (gx < 0 || gx >= gw) continue;
          const c = gy * gw + gx;
          for (let k = cellStart[c], end = cellStart[c + 1]; k < end; k++) {
            const j = cellItems[k];
            const njx = nx[j],
              njy = ny[j];
            if (nix * njx + niy * njy >= -cosCone) continue;
            const dx = col[j] - ci,
              dy = row[j] - ri;
            const d2 = dx * dx + dy * dy;
            if (d2 <= minContactDs * minContactDs || d2 > maxDs * maxDs) continue;
            const d = Math.sqrt(d2);
            const ux = dx / d,
              uy = dy / d;
            // Both contacts push inwards along the line: −n_i·u and n_j·u inside the cone.
            if (-(nix * ux + niy * uy) < cosCone || njx * ux + njy * uy < cosCone) continue;
            const zj = ezs[j];
            const zNear = zi > 0 && zj > 0 ? Math.min(zi, zj) : Math.max(zi, zj);
            if (!(zNear > 0)) continue;
            // Gripper width in px along u at zNear is width / (zNear·|a|), a = the metric direction imaging to u.
            const ay = uy / fy;
            const ax = (ux - skew * ay) / fx;
            if (d * f * zNear * Math.sqrt(ax * ax + ay * ay) >= gripperWidth) continue;
            if (poolUsed === pool.length) {
              const bigger = new Int32Array(pool.length * 2);
              bigger.set(pool);
              pool = bigger;
            }
            pool[poolUsed++] = j;
          }
        }
      }
      partnerCount[i] = poolUsed - partnerStart[i];
    }
    const count = partnerCount[i];
    if (count === 0) {
      rejections++;
      continue;
    }
    const chosen = pool[partnerStart[i] + rng.int(count)];
    const p1x = ci * f + half,
      p1y = ri * f + half;
    const p2x = col[chosen] * f + half,
      p2y = row[chosen] * f + half;
    const cx = (p1x + p2x) / 2,
      cy = (p1y + p2y) / 2;
    const angle = normalizeGraspAngle(Math.atan2(p2y - p1y, p2x - p1x));
    if (cx < margin || cy < margin || cx > W - 1 - margin || cy > H - 1 - margin) {
      rejections++;
      continue;
    }
    const pcx = Math.round(cx),
      pcy = Math.round(cy);
    if (o.centerInMask && mask && mask[pcy * W + pcx] === 0) {
      rejections++;
      continue;
    }
    let tooClose = false;
    for (let k = 0; k < pairs; k++) {
      const dist = Math.hypot(cx - accX[k], cy - accY[k]) + DEFAULT_ANGLE_WEIGHT_PX * angleDifference(angle, accA[k]);
      if (dist < o.minDistPx) {
        tooClose = true;
        break;
      }
    }
    if (tooClose) {
      rejections++;
      continue;
    }
    // The object's top near the centre: the jaws close below it, so the grasp goes that far plus an offset.
    // With a segmask only object pixels count, so a neighbouring object or the table never sets the depth.
    let top = Infinity;
    if (o.depthReference === 'jaws') {
      // The opening projected at the contacts' depth (the nearer one): the object is no nearer than that.
      const zi = ezs[i],
        zj = ezs[chosen];
      const zEdge = zi > 0 && zj > 0 ? Math.min(zi, zj) : Math.max(zi, zj);
      const opening = widthToPixels(gripperWidth, zEdge, angle, intrinsics);
      top = topBetweenJaws(depth, segmask ?? null, { x: cx, y: cy }, angle, opening);
    } else {
      for (let y = Math.max(0, pcy - win); y <= Math.min(H - 1, pcy + win); y++) {
        for (let x = Math.max(0, pcx - win); x <= Math.min(W - 1, pcx + win); x++) {
          const v = data[y * W + x];
          if (v > 0 && v < top && (mask === null || mask[y * W + x] !== 0)) top = v;
        }
      }
    }
    if (!Number.isFinite(top)) {
      rejections++;
      continue;
    }
    if (pairs < maxPairs) {
      accX[pairs] = cx;
      accY[pairs] = cy;
      accA[pairs] = angle;
      pairs++;
    }
    const contacts: [PixelPoint, PixelPoint] = [
      { x: p1x, y: p1y },
      { x: p2x, y: p2y },
    ];
    for (let s = 0; s < o.depthSamplesPerGrasp && out.length < o.numSamples; s++) {
      const z = top + o.minDepthOffset + (o.maxDepthOffset - o.minDepthOffset) * rng.next();
      out.push({
        center: { x: cx, y: cy },
        angle,
        depth: z,
        widthPx: widthToPixels(gripperWidth, z, angle, intrinsics),
        contacts: [{ ...contacts[0] }, { ...contacts[1] }],
      });
    }
  }
  return out;
}

/**
 * Edge pixels of a depth image as the sampler sees them: blurred (σ in full-resolution px) and block-averaged by
 * `downsample` in one pass, central-difference gradients above `depthGradThresh`, and — with a segmask — only
 * pixels on or next to the (downsampled) mask, since an object's outline runs along its mask border.
 */
export function findDepthEdges(
  depth: DepthImage,
  segmask: Mask | null,
  options: Pick<ImageAntipodalSamplerOptions, 'downsample' | 'blurSigma' | 'depthGradThresh'> = {},
): DepthEdges {
  const f = Math.max(1, Math.round(options.downsample ?? DEFAULT_IMAGE_SAMPLER_OPTIONS.downsample));
  const sigma = options.blurSigma ?? DEFAULT_IMAGE_SAMPLER_OPTIONS.blurSigma;
  const thresh = options.depthGradThresh ?? DEFAULT_IMAGE_SAMPLER_OPTIONS.depthGradThresh;
  // Blocks without a valid pixel take their neighbours' depth: an edge is found next to a hole as well.
  const ds = blurDownsample(depth, sigma, f, { fillMissing: true });
  const w = ds.width,
    h = ds.height,
    d = ds.data;

  let dsMask: Uint8Array | null = null;
  if (segmask) {
    dsMask = new Uint8Array(w * h);
    const W = depth.width,
      H = depth.height,
      m = segmask.data;
    for (let y = 0; y < H; y++) {
      const base = ((y / f) | 0) * w;
      const src = y * W;
      for (let x0 = 0, xd = 0; x0 < W; x0 += f, xd++) {
        const x1 = Math.min(W, x0 + f);
        for (let x = x0; x < x1; x++) if (m[src + x] !== 0) dsMask[base + xd] = 1;
      }
    }
  }

  // Two passes (count, then fill) so the edge arrays are allocated once at their exact size.
  const { gx: gxs, gy: gys } = depthGradients(ds);
  const thresh2 = thresh * thresh;
  const isEdge = new Uint8Array(w * h);
  let count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gx = gxs[i],
        gy = gys[i];
      if (gx * gx + gy * gy <= thresh2) continue;
      if (dsMask) {
        let near = false;
        for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1) && !near; yy++)
          for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++)
            if (dsMask[yy * w + xx]) {
              near = true;
              break;
            }
        if (!near) continue;
      }
      isEdge[i] = 1;
      count++;
    }
  }
  const col = new Int32Array(count),
    row = new Int32Array(count);
  const nx = new Float32Array(count),
    ny = new Float32Array(count),
    ez = new Float32Array(count);
  let k = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!isEdge[i]) continue;
      const gx = gxs[i],
        gy = gys[i];
      const m = Math.sqrt(gx * gx + gy * gy);
      col[k] = x;
      row[k] = y;
      nx[k] = gx / m;
      ny[k] = gy / m;
      let zmin = Infinity;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const v = d[yy * w + xx];
          if (v > 0 && v < zmin) zmin = v;
        }
      ez[k] = Number.isFinite(zmin) ? zmin : 0;
      k++;
    }
  }
  return { width: w, height: h, factor: f, count, col, row, nx, ny, depth: ez };
}
