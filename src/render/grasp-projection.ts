// Between 3-D grasps and image grasps: project an object-frame parallel-jaw grasp into a camera image (the
// dataset's hand poses), and lift an image grasp (centre, angle, depth) back to a 3-D pose (the planner's output).
import { imagePlaneAxis, inPlaneScale, projectPoint, type CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { mat3MulVec, mat3Transpose, type Mat3, type Vec3 } from '../geometry/vector.js';
import type { ParallelJawGripper } from '../grasp/gripper.js';
import { approachAngleToward, type ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import { normalizeGraspAngle, type ImageGrasp, type PixelPoint } from '../grasp/image-grasp.js';
import type { DepthImage } from '../image/depth-image.js';
import type { Camera } from './depth-renderer.js';
import { cameraDirection, cameraPoint, nearestPixel } from './camera-frame.js';

export interface ProjectedGrasp extends ImageGrasp {
  /** Jaw opening (m), from the 3-D grasp. */
  width: number;
  /** Grasp centre and unit axis in the camera frame. */
  centerCamera: Vec3;
  axisCamera: Vec3;
  /** Centre in front of the camera and its nearest pixel inside the image (less `margin`). */
  inImage: boolean;
  /** In the image and not occluded: the rendered depth at the centre pixel is missing or ≥ depth − tolerance. */
  visible: boolean;
  /** Rendered depth at the centre pixel (NaN when no depth image was given or the centre is outside). */
  renderedDepth: number;
}

export interface ProjectionOptions {
  /** Rendered depth of the same scene, for the occlusion test; without it only `inImage` decides `visible`. */
  depth?: DepthImage;
  /**
   * How far (m) the rendered surface may lie in front of the grasp centre before the centre counts as occluded.
   * A table-parallel grasp's centre sits inside the object, below its top surface, so this must allow for the
   * object's own height above the centre; 0.05 m covers Dex-Net's 4–10 cm objects and gqcnn's depth offsets (≤ 4 cm).
   */
  occlusionTolerance?: number;
  /** Pixels the centre must keep from the image border (e.g. half a crop's diagonal). */
  margin?: number;
}

/**
 * Projects a 3-D grasp (object frame) seen by `camera` with the object placed by `objectToWorld`. The angle is the
 * image direction of the axis at the centre (the projection's derivative), so it is exact for any axis tilt; the
 * width in pixels is gqcnn's: the opening measured in the image plane at the centre's depth.
 */
export function projectGrasp(
  grasp: ParallelJawGrasp,
  objectToWorld: RigidTransform,
  camera: Camera,
  options: ProjectionOptions = {},
): ProjectedGrasp {
  const k = camera.intrinsics;
  // object → camera = (camera → world)⁻¹ ∘ (object → world).
  const p = cameraPoint(camera, objectToWorld.applyToPoint(grasp.center));
  const aw = objectToWorld.applyToDirection(grasp.axis);
  const an = Math.hypot(aw[0], aw[1], aw[2]) || 1;
  const a = cameraDirection(camera, [aw[0] / an, aw[1] / an, aw[2] / an]);
  const z = p[2];

  const [x, y] = projectPoint(k, p);
  // d(pixel)/dt along p + t·a at t = 0 (scaled by z, which does not change the direction).
  const dx = k.fx * (a[0] - (a[2] * p[0]) / z) + k.skew * (a[1] - (a[2] * p[1]) / z);
  const dy = k.fy * (a[1] - (a[2] * p[1]) / z);
  const angle = dx === 0 && dy === 0 ? 0 : normalizeGraspAngle(Math.atan2(dy, dx));
  const widthPx = z > 0 ? (grasp.width * inPlaneScale(k, angle)) / z : NaN;

  const { col, row, inImage } = nearestPixel(k, x, y, z, options.margin ?? 0);
  let renderedDepth = NaN;
  let visible = inImage;
  if (inImage && options.depth) {
    const d = options.depth;
    if (d.width !== k.width || d.height !== k.height)
      throw new Error(`depth image is ${d.width}×${d.height}, camera is ${k.width}×${k.height}`);
    renderedDepth = d.data[row * d.width + col];
    const tol = options.occlusionTolerance ?? 0.05;
    visible = renderedDepth === 0 || renderedDepth >= z - tol;
  }
  return {
    center: { x, y },
    angle,
    depth: z,
    widthPx,
    width: grasp.width,
    centerCamera: p,
    axisCamera: a,
    inImage,
    visible,
    renderedDepth,
  };
}

export interface CameraGrasp {
  /** Grasp centre, camera frame (m). */
  center: Vec3;
  /** Unit closing axis, camera frame, parallel to the image plane. */
  axis: Vec3;
  /** Gripper → camera: z = approach = camera +z, y = closing axis, x = y × z, origin at the centre. */
  pose: RigidTransform;
}

/**
 * Lifts an image grasp to 3-D in the camera frame: the centre deprojected at `depth`, the axis in the plane z = depth
 * whose image direction is `angle`, and the top-down gripper pose gqcnn reports.
 */
export function imageGraspToCamera(
  center: PixelPoint,
  angle: number,
  depth: number,
  intrinsics: CameraIntrinsics,
): CameraGrasp {
  const k = intrinsics;
  const py = ((center.y - k.cy) * depth) / k.fy;
  const px = ((center.x - k.cx) * depth - k.skew * py) / k.fx;
  const c: Vec3 = [px, py, depth];
  const axis = imagePlaneAxis(k, angle);
  return { center: c, axis, pose: gripperPoseInCamera(c, axis, k.frame) };
}

/** Gripper pose approaching along camera +z with closing axis `axis` (perpendicular to z) at `center`. */
export function gripperPoseInCamera(center: Vec3, axis: Vec3, cameraFrame = 'camera'): RigidTransform {
  // Keep only the in-plane part so the frame stays orthonormal.
  const n = Math.hypot(axis[0], axis[1]);
  if (n < 1e-12) throw new Error('grasp axis is parallel to the approach direction');
  const y: Vec3 = [axis[0] / n, axis[1] / n, 0];
  const x: Vec3 = [y[1], -y[0], 0]; // y × (0, 0, 1)
  const r: Mat3 = [x[0], y[0], 0, x[1], y[1], 0, 0, 0, 1];
  return new RigidTransform(r, center, 'gripper', cameraFrame);
}

/**
 * The inverse of {@link projectGrasp} for grasps whose axis is parallel to a plane — the dataset's table-parallel
 * grasps: the centre deprojected at `depth`, and the axis the unit direction perpendicular to `planeNormal` (camera
 * frame) whose image at the centre has direction `angle`. Directions with that image direction span the plane
 * through the viewing ray and the image-plane axis, so the axis is that plane's intersection with the given one.
 */
export function imageGraspToPlaneParallel(
  center: PixelPoint,
  angle: number,
  depth: number,
  intrinsics: CameraIntrinsics,
  planeNormal: Vec3,
): { center: Vec3; axis: Vec3 } {
  const c = imageGraspToCamera(center, angle, depth, intrinsics).center;
  const u = imagePlaneAxis(intrinsics, angle);
  // m = c × u is normal to the plane of directions that image along ±angle; the axis is m × n.
  const m: Vec3 = [c[1] * u[2] - c[2] * u[1], c[2] * u[0] - c[0] * u[2], c[0] * u[1] - c[1] * u[0]];
  const n = planeNormal;
  let a: Vec3 = [m[1] * n[2] - m[2] * n[1], m[2] * n[0] - m[0] * n[2], m[0] * n[1] - m[1] * n[0]];
  const len = Math.hypot(a[0], a[1], a[2]);
  if (!(len > 1e-9 * Math.hypot(...m) * Math.hypot(...n)))
    throw new Error('the camera looks along the plane: no direction parallel to it has this image angle');
  a = [a[0] / len, a[1] / len, a[2] / len];
  // Point the axis along +angle in the image rather than −angle (the derivative of the projection, as projectGrasp).
  const k = intrinsics,
    z = c[2];
  const dx = k.fx * (a[0] - (a[2] * c[0]) / z) + k.skew * (a[1] - (a[2] * c[1]) / z);
  const dy = k.fy * (a[1] - (a[2] * c[1]) / z);
  if (dx * Math.cos(angle) + dy * Math.sin(angle) < 0) a = [-a[0], -a[1], -a[2]];
  return { center: c, axis: a };
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
export function imageGraspInObject(
  g: ImageGraspLike,
  scene: { camera: Camera; objectToWorld: RigidTransform },
  gripper: ParallelJawGripper,
  depthScale = 1,
): ParallelJawGrasp {
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
