// World → camera frame for a posed camera, and where a projected point lands on the image: the steps every grasp
// projection (jaws and suction) takes before its own geometry.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Vec3 } from '../geometry/vector.js';
import type { Camera } from './depth-renderer.js';

/** A world direction in the camera frame: the transpose of the camera → world rotation applied to it. */
export function cameraDirection(camera: Camera, v: Vec3): Vec3 {
  const R = camera.pose.rotation;
  return [
    R[0] * v[0] + R[3] * v[1] + R[6] * v[2],
    R[1] * v[0] + R[4] * v[1] + R[7] * v[2],
    R[2] * v[0] + R[5] * v[1] + R[8] * v[2],
  ];
}

/** A world point in the camera frame, without frame-name checks (the core trusts its inputs). */
export function cameraPoint(camera: Camera, p: Vec3): Vec3 {
  const t = camera.pose.translation;
  return cameraDirection(camera, [p[0] - t[0], p[1] - t[1], p[2] - t[2]]);
}

/** The pixel nearest to (x, y) and whether a point at depth z there is in front of the camera, `margin` inside. */
export function nearestPixel(
  k: CameraIntrinsics,
  x: number,
  y: number,
  z: number,
  margin: number,
): { col: number; row: number; inImage: boolean } {
  const col = Math.round(x),
    row = Math.round(y);
  const inImage =
    z > 0 && col >= margin && row >= margin && col <= k.width - 1 - margin && row <= k.height - 1 - margin;
  return { col, row, inImage };
}
