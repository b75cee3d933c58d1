// A suction grasp seen in a depth image (Dex-Net 3.0's SuctionPoint2D): the target pixel, its depth and the approach
// axis in the camera frame; the crop angle and pose input a suction GQ-CNN reads, and the cup's 6-DoF pose.
import { deprojectPixel, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import type { Mat3, Vec3 } from '../geometry/vector.js';
import type { PixelPoint } from './image-grasp.js';
import { tangentAxes } from './suction/suction-grasp.js';

export interface ImageSuctionGrasp {
  /** Target pixel (x = column, y = row). */
  center: PixelPoint;
  /** Depth of the target along the optical axis (m). */
  depth: number;
  /** Unit approach in the camera frame, from the cup into the surface (+z component: away from the camera). */
  approach: Vec3;
}

/**
 * Crop angle for graspAlignedCrop that lays the approach's image direction at `point` down the crop's middle column
 * (+row); 0 when the approach runs along the viewing ray (it has no image direction then).
 */
export function approachCropAngle(point: Vec3, approach: Vec3, k: CameraIntrinsics): number {
  const z = point[2],
    a = approach;
  // Derivative of the projection along point + s·approach.
  const dx = k.fx * (a[0] - (a[2] * point[0]) / z) + k.skew * (a[1] - (a[2] * point[1]) / z);
  const dy = k.fy * (a[1] - (a[2] * point[1]) / z);
  // graspAlignedCrop maps the crop's +row axis to the image direction (−sin θ, cos θ).
  return Math.hypot(dx, dy) < 1e-9 ? 0 : Math.atan2(dy, dx) - Math.PI / 2;
}

/** Target point of an image suction grasp in the camera frame. */
export function suctionTargetInCamera(g: ImageSuctionGrasp, k: CameraIntrinsics): Vec3 {
  return deprojectPixel(k, g.center.x, g.center.y, g.depth);
}

/**
 * Angle between the approach and the optical axis (rad): the suction network's second pose input. Dex-Net 3.0 measures
 * it from the table normal, which a plan does not know; the planner and the datasets both use the optical axis, so
 * what the network learnt from is what it is given (cameras here tilt up to 18° from the table normal).
 */
export function approachAngleFromOpticalAxis(approach: Vec3): number {
  const n = Math.hypot(approach[0], approach[1], approach[2]) || 1;
  return Math.acos(Math.max(-1, Math.min(1, approach[2] / n)));
}

/** Crop angle for graspAlignedCrop and the pose row (target depth, approach angle) of a suction GQ-CNN. */
export interface SuctionNetworkInput {
  cropAngle: number;
  pose: [number, number];
}

/**
 * The crop angle and the pose row (target depth, approach angle from the optical axis) a suction GQ-CNN reads for `g`:
 * the planner's input, and the datasets' (dataset/suction-candidates.ts), computed here once for both.
 */
export function suctionNetworkInput(g: ImageSuctionGrasp, k: CameraIntrinsics): SuctionNetworkInput {
  return {
    cropAngle: approachCropAngle(suctionTargetInCamera(g, k), g.approach, k),
    pose: [g.depth, approachAngleFromOpticalAxis(g.approach)],
  };
}

/** Cup → camera: origin at the target, z = the approach, x from the camera's x-axis projected across the approach. */
export function suctionPoseInCamera(g: ImageSuctionGrasp, k: CameraIntrinsics): RigidTransform {
  const z = g.approach;
  const [x, y] = tangentAxes(z);
  const r: Mat3 = [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];
  return new RigidTransform(r, suctionTargetInCamera(g, k), 'suction_cup', k.frame);
}
