// The planner's picture: a colour-mapped depth image with grasps drawn as jaws (or suction cups: the cup's rim and its
// axis) shaded by quality — what `dexnet plan --png` writes and the viewer shows.
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { graspEndpoints, type ImageGrasp } from '../grasp/image-grasp.js';
import type { PlannedSuction } from './plan-types.js';

/** A grasp to draw: jaws, or a suction grasp carrying its cup (PlannedGrasp.suction), drawn as one. */
export interface DrawnGrasp {
  grasp: ImageGrasp & { suction?: PlannedSuction };
  q: number;
}

export interface GraspOverlayOptions {
  /** Object mask: its outline is drawn in white. */
  segmask?: Mask | null;
  /** Depth range of the colour map (m); default: the valid pixels' range. Nearer is brighter. */
  minDepth?: number;
  maxDepth?: number;
  /** Index into `grasps` of the grasp to highlight (default: the highest finite q). */
  bestIndex?: number;
}

// Viridis at five evenly spaced stops: perceptually uniform, readable in greyscale, bright end = near.
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/**
 * Draws `grasps` on the depth image and returns PNG bytes of the same size. Each grasp is a line between its jaw
 * endpoints with a short bar across the axis at each jaw, coloured red (q = 0) to green (q = 1); the best one is
 * drawn last, thicker, with its q printed. Missing depth (0) is black. Never throws for an empty grasp list.
 */
export function drawGraspOverlay(
  depth: DepthImage,
  grasps: readonly DrawnGrasp[],
  options: GraspOverlayOptions = {},
): Uint8Array {
  const { width: W, height: H, data } = depth;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');

  // Colour range: the object's depths (plus a margin showing the table just behind it) when a mask is
  // given, so a small object is not washed out by the table's gradient; else the whole image.
  const segmask =
    options.segmask && options.segmask.width === W && options.segmask.height === H ? options.segmask.data : null;
  let lo = Infinity,
    hi = -Infinity;
  for (const onlyMask of segmask ? [true, false] : [false]) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v > 0) || !Number.isFinite(v) || (onlyMask && segmask![i] === 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi >= lo) {
      if (onlyMask) {
        lo -= 0.01;
        hi += 0.03;
      }
      break;
    }
  }
  lo = options.minDepth ?? lo;
  hi = options.maxDepth ?? hi;
  const span = hi > lo ? hi - lo : 1;

  const image = ctx.createImageData(W, H);
  const px = image.data;
  const mask =
    options.segmask && options.segmask.width === W && options.segmask.height === H ? options.segmask.data : null;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const o = i * 4;
      px[o + 3] = 255;
      if (
        mask &&
        mask[i] !== 0 &&
        (x === 0 ||
          y === 0 ||
          x === W - 1 ||
          y === H - 1 ||
          !mask[i - 1] ||
          !mask[i + 1] ||
          !mask[i - W] ||
          !mask[i + W])
      ) {
        px[o] = px[o + 1] = px[o + 2] = 255;
        continue;
      }
      const v = data[i];
      if (!(v > 0) || !Number.isFinite(v)) continue; // black
      let t = (hi - v) / span;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const s = t * (VIRIDIS.length - 1);
      const k = Math.min(VIRIDIS.length - 2, Math.floor(s));
      const f = s - k;
      const a = VIRIDIS[k],
        b = VIRIDIS[k + 1];
      px[o] = a[0] + f * (b[0] - a[0]);
      px[o + 1] = a[1] + f * (b[1] - a[1]);
      px[o + 2] = a[2] + f * (b[2] - a[2]);
    }
  }
  ctx.putImageData(image, 0, 0);
  // Our pixel centres sit at integer coordinates; the canvas puts them at +0.5.
  ctx.translate(0.5, 0.5);

  let best = options.bestIndex ?? -1;
  if (best < 0 || best >= grasps.length) {
    best = -1;
    for (let i = 0; i < grasps.length; i++)
      if (Number.isFinite(grasps[i].q) && (best < 0 || grasps[i].q > grasps[best].q)) best = i;
  }
  // Worst first so better grasps stay visible on top; the best is drawn last of all.
  const order = grasps.map((_, i) => i).filter((i) => i !== best && drawable(grasps[i]));
  order.sort((i, j) => qOrZero(grasps[i].q) - qOrZero(grasps[j].q));
  for (const i of order) drawGrasp(ctx, grasps[i], 1.5);
  if (best >= 0 && drawable(grasps[best])) {
    const g = grasps[best];
    // A dark halo sets the best grasp apart from a crowd of similar colours.
    drawGrasp(ctx, g, 6, 'rgba(0,0,0,0.8)');
    drawGrasp(ctx, g, 3.5);
    const cup = g.grasp.suction;
    const p2 = cup
      ? { x: g.grasp.center.x + cup.cupRadiusPx, y: g.grasp.center.y - cup.cupRadiusPx }
      : graspEndpoints(g.grasp)[1];
    const label = `q = ${Number.isFinite(g.q) ? g.q.toFixed(3) : 'n/a'}`;
    ctx.font = 'bold 14px sans-serif';
    const tx = Math.min(Math.max(2, p2.x + 6), W - 80);
    const ty = Math.min(Math.max(14, p2.y - 6), H - 4);
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'black';
    ctx.strokeText(label, tx, ty);
    ctx.fillStyle = 'white';
    ctx.fillText(label, tx, ty);
  }
  const png = canvas.toBuffer('image/png');
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function qOrZero(q: number): number {
  return Number.isFinite(q) ? q : -1;
}

function drawable(s: DrawnGrasp): boolean {
  const g = s.grasp;
  return (
    Number.isFinite(g.center.x) &&
    Number.isFinite(g.center.y) &&
    Number.isFinite(g.angle) &&
    g.widthPx > 0 &&
    Number.isFinite(g.widthPx)
  );
}

/** Red (q = 0) through yellow to green (q = 1); grey when q is not a number. */
function qualityColour(q: number): string {
  if (!Number.isFinite(q)) return 'rgb(160,160,160)';
  const t = q < 0 ? 0 : q > 1 ? 1 : q;
  return `hsl(${Math.round(120 * t)}, 100%, 50%)`;
}

function drawGrasp(ctx: SKRSContext2D, s: DrawnGrasp, lineWidth: number, colour = qualityColour(s.q)): void {
  const g = s.grasp;
  ctx.strokeStyle = colour;
  ctx.lineWidth = lineWidth;
  ctx.lineCap = 'round';
  if (g.suction) {
    // The cup's rim around the target, and its axis from 3 cm back toward the cup down to the target.
    const t = g.suction.axisTailPx;
    ctx.beginPath();
    ctx.arc(g.center.x, g.center.y, Math.max(2, g.suction.cupRadiusPx), 0, 2 * Math.PI);
    ctx.moveTo(t.x, t.y);
    ctx.lineTo(g.center.x, g.center.y);
    ctx.stroke();
    return;
  }
  const [p1, p2] = graspEndpoints(g);
  // Jaw bars across the axis, long enough to read at any width.
  const bar = Math.max(8, 0.35 * g.widthPx) / 2;
  const nx = -Math.sin(g.angle) * bar,
    ny = Math.cos(g.angle) * bar;
  ctx.beginPath();
  ctx.moveTo(p1.x, p1.y);
  ctx.lineTo(p2.x, p2.y);
  for (const p of [p1, p2]) {
    ctx.moveTo(p.x - nx, p.y - ny);
    ctx.lineTo(p.x + nx, p.y + ny);
  }
  ctx.stroke();
}
