// Projects an object-frame suction grasp into a camera image for a Dex-Net 3.0 datapoint: the target pixel, its
// depth, the crop angle that lays the approach axis along the crop's middle column, and the approach's tilt.
import type { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import { suctionGrasp, type SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import type { PixelPoint } from '../grasp/image-grasp.js';
import { approachCropAngle } from '../grasp/image-suction-grasp.js';
import type { DepthImage } from '../image/depth-image.js';
import type { Camera } from './depth-renderer.js';
import { cameraDirection, cameraPoint, nearestPixel } from './camera-frame.js';
import { projectPoint } from '../geometry/camera-intrinsics.js';

export interface ProjectedSuctionGrasp {
  /** Target pixel (x = column, y = row, float). */
  center: PixelPoint;
  /** Depth of the target along the optical axis (m). */
  depth: number;
  /**
   * Crop angle for graspAlignedCrop: the crop's +row direction (middle column, pointing down the crop) follows the
   * approach axis as the image shows it. 0 when the approach runs along the optical axis (no image direction).
   */
  cropAngle: number;
  /** Angle between the approach and straight down onto the table (rad): gqcnn 3.0's pose input with the depth. */
  approachAngle: number;
  /** Target point and unit approach in the camera frame. */
  pointCamera: Vec3;
  approachCamera: Vec3;
  inImage: boolean;
  /** In the image, and the rendered surface at the target pixel is not more than `occlusionTolerance` in front. */
  visible: boolean;
}

export interface SuctionProjectionOptions {
  depth?: DepthImage;
  /** The target lies on the surface: only a few millimetres of rendered depth in front of it are its own (m). */
  occlusionTolerance?: number;
  /** Pixels the target must keep from the image border. */
  margin?: number;
}

/** Projects `grasp` (object frame) for an object placed by `objectToWorld` (world z = table normal) and `camera`. */
export function projectSuctionGrasp(
  grasp: SuctionGrasp,
  objectToWorld: RigidTransform,
  camera: Camera,
  options: SuctionProjectionOptions = {},
): ProjectedSuctionGrasp {
  const k = camera.intrinsics;
  const vw = objectToWorld.applyToDirection(grasp.approach);
  const p = cameraPoint(camera, objectToWorld.applyToPoint(grasp.point));
  const a = cameraDirection(camera, vw);
  const z = p[2];
  const [x, y] = projectPoint(k, p);
  const cropAngle = approachCropAngle(p, a, k);
  const vn = Math.hypot(vw[0], vw[1], vw[2]) || 1;
  const approachAngle = Math.acos(Math.max(-1, Math.min(1, -vw[2] / vn)));

  const { col, row, inImage } = nearestPixel(k, x, y, z, options.margin ?? 0);
  let visible = inImage;
  if (inImage && options.depth) {
    const rendered = options.depth.data[row * options.depth.width + col];
    visible = rendered > 0 && rendered >= z - (options.occlusionTolerance ?? 0.003);
  }
  return { center: { x, y }, depth: z, cropAngle, approachAngle, pointCamera: p, approachCamera: a, inImage, visible };
}

/**
 * The object-frame suction grasp a planned one stands for: its camera-frame target, taken back along its viewing
 * ray by the sensor's depth scale (a scaled depth scales the deprojected point), and its approach, both carried
 * through the camera and object poses — the inverse of projectSuctionGrasp.
 */
export function cameraSuctionInObject(
  point: ArrayLike<number>,
  approach: ArrayLike<number>,
  scene: { camera: Camera; objectToWorld: RigidTransform },
  depthScale = 1,
): SuctionGrasp {
  if (!(depthScale > 0)) throw new Error(`depth scale must be positive, got ${depthScale}`);
  const worldToObject = scene.objectToWorld.inverse();
  const p: Vec3 = [point[0]! / depthScale, point[1]! / depthScale, point[2]! / depthScale];
  const a: Vec3 = [approach[0]!, approach[1]!, approach[2]!];
  return suctionGrasp(
    worldToObject.applyToPoint(scene.camera.pose.applyToPoint(p)),
    worldToObject.applyToDirection(scene.camera.pose.applyToDirection(a)),
  );
}
