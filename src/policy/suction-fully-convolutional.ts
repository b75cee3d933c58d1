// Fully-convolutional suction policy: the suction GQ-CNN slid over the whole image with a pose per output cell (each
// pixel's own depth and approach angle from its point-cloud normal), no angle bins in the graph; the map's best
// targets, spread a cup apart, are then re-scored exactly on their approach-aligned crops.
//
// What the map approximates. The trained network reads a crop turned so that the approach's image direction runs down
// the middle column, with (for im_depth_sub nets) the target's depth subtracted from every pixel. One FC pass sees
// every window at one turn θ and one subtracted depth, so a cell's map q is exact when its own crop angle is θ and its
// depth is the pass's depth. The map is made with `angles` turns (default 1: the image as it is) and depth bins a few
// millimetres apart; each cell is read from the pass nearest its own angle and depth. The best candidates are then
// scored by the crop model itself, so every q the policy returns is the exact one ranking would give that grasp.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { NoValidGraspError } from '../core/errors.js';
import type { ImageSuctionGrasp } from '../grasp/image-suction-grasp.js';
import { suctionGraspAtPixel, type ImageSuctionSamplerOptions } from '../grasp/image-suction-sampler.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { totalStride } from '../model/architecture.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import type { Scored } from './cross-entropy.js';
import { regionBounds, regionPasses } from './fully-convolutional.js';
import { suctionNetworkInput } from '../grasp/image-suction-grasp.js';
import { cupRadiusPx, scoreSuctionGrasps } from './suction-policy.js';

export interface SuctionFcOptions {
  /** Turns of the image, evenly spaced over a full turn (default 1: the image unturned). */
  angles?: number;
  /** Largest distance between neighbouring depth bins (m; default 0.004). */
  depthBinSpacing?: number;
  /** Most depth bins (default 8): each costs a trunk pass for im_depth_sub nets. */
  maxDepthBins?: number;
  /** Grid offsets per axis (default 2): k² passes for a k× finer grid than the net's stride × cropSize/32. */
  phases?: number;
  /** Side of the source window of a crop (px; default 96). */
  cropSize?: number;
  /** Candidates re-scored by the crop model per round (default 16). */
  rescore?: number;
  /** Rounds of re-scoring before giving up on finding `count` acceptable grasps (default 8). */
  maxRounds?: number;
  /** The image suction sampler's settings: a cell's grasp is the sampler's at its pixel (none = not a candidate). */
  sampler?: ImageSuctionSamplerOptions;
}

export const DEFAULT_SUCTION_FC_OPTIONS = Object.freeze({
  angles: 1,
  depthBinSpacing: 0.004,
  maxDepthBins: 8,
  phases: 2,
  cropSize: 96,
  rescore: 16,
  maxRounds: 8,
});

/** One cell of the map: the sampler's grasp at its pixel and the map's q for it. */
export interface SuctionMapCell {
  grasp: ImageSuctionGrasp;
  /** The window's exact centre in the source image (the pixel is its rounding). */
  x: number;
  y: number;
  /** The map's q: exact for a crop turned by `theta` and shifted by `binDepth`. */
  q: number;
  theta: number;
  binDepth: number;
}

/**
 * Every valid cell of the suction map over `region` (pixels with a depth, on the mask, cropSize/2·√2 from the border,
 * where the sampler finds a grasp on `surface`), read from the pass nearest its own crop angle and depth.
 */
