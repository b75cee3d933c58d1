// Fully-convolutional grasp policy: one FC-GQ-CNN pass per grasp angle scores a dense grid of centres × depths, then validity masks, top-k and NMS.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { cropAffine, graspAlignedCrop, type CropAffine } from '../image/crop.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { totalStride } from '../model/architecture.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { NoValidGraspError } from '../core/errors.js';
import { angleDifference, DEFAULT_ANGLE_WEIGHT_PX, gripperWidthPx, type ScoredGrasp } from '../grasp/image-grasp.js';
import { topBetweenJaws } from '../grasp/local-top.js';

export interface FullyConvolutionalOptions {
  /** Grasp angles, evenly spaced over a half turn (default 16). */
  angles?: number;
  /** Depth bins scored at every centre (default 16); the FC graph shares its conv trunk across them. */
  depthBins?: number;
  /** Grasps returned, best first, after non-maximum suppression (default 1). */
  topK?: number;
  /** Gripper opening in metres, for the returned widths (default 0.05). */
  gripperWidth?: number;
  /** Side in source pixels of the window each 32 × 32 network input covers (default 96, the dataset's crop). */
  cropSize?: number;
  /** Minimum {@link graspDistance} between returned grasps (default 20 px). */
  nmsDistancePx?: number;
  /** Angle weight of the NMS distance, px per radian (default {@link DEFAULT_ANGLE_WEIGHT_PX}). */
  angleWeightPx?: number;
  /**
   * A grasp's depth must lie in [top + minDepthBelowSurface, top + maxDepthBelowSurface], top = the object's highest
   * point on the segment between the jaws (segmask pixels only, with a segmask). Measured from the centre pixel, as
   * before, a grasp across a rim or a dip closed above the object between its pads. Defaults 0.0075 and 0.03 m, the
   * image sampler's offsets (see its note on the labels' depth dependence).
   */
  maxDepthBelowSurface?: number;
  minDepthBelowSurface?: number;
  /**
   * Whether a candidate may be returned (e.g. the plausibility check); asked lazily, best first, after the NMS test,
   * so only the candidates that would otherwise be returned are checked. Default: all.
   */
  accept?: (g: ScoredGrasp) => boolean;
  /**
   * Grid offsets per axis (default 1). The FC map's cells lie stride × cropSize/32 source px apart (12 px for the
   * compact net); k phases shift the rotated image by 1/k of that, k² FC passes per angle for a k× finer grid.
   */
  phases?: number;
  /** Centres closer than this to the image border are invalid (default cropSize/2·√2, so every crop is whole). */
  borderMargin?: number;
}

export interface FullyConvolutionalResult {
  /** Top-k valid grasps after NMS, best first. */
  grasps: ScoredGrasp[];
  /** (centre, angle, depth) triples the network scored, valid or not. */
  scoredCount: number;
  /** Of those, the ones that passed the validity checks (mask, border, depth range). */
  validCount: number;
  angles: number;
  depths: number;
  /** Distance between neighbouring grid centres in source pixels. */
  gridSpacingPx: number;
}

export const DEFAULT_FC_OPTIONS = Object.freeze({
  angles: 16,
  depthBins: 16,
  topK: 1,
  gripperWidth: 0.05,
  cropSize: 96,
  nmsDistancePx: 20,
  angleWeightPx: DEFAULT_ANGLE_WEIGHT_PX,
  maxDepthBelowSurface: 0.03,
  minDepthBelowSurface: 0.0075,
  phases: 1,
});

/**
 * Grasp angle of bin a out of n. The bins cover (−π/2, π/2] rather than [−π/2, π/2) so that every scored angle is
 * already normalised: the crop of θ + π is the crop of θ turned 180°, which the network scores differently, so
 * reporting a normalised angle other than the scored one would misstate q.
 */
export function fcAngle(a: number, n: number): number {
  return -Math.PI / 2 + (Math.PI * (a + 1)) / n;
}

