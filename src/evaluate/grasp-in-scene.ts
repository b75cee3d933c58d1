// From a planned image grasp back to the 3-D grasp it stands for on the object, in the dataset's semantics — the
// step that lets the analytic and physics referees judge what the planner chose.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { mat3MulVec, mat3Transpose, type Vec3 } from '../geometry/vector.js';
import type { ParallelJawGripper } from '../grasp/gripper.js';
import { approachAngleToward, type ParallelJawGrasp } from '../grasp/parallel-jaw-grasp.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { Camera } from '../render/depth-renderer.js';
import { imageGraspToPlaneParallel, type PixelPoint } from '../render/grasp-projection.js';
import type { TrialScene } from './trial-scene.js';

/**
 * The sensor's depth scale error measured against the table plane z = 0: the median over table pixels (outside the
 * segmask, every `step`-th row and column) of reported / true depth. A calibrated cell knows its camera pose and so
 * the plane's true depth at each pixel; Dex-Net's per-image Gamma multiplier is exactly such a scale error.
 */
export function tableDepthScale(depth: DepthImage, segmask: Mask | null, camera: Camera, step = 4): number {
  const k: CameraIntrinsics = camera.intrinsics;
  const R = camera.pose.rotation, oz = camera.pose.translation[2];
  const ratios: number[] = [];
  for (let y = 0; y < depth.height; y += step) {
    for (let x = 0; x < depth.width; x += step) {
      const i = y * depth.width + x;
      const z = depth.data[i]!;
      if (!(z > 0) || (segmask && segmask.data[i] !== 0)) continue;
      // Pixel ray with camera-frame z = 1; its world z-component decides where it meets the table.
      const ry = (y - k.cy) / k.fy;
      const rx = (x - k.cx - k.skew * ry) / k.fx;
      const wz = R[6] * rx + R[7] * ry + R[8];
      if (!(wz < 0)) continue;
      ratios.push(z / (-oz / wz));
    }
  }
  if (ratios.length === 0) throw new Error('no table pixels to measure the depth scale against');
  ratios.sort((a, b) => a - b);
  return ratios[ratios.length >> 1]!;
}

export interface ImageGraspLike {
  center: PixelPoint;
  angle: number;
  depth: number;
}

/**
 * The object-frame grasp an image grasp stands for: centre deprojected at depth / depthScale, closing axis parallel
 * to the table with the image angle, approaching straight down onto the table, jaws fully open — the inverse of how
 * the dataset projects its table-parallel grasps (so the label function judges the grasp the network was taught).
 */
export function imageGraspInObject(g: ImageGraspLike, scene: Pick<TrialScene, 'camera' | 'objectToWorld'>, gripper: ParallelJawGripper, depthScale = 1): ParallelJawGrasp {
  if (!(depthScale > 0)) throw new Error(`depth scale must be positive, got ${depthScale}`);
  const cameraToWorld = scene.camera.pose;
  const upCamera = mat3MulVec(mat3Transpose(cameraToWorld.rotation), [0, 0, 1]);
  const lifted = imageGraspToPlaneParallel(g.center, g.angle, g.depth / depthScale, scene.camera.intrinsics, upCamera);
  const worldToObject = scene.objectToWorld.inverse();
  const center = worldToObject.applyToPoint(cameraToWorld.applyToPoint(lifted.center));
  const axis = worldToObject.applyToDirection(cameraToWorld.applyToDirection(lifted.axis));
  const down: Vec3 = worldToObject.applyToDirection([0, 0, -1]);
  return { center, axis, width: gripper.maxWidth, approachAngle: approachAngleToward(axis, down) };
}
