// Pinhole camera intrinsics (gqcnn's CameraIntrinsics): projection, deprojection and the `.intr` JSON file.
import type { Vec3 } from './vector.js';

export interface CameraIntrinsics {
  readonly fx: number;
  readonly fy: number;
  /** Principal point, pixels: cx along columns (x), cy along rows (y). */
  readonly cx: number;
  readonly cy: number;
  readonly skew: number;
  readonly width: number;
  readonly height: number;
  readonly frame: string;
}

/** Pixel (x = column, y = row, both continuous) of a camera-frame point (z forward, metres). */
export function projectPoint(k: CameraIntrinsics, p: Vec3): [number, number] {
  return [(k.fx * p[0] + k.skew * p[1]) / p[2] + k.cx, (k.fy * p[1]) / p[2] + k.cy];
}

/** Camera-frame point at pixel (x = column, y = row) and depth z. */
export function deprojectPixel(k: CameraIntrinsics, x: number, y: number, z: number): Vec3 {
  const py = ((y - k.cy) * z) / k.fy;
  const px = ((x - k.cx) * z - k.skew * py) / k.fx;
  return [px, py, z];
}