export async function suctionMap(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  surface: DepthImage,
  region: Mask | null,
  k: CameraIntrinsics,
  options: SuctionFcOptions = {},
): Promise<{ cells: SuctionMapCell[]; scoredCount: number }> {
  const o = { ...DEFAULT_SUCTION_FC_OPTIONS, ...options };
  const arch = predictor.model.arch;
  for (const [name, v] of [
    ['angles', o.angles],
    ['maxDepthBins', o.maxDepthBins],
    ['phases', o.phases],
  ] as const)
    if (!(Number.isInteger(v) && v >= 1))
      throw new Error(`fully-convolutional suction policy: ${name} must be a positive integer, got ${v}`);
  const W = depth.width;
  const win = arch.imHeight;
  const scale = o.cropSize / win;
  const margin = (o.cropSize / 2) * Math.SQRT2;
  const bounds = regionBounds(depth, region, margin);
  if (!bounds)
    throw new NoValidGraspError(
      `no valid grasps: no ${region ? 'object ' : ''}pixel with a depth lies ${margin.toFixed(1)} px from the border`,
    );
  const { x0, x1, y0, y1, xLo, xHi, yLo, yHi } = bounds;
  const mask = region ? region.data : null;

  // The sampler's grasp at each pixel a cell lands on, computed once (cells of several passes share pixels).
  const grasps = new Map<number, ImageSuctionGrasp | null>();
  const graspAt = (ix: number, iy: number) => {
    const p = iy * W + ix;
    let g = grasps.get(p);
    if (g === undefined)
      grasps.set(p, (g = suctionGraspAtPixel(surface, k, ix, iy, { ...o.sampler, cropSize: o.cropSize })));
    return g;
  };

  // Depth bins over the surface's depths in the region's box (each cell is then at most half a spacing off).
  let zMin = Infinity,
    zMax = -Infinity;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const z = surface.data[y * W + x];
      if ((mask && mask[y * W + x] === 0) || !(z > 0)) continue;
      if (z < zMin) zMin = z;
      if (z > zMax) zMax = z;
    }
  const sub = arch.inputDepthMode === 'im_depth_sub';
  const nd = sub ? Math.min(o.maxDepthBins, Math.max(1, Math.ceil((zMax - zMin) / o.depthBinSpacing))) : 1;
  const binDepth = (b: number) => zMin + ((b + 0.5) * (zMax - zMin)) / nd;
  const binOf = (z: number) => Math.min(nd - 1, Math.max(0, Math.floor(((z - zMin) / (zMax - zMin || 1)) * nd)));
  const angleStep = (2 * Math.PI) / o.angles;
  const angleBinOf = (theta: number) => ((Math.round(theta / angleStep) % o.angles) + o.angles) % o.angles;

  const stride = totalStride(arch);
  const cells: SuctionMapCell[] = [];
  let scoredCount = 0;
  const h = (win - 1) / 2;
  const thetas = Array.from({ length: o.angles }, (_, a) => a * angleStep);
  for (const pass of regionPasses(depth, bounds, thetas, o.phases, win, stride, scale)) {
    const { a, theta, view, wn, hn, ox, oy, affine: m } = pass;
    const [rows, cols] = predictor.mapSize(hn, wn);
    const plane = rows * cols;
    // This pass's cells: the ones whose own crop angle is nearest θ, each with its pose and depth bin.
    const used: { cell: number; x: number; y: number; grasp: ImageSuctionGrasp; bin: number; angle: number }[] = [];
    for (let r = 0; r < rows; r++) {
      const v = r * stride + oy + h;
      for (let c = 0; c < cols; c++) {
        const u = c * stride + ox + h;
        const px = m[0] * u + m[1] * v + m[2],
          py = m[3] * u + m[4] * v + m[5];
        const ix = Math.round(px),
          iy = Math.round(py);
        if (!(ix >= xLo && ix <= xHi && iy >= yLo && iy <= yHi)) continue;
        if (mask && mask[iy * W + ix] === 0) continue;
        const g = graspAt(ix, iy);
        if (!g) continue;
        const input = suctionNetworkInput(g, k);
        if (angleBinOf(input.cropAngle) !== a) continue;
        used.push({ cell: r * cols + c, x: px, y: py, grasp: g, bin: binOf(g.depth), angle: input.pose[1] });
      }
    }
    if (used.length === 0) continue;
    // Only the depth bins some cell needs get a trunk pass.
    const bins = [...new Set(used.map((c) => c.bin))].sort((p, q) => p - q);
    const slot = new Map(bins.map((b, i) => [b, i]));
    const n = bins.length;
    const images = new Float32Array(n * wn * hn);
    for (let i = 0; i < n; i++) images.set(view, i * wn * hn);
    const depths = Float32Array.from(bins, binDepth);
    const poses = new Float32Array(n * 2 * plane);
    for (let i = 0; i < n; i++) poses.fill(depths[i]!, i * 2 * plane, i * 2 * plane + plane);
    for (const c of used)
      for (let i = 0; i < n; i++) {
        poses[i * 2 * plane + c.cell] = c.grasp.depth;
        poses[(i * 2 + 1) * plane + c.cell] = c.angle;
      }
    const map = await predictor.predictWithPoseMap(images, depths, hn, wn, poses, n);
    scoredCount += used.length;
    for (const c of used) {
      const q = map.q[slot.get(c.bin)! * plane + c.cell]!;
      if (Number.isFinite(q)) cells.push({ grasp: c.grasp, x: c.x, y: c.y, q, theta, binDepth: binDepth(c.bin) });
    }
  }
  return { cells, scoredCount };
}

/**
 * The fully-convolutional suction policy: the map's cells best first, spread at least a cup's diameter apart, re-scored
 * `rescore` at a time by the crop model and handed to `accept` in order of that exact q, until `count` pass or the
 * rounds run out. Returns them best first by exact q.
 */
export async function suctionFullyConvolutionalPlan(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  surface: DepthImage,
  region: Mask | null,
  k: CameraIntrinsics,
  count: number,
  accept: (s: Scored<ImageSuctionGrasp>) => boolean,
  options: SuctionFcOptions = {},
): Promise<{ grasps: Scored<ImageSuctionGrasp>[]; scoredCount: number; mapCells: number }> {
  const o = { ...DEFAULT_SUCTION_FC_OPTIONS, ...options };
  const { cells, scoredCount: mapped } = await suctionMap(predictor, depth, surface, region, k, o);
  if (cells.length === 0)
    throw new NoValidGraspError(
      'no suction candidates: no cell of the fully-convolutional map has a footprint flat enough within the approach limit',
    );
  cells.sort((a, b) => b.q - a.q);
  const cupRadius = o.sampler?.cupRadius;
  const spread: SuctionMapCell[] = [];
  const kept: Scored<ImageSuctionGrasp>[] = [];
  let scoredCount = mapped;
  let next = 0;
  for (let round = 0; round < o.maxRounds && kept.length < count && next < cells.length; round++) {
    const batch: SuctionMapCell[] = [];
    for (; next < cells.length && batch.length < o.rescore; next++) {
      const c = cells[next]!;
      const apart = 2 * cupRadiusPx(k, c.grasp.depth, cupRadius);
      const near = (s: SuctionMapCell) =>
        Math.hypot(s.grasp.center.x - c.grasp.center.x, s.grasp.center.y - c.grasp.center.y) < apart;
      if (spread.some(near)) continue;
      spread.push(c);
      batch.push(c);
    }
    const q = await scoreSuctionGrasps(
      predictor,
      depth,
      k,
      batch.map((c) => c.grasp),
      o.cropSize,
    );
    scoredCount += batch.length;
    const exact = batch.map((c, i) => ({ grasp: c.grasp, q: q[i]! })).filter((s) => Number.isFinite(s.q));
    exact.sort((a, b) => b.q - a.q);
    for (const s of exact) if (kept.length < count && accept(s)) kept.push(s);
  }
  kept.sort((a, b) => b.q - a.q);
  return { grasps: kept, scoredCount, mapCells: cells.length };
}