/**
 * Plans on an inpainted depth image with the fully-convolutional GQ-CNN.
 *
 * For each angle θ one graspAlignedCrop call with output size N and crop size (cropSize/32)·N warps the region of
 * interest into I_θ, the image turned by −θ and shrunk to the network's scale; the 32 × 32 window of I_θ with top-left
 * pixel (c·s, r·s) is then exactly the grasp-aligned crop centred at the source point that the big crop's affine map
 * sends the window centre (c·s + 15.5, r·s + 15.5) to, so the FC map over I_θ (all depth bins in one pass) scores
 * every centre on a grid of spacing s·cropSize/32. A (centre, depth) is valid when the centre's pixel is in the
 * segmask (if any) and at least `borderMargin` from the border, and the depth lies 0.75–3 cm below the object's top
 * between the jaws. Throws {@link NoValidGraspError} when nothing is valid; never returns a non-finite q.
 *
 * Exact w.r.t. `predictor.predict` on graspAlignedCrop for VALID-padded architectures (the compact default);
 * with SAME padding the map is an approximation near window borders.
 */
export async function fullyConvolutionalPlan(
  predictor: GqcnnPredictor,
  depth: DepthImage,
  segmask: Mask | null,
  intrinsics: CameraIntrinsics,
  options: FullyConvolutionalOptions = {},
): Promise<FullyConvolutionalResult> {
  const o = { ...DEFAULT_FC_OPTIONS, ...options };
  const { width: W, height: H, data: src } = depth;
  const arch = predictor.model.arch;
  if (arch.imChannels !== 1 || arch.imHeight !== arch.imWidth || arch.poseDim !== 1)
    throw new Error(
      `fully-convolutional policy needs a 1-channel square crop and a depth-only pose, got ${arch.imChannels}×${arch.imHeight}×${arch.imWidth}, pose ${arch.poseDim}`,
    );
  if (segmask && (segmask.width !== W || segmask.height !== H))
    throw new Error(`segmask is ${segmask.width}×${segmask.height}, depth image is ${W}×${H}`);
  if (intrinsics.width !== W || intrinsics.height !== H)
    throw new Error(`intrinsics are for ${intrinsics.width}×${intrinsics.height}, depth image is ${W}×${H}`);
  for (const [k, v] of [
    ['angles', o.angles],
    ['depthBins', o.depthBins],
    ['topK', o.topK],
    ['phases', o.phases],
  ] as const)
    if (!(Number.isInteger(v) && v >= 1))
      throw new Error(`fully-convolutional policy: ${k} must be a positive integer, got ${v}`);
  if (!(o.cropSize > 0)) throw new Error(`fully-convolutional policy: cropSize must be positive, got ${o.cropSize}`);

  const win = arch.imHeight;
  const scale = o.cropSize / win;
  const margin = o.borderMargin ?? (o.cropSize / 2) * Math.SQRT2;
  const range = o.maxDepthBelowSurface;
  const minBelow = o.minDepthBelowSurface;
  const mask = segmask ? segmask.data : null;

  const bounds = regionBounds(depth, segmask, margin);
  if (!bounds)
    throw new NoValidGraspError(
      `no valid grasps: no ${mask ? 'segmask ' : ''}pixel with a depth lies at least ${margin.toFixed(1)} px from the border of the ${W}×${H} image`,
    );
  const { x0, x1, y0, y1, xLo, xHi, yLo, yHi, zMin: surfMin, zMax: surfMax } = bounds;

  // Depth bins (gqcnn: from the nearest object depth to the farthest depth), capped where no centre can use them.
  const pad = Math.ceil(o.cropSize / 2);
  let farthest = surfMin;
  for (let y = Math.max(0, y0 - pad); y <= Math.min(H - 1, y1 + pad); y++)
    for (let x = Math.max(0, x0 - pad), row = y * W; x <= Math.min(W - 1, x1 + pad); x++) {
      const z = src[row + x];
      if (z > farthest && z < Infinity) farthest = z;
    }
  const lo = surfMin;
  const hi = Math.max(lo, Math.min(farthest, surfMax + range));
  const nd = o.depthBins;
  const depths = new Float32Array(nd);
  for (let i = 0; i < nd; i++) depths[i] = lo + ((i + 0.5) * (hi - lo)) / nd;

  const nPhase = o.phases;
  const stride = totalStride(arch);
  const step = stride * scale;
  const widthPx = gripperWidthPx(intrinsics, o.gripperWidth);

  // Candidates: the best valid depth per (angle, phase, cell), in typed arrays (no per-cell objects).
  let cap = 0;
  let cand = grow(null, 0, 0);
  let count = 0;
  let scoredCount = 0;
  let validCount = 0;
  const thetas = Array.from({ length: o.angles }, (_, a) => fcAngle(a, o.angles));
  for (const pass of regionPasses(depth, bounds, thetas, nPhase, win, stride, scale)) {
    const { a, theta, view, wn, hn, ox, oy, affine: m } = pass;
    const fc = await predictor.predictFullyConvolutional(view, hn, wn, depths, nd);
    const { rows, cols, q } = fc;
    const plane = rows * cols;
    scoredCount += plane * nd;
    if (count + plane > cap) {
      cap = Math.max(2 * cap, count + plane * (o.angles - a) * nPhase * nPhase);
      cand = grow(cand, cap, count);
    }
    const h = (win - 1) / 2;
    for (let r = 0; r < rows; r++) {
      const v = r * fc.stride + oy + h;
      const rx = m[1] * v + m[2],
        ry = m[4] * v + m[5];
      for (let c = 0; c < cols; c++) {
        const u = c * fc.stride + ox + h;
        const px = m[0] * u + rx,
          py = m[3] * u + ry;
        const ix = Math.round(px),
          iy = Math.round(py);
        if (!(ix >= xLo && ix <= xHi && iy >= yLo && iy <= yHi)) continue;
        const p = iy * W + ix;
        if (mask && mask[p] === 0) continue;
        const centreDepth = src[p];
        if (!(centreDepth > 0 && centreDepth < Infinity)) continue;
        const surf = topBetweenJaws(depth, segmask, { x: px, y: py }, theta, widthPx(centreDepth, theta));
        if (!(surf > 0)) continue;
        let best = -1,
          bestD = -1;
        const cell = r * cols + c;
        for (let b = 0; b < nd; b++) {
          const d = depths[b];
          if (d < surf + minBelow || d > surf + range) continue;
          const qv = q[b * plane + cell];
          if (!(qv >= 0 && qv <= 1)) continue;
          validCount++;
          if (qv > best) {
            best = qv;
            bestD = b;
          }
        }
        if (bestD < 0) continue;
        cand.q[count] = best;
        cand.x[count] = px;
        cand.y[count] = py;
        cand.a[count] = a;
        cand.d[count] = bestD;
        count++;
      }
    }
  }
  if (count === 0)
    throw new NoValidGraspError(
      `no valid grasps: none of ${scoredCount} fully-convolutional candidates has its centre on the object with a ` +
        `depth ${minBelow}–${range} m below the object's top between its jaws`,
    );

  // Greedy NMS, best first (ties by scan order for determinism), materialising only the grasps it keeps.
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const qs = cand.q;
  order.sort((i, j) => qs[j] - qs[i] || i - j);
  const grasps: ScoredGrasp[] = [];
  for (let t = 0; t < count && grasps.length < o.topK; t++) {
    const i = order[t];
    const x = cand.x[i],
      y = cand.y[i],
      theta = fcAngle(cand.a[i], o.angles);
    let ok = true;
    for (const kept of grasps) {
      const g = kept.grasp;
      if (
        Math.hypot(x - g.center.x, y - g.center.y) + o.angleWeightPx * angleDifference(theta, g.angle) <
        o.nmsDistancePx
      ) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const d = depths[cand.d[i]];
    const scored = { grasp: { center: { x, y }, angle: theta, depth: d, widthPx: widthPx(d, theta) }, q: qs[i] };
    if (o.accept && !o.accept(scored)) continue;
    grasps.push(scored);
  }
  return { grasps, scoredCount, validCount, angles: o.angles, depths: nd, gridSpacingPx: step / nPhase };
}

/** Bounding box of the pixels with a depth (on the mask, if any) at least `margin` from the border, and their depths. */
export function regionBounds(
  depth: DepthImage,
  segmask: Mask | null,
  margin: number,
): {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The border-inset rectangle every valid centre's pixel lies in. */
  xLo: number;
  xHi: number;
  yLo: number;
  yHi: number;
  zMin: number;
  zMax: number;
} | null {
  const { width: W, height: H, data: src } = depth;
  const mask = segmask ? segmask.data : null;
  const xLo = Math.max(0, Math.ceil(margin)),
    xHi = Math.min(W - 1, Math.floor(W - 1 - margin));
  const yLo = Math.max(0, Math.ceil(margin)),
    yHi = Math.min(H - 1, Math.floor(H - 1 - margin));
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  let zMin = Infinity,
    zMax = -Infinity;
  for (let y = yLo; y <= yHi; y++) {
    const row = y * W;
    for (let x = xLo; x <= xHi; x++) {
      if (mask && mask[row + x] === 0) continue;
      const z = src[row + x];
      if (!(z > 0 && z < Infinity)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < zMin) zMin = z;
      if (z > zMax) zMax = z;
    }
  }
  return x0 > x1 ? null : { x0, x1, y0, y1, xLo, xHi, yLo, yHi, zMin, zMax };
}

/**
 * The network's view of a region turned by −θ about `centre`: graspAlignedCrop makes a square of (2k + 1) cells a side
 * (k = max(kx, ky)); the network gets only the wn × hn rectangle of windows that cover the region, which saves most
 * of the trunk's work for long thin regions. Offsets (ox, oy) are whole strides, so cells stay aligned; `affine` maps
 * square pixels back to the source image.
 */
export function regionView(
  depth: DepthImage,
  centre: { x: number; y: number },
  theta: number,
  kx: number,
  ky: number,
  win: number,
  stride: number,
  scale: number,
  buffers: { square: Float32Array; rect: Float32Array },
): { view: Float32Array; wn: number; hn: number; ox: number; oy: number; affine: CropAffine } {
  const k = Math.max(kx, ky);
  const n = win + stride * 2 * k;
  const wn = win + stride * 2 * kx,
    hn = win + stride * 2 * ky;
  const ox = stride * (k - kx),
    oy = stride * (k - ky);
  if (buffers.square.length < n * n) buffers.square = new Float32Array(n * n);
  if (buffers.rect.length < wn * hn) buffers.rect = new Float32Array(wn * hn);
  const { square } = buffers;
  const view = buffers.rect.subarray(0, wn * hn);
  graspAlignedCrop(depth, centre, theta, square, { cropSize: scale * n, outSize: n });
  for (let y = 0; y < hn; y++) view.set(square.subarray((y + oy) * n + ox, (y + oy) * n + ox + wn), y * wn);
  return { view, wn, hn, ox, oy, affine: cropAffine(centre, theta, { cropSize: scale * n, outSize: n }) };
}

/**
 * The passes of a fully-convolutional policy over a region: for each turn θ (index a) and each of phases² grid offsets,
 * the network's view of the region (see regionView), its grid symmetric about the region's centre plus the offset
 * and wide enough to cover the region turned by θ. The view's buffer is reused: use it before asking for the next.
 */
export function* regionPasses(
  depth: DepthImage,
  bounds: { x0: number; x1: number; y0: number; y1: number },
  thetas: readonly number[],
  phases: number,
  win: number,
  stride: number,
  scale: number,
): Generator<ReturnType<typeof regionView> & { a: number; theta: number }> {
  const { x0, x1, y0, y1 } = bounds;
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  const hw = (x1 - x0 + 1) / 2,
    hh = (y1 - y0 + 1) / 2;
  const step = stride * scale;
  // Phase shifts move the grid by up to this much, so the grid reaches that far further out.
  const maxShift = (step * (phases - 1)) / phases;
  const buffers = { square: new Float32Array(0), rect: new Float32Array(0) };
  for (const [a, theta] of thetas.entries()) {
    const cos = Math.cos(theta),
      sin = Math.sin(theta);
    // Half-extents of the region along the rotated axes: the turned grid needs 2k + 1 cells per axis to cover them.
    const kx = Math.ceil((Math.abs(hw * cos) + Math.abs(hh * sin) + maxShift) / step);
    const ky = Math.ceil((Math.abs(hw * sin) + Math.abs(hh * cos) + maxShift) / step);
    for (let pi = 0; pi < phases; pi++)
      for (let pj = 0; pj < phases; pj++) {
        const du = (pi / phases) * step,
          dv = (pj / phases) * step;
        const centre = { x: cx + cos * du - sin * dv, y: cy + sin * du + cos * dv };
        yield { a, theta, ...regionView(depth, centre, theta, kx, ky, win, stride, scale, buffers) };
      }
  }
}

/** Candidate grasps as parallel columns: q, centre, angle bin, depth bin. */
interface Candidates {
  q: Float32Array;
  x: Float64Array;
  y: Float64Array;
  a: Uint16Array;
  d: Uint16Array;
}

function grow(c: Candidates | null, cap: number, used: number): Candidates {
  const n: Candidates = {
    q: new Float32Array(cap),
    x: new Float64Array(cap),
    y: new Float64Array(cap),
    a: new Uint16Array(cap),
    d: new Uint16Array(cap),
  };
  if (c) {
    n.q.set(c.q.subarray(0, used));
    n.x.set(c.x.subarray(0, used));
    n.y.set(c.y.subarray(0, used));
    n.a.set(c.a.subarray(0, used));
    n.d.set(c.d.subarray(0, used));
  }
  return n;
}
