// The object's top between the jaws of an image grasp: the depth that grasp depths are measured from, so that a
// grasp across a rim, a handle or a dip still closes around what lies between its pads.
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { PixelPoint } from './image-grasp.js';

/** Most samples along the segment: half-pixel steps up to a 256-px opening, sparser beyond (absurd intrinsics). */
const MAX_SAMPLES = 512;

/**
 * The smallest valid depth on the segment of `widthPx` pixels centred at `center` along image direction `angle`
 * (sampled every half pixel), counting only segmask pixels when a mask is given; NaN when the segment holds none.
 */
export function topBetweenJaws(
  depth: DepthImage,
  segmask: Mask | null,
  center: PixelPoint,
  angle: number,
  widthPx: number,
): number {
  const W = depth.width,
    H = depth.height,
    data = depth.data;
  const m = segmask ? segmask.data : null;
  const c = Math.cos(angle),
    s = Math.sin(angle);
  const n = Math.min(MAX_SAMPLES, Math.max(1, Math.ceil(widthPx * 2)));
  let top = Infinity;
  for (let i = 0; i <= n; i++) {
    const d = -widthPx / 2 + (widthPx * i) / n;
    const col = Math.round(center.x + c * d),
      row = Math.round(center.y + s * d);
    if (col < 0 || row < 0 || col >= W || row >= H) continue;
    const p = row * W + col;
    const v = data[p];
    if (v > 0 && v < top && (m === null || m[p] !== 0)) top = v;
  }
  return Number.isFinite(top) ? top : NaN;
}
