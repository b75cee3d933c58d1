// One evaluation scene: an object resting in a stable pose (drawn by probability) at a random planar pose on the
// table, seen by a Dex-Net camera, rendered and (optionally) corrupted by the dataset's sensor noise.
import type { Mesh } from '../geometry/mesh.js';
import type { Random } from '../core/random.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import { stablePoses, type StablePose } from '../geometry/stable-poses.js';
import { GraspableObject } from '../grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER, type ParallelJawGripper } from '../grasp/gripper.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import {
  framedImageSize,
  radiusAbout,
  randomPlanarPose,
  sampleCamera,
  type CameraSamplerOptions,
  type SampledCamera,
} from '../render/camera-sampler.js';
import { cameraDirection } from '../render/camera-frame.js';
import { DepthRenderer } from '../render/depth-renderer.js';
import { applyDepthNoise } from '../render/noise.js';

/** An object prepared once for many trials: its analytic model, renderer and stable poses. */
export interface TrialObject {
  id: string;
  object: GraspableObject;
  renderer: DepthRenderer;
  /** Stable poses with probability ≥ the dataset's 0.01 (or the likeliest, for a ball), most likely first. */
  poses: StablePose[];
  /** Largest distance of the mesh from its centre of mass (m): sizes the image so every crop fits. */
  radius: number;
  /** Procedural or real, when known: evaluations report each apart. */
  source?: 'procedural' | 'real';
}

export function prepareTrialObject(
  id: string,
  mesh: Mesh,
  gripper: ParallelJawGripper = DEFAULT_GRIPPER,
  minPoseProbability = 0.01,
): TrialObject {
  return assembleTrialObject(id, mesh, gripper, stablePoses(mesh, { minProbability: minPoseProbability }));
}

/** A trial object whose stable poses are known (e.g. sent to a worker thread with the mesh). */
export function assembleTrialObject(
  id: string,
  mesh: Mesh,
  gripper: ParallelJawGripper,
  poses: StablePose[],
): TrialObject {
  const object = new GraspableObject(mesh, gripper);
  return {
    id,
    object,
    renderer: new DepthRenderer(object.index),
    poses,
    radius: radiusAbout(mesh.vertices, object.centerOfMass),
  };
}

export interface TrialSceneOptions {
  /** Image size (default 640×480, grown to hold every 96-px crop of a large object, see framedImageSize). */
  width?: number;
  height?: number;
  /** Sensor noise of docs/dex-net-facts.md §1 (default true). */
  noise?: boolean;
  /** Object position uniform in ±planarRange along x and y (m, default 0.1 as in the dataset). */
  planarRange?: number;
  camera?: CameraSamplerOptions;
}

export interface TrialScene {
  poseIndex: number;
  tableFromObject: RigidTransform;
  objectToWorld: RigidTransform;
  camera: SampledCamera;
  /** What the sensor reports (noisy unless disabled). */
  depth: DepthImage;
  /**
   * The scene's true depth, before the sensor's noise: what is visible is geometry. (The noise scales every depth by
   * up to a few per cent, ±2 cm at 0.6 m, so a 3 mm occlusion test on the noisy image hid every top in half the scenes.)
   */
  trueDepth: DepthImage;
  segmask: Mask;
}

/** Draws a stable pose (in proportion to its probability), a planar pose and a camera, and renders the scene. */
export function sampleTrialScene(target: TrialObject, rng: Random, options: TrialSceneOptions = {}): TrialScene {
  const { poses, object, renderer } = target;
  let total = 0;
  for (const p of poses) total += p.probability;
  let u = rng.next() * total,
    poseIndex = 0;
  while (poseIndex < poses.length - 1 && u >= poses[poseIndex]!.probability) u -= poses[poseIndex++]!.probability;
  const tableFromObject = object.tableFromObject(poses[poseIndex]!);
  const range = options.planarRange ?? 0.1;
  const planar = randomPlanarPose(rng, range);
  const objectToWorld = planar.compose(tableFromObject);
  // A large object gets a larger frame, so the planner can reach every part of it with a whole crop.
  const framed = framedImageSize(target.radius, 96, { camera: options.camera });
  const camera = sampleCamera(rng, {
    width: options.width ?? Math.max(640, framed),
    height: options.height ?? Math.max(480, framed),
    ...options.camera,
    target: objectToWorld.applyToPoint(object.centerOfMass),
    worldFrame: 'world',
  });
  const image = renderer.render(objectToWorld, camera);
  const trueDepth = image.depth;
  let depth = trueDepth;
  if (options.noise ?? true) {
    depth = { ...trueDepth, data: Float32Array.from(trueDepth.data) };
    applyDepthNoise(depth, rng);
  }
  return { poseIndex, tableFromObject, objectToWorld, camera, depth, trueDepth, segmask: image.segmask };
}

/** The direction straight down onto the table in the camera frame: how the trial's robot approaches its grasps. */
export function tableNormalDown(scene: Pick<TrialScene, 'camera'>): Vec3 {
  return cameraDirection(scene.camera, [0, 0, -1]);
}
