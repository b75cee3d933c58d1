// The datapoints of one object for a suction cup (Dex-Net 3.0's generative model, REFERENCE §8, as a plan meets it):
// stable poses → rendered noisy images → the planner's image suction candidates on each (target pixel, approach from
// the image's normal at the cup's rim) → 32×32 crops turned so the approach runs down the crop's middle column, pose
// input as the planner computes it → robust seal-and-hold labels on the mesh for that very target and approach under
// the pose's gravity. Sampling grasps on the mesh instead gave the network true normals and table-normal angles, which
// a plan never has (successful plans scored median q 0.61 with the planner's inputs against 0.87 with the dataset's).
import type { Mesh } from '../geometry/mesh.js';
import { MeshIndex } from '../geometry/bvh.js';
import { centerOfMass } from '../geometry/mesh-properties.js';
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { restingTransform, stablePoses } from '../geometry/stable-poses.js';
import { mat3MulVec, mat3Transpose, type Vec3 } from '../geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { objectMassOf } from '../grasp/object-mass.js';
import { suctionNetworkInput } from '../grasp/image-suction-grasp.js';
import { SuctionQualityEvaluator } from '../grasp/suction/quality.js';
import { graspAlignedCrop } from '../image/crop.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { framedImageSize, radiusAbout, randomPlanarPose, sampleCamera } from '../render/camera-sampler.js';
import { DepthRenderer, type Camera } from '../render/depth-renderer.js';
import { applyDepthNoise } from '../render/noise.js';
import { FieldColumns } from './field-columns.js';
import { CROP_SIZE, SUCTION_DATASET_FIELDS, SUCTION_POSITIVE_THRESHOLD } from './fields.js';
import type { DatapointOptions, ObjectDatapoints } from './object-datapoints.js';
import {
  labelSuctionCandidate,
  plannerSuctionCandidates,
  recordSuctionCandidate,
  suctionCandidateOnObject,
} from './suction-candidates.js';

/**
 * Makes every suction datapoint of one object: `graspsPerObject` planner candidates shared out evenly over its images
 * (stable poses × imagesPerPose). Deterministic in (mesh, objIndex, seed, options): poses, cameras and noise from one
 * stream, each image's sampler and each candidate's robust draws from their own seeds.
 */
export function suctionDatapoints(
  mesh: Mesh,
  objIndex: number,
  seed: number,
  options: DatapointOptions,
): ObjectDatapoints {
  const index = new MeshIndex(mesh);
  const evaluator = new SuctionQualityEvaluator(index, centerOfMass(mesh), DEFAULT_SUCTION_GRIPPER);
  const renderer = new DepthRenderer(index);
  const rng = new Random(seed);
  const poses = stablePoses(mesh, { minProbability: options.minPoseProbability });
  const stats: ObjectDatapoints['stats'] = { poses: poses.length, images: 0, grasps: 0, positives: 0 };
  const cols = new FieldColumns(SUCTION_DATASET_FIELDS);

  const settings: ViewSettings = {
    seed,
    objIndex,
    candidates: Math.max(1, Math.ceil(options.graspsPerObject / (poses.length * options.imagesPerPose))),
    cropSize: options.cropSize,
    robustSamples: options.robustSamples,
    maxOpticalAxisAngle: options.maxOpticalAxisAngle,
    surfaceEdgeTolerance: options.surfaceEdgeTolerance,
  };
  if (options.objectMass) settings.mass = objectMassOf(options.objectMass, mesh);
  // Large enough that the sampler's border margin (half the crop's diagonal) never cuts the object off.
  const imageSize = framedImageSize(radiusAbout(mesh.vertices, evaluator.centerOfMass), options.cropSize, {
    minSize: options.imageSize,
  });

  poses.forEach((pose, p) => {
    const rest = restingTransform(mesh, pose);
    const table = new RigidTransform(rest.rotation, rest.translation, 'object', 'table');
    // Gravity in the object frame for this pose (a planar move on the table turns about the table normal only).
    const up: Vec3 = mat3MulVec(mat3Transpose(rest.rotation), [0, 0, 1]);
    const gravity: Vec3 = [-up[0], -up[1], -up[2]];

    for (let k = 0; k < options.imagesPerPose; k++) {
      const objectToWorld = randomPlanarPose(rng, options.planarRange).compose(table);
      const camera = sampleCamera(rng, {
        target: objectToWorld.applyToPoint(evaluator.centerOfMass),
        worldFrame: 'world',
        width: imageSize,
        height: imageSize,
      });
      const image = renderer.render(objectToWorld, camera);
      const depthScale = options.noise ? applyDepthNoise(image.depth, rng).multiplier : 1;
      stats.images++;
      const view = { depth: image.depth, segmask: image.segmask, camera, objectToWorld, depthScale };
      const made = appendViewSuctionDatapoints(
        cols,
        view,
        evaluator,
        gravity,
        p,
        p * options.imagesPerPose + k,
        settings,
      );
      stats.grasps += made.grasps;
      stats.positives += made.positives;
    }
  });
  return { ...cols.trimmed(), stats };
}

/** One image of the object as a plan gets it, and what places it. */
export interface SuctionView {
  /** The sensor's image (noise applied; 0 = missing) and the object's pixels. */
  depth: DepthImage;
  segmask: Mask;
  camera: Camera;
  objectToWorld: RigidTransform;
  /** The sensor's depth scale error: targets are read back onto the object through it. */
  depthScale: number;
}

/** What every image of one object shares. */
export interface ViewSettings {
  /** The object's seed: image i's sampler and label draws come from seeds derived from it and i. */
  seed: number;
  objIndex: number;
  /** Planner candidates drawn on the image. */
  candidates: number;
  cropSize: number;
  robustSamples: number;
  maxOpticalAxisAngle?: number;
  surfaceEdgeTolerance?: number;
  /** The object's mass (kg) the labels load; absent: Dex-Net 3.0's 1 kg. */
  mass?: number;
}

/**
 * Appends the datapoints of one image to `cols`: the planner's candidates on it (suction-candidates.ts), each with its
 * crop from the inpainted image and the object's mask cropped alike, its hand pose, and labels on the mesh under
 * `gravity` (object frame). Deterministic in (view, settings, imageIndex).
 */
export function appendViewSuctionDatapoints(
  cols: FieldColumns,
  view: SuctionView,
  evaluator: SuctionQualityEvaluator,
  gravity: Vec3,
  poseIndex: number,
  imageIndex: number,
  settings: ViewSettings,
): { grasps: number; positives: number } {
  const k = view.camera.intrinsics;
  const { depth, candidates } = plannerSuctionCandidates(
    view.depth,
    view.segmask,
    k,
    new Random(deriveSeed(settings.seed, 2_000_000 + imageIndex)),
    {
      numSamples: settings.candidates,
      cropSize: settings.cropSize,
      maxApproachAngle: settings.maxOpticalAxisAngle,
      edgeTolerance: settings.surfaceEdgeTolerance,
    },
  );
  let positives = 0;
  if (candidates.length === 0) return { grasps: 0, positives };
  const maskDepth = {
    width: view.segmask.width,
    height: view.segmask.height,
    data: Float32Array.from(view.segmask.data),
  };
  const cropOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const maskOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const cropOptions = { cropSize: settings.cropSize, outSize: CROP_SIZE };
  const q = view.camera.pose.quaternion,
    t = view.camera.pose.translation;
  const labelSeeds = deriveSeed(settings.seed, 3_000_000 + imageIndex);
  for (const [m, c] of candidates.entries()) {
    // Read back by the sensor's true scale error: the label is that of the grasp the plan would execute.
    const grasp = suctionCandidateOnObject(c, k, view, view.depthScale);
    const labels = labelSuctionCandidate(
      evaluator,
      grasp,
      gravity,
      deriveSeed(labelSeeds, m),
      settings.robustSamples,
      false,
      settings.mass,
    );
    const input = suctionNetworkInput(c, k);
    const d = cols.push();
    graspAlignedCrop(depth, c.center, input.cropAngle, cropOut, cropOptions);
    cols.fields.depth_ims_tf_table.set(cropOut, d * CROP_SIZE * CROP_SIZE);
    graspAlignedCrop(maskDepth, c.center, input.cropAngle, maskOut, cropOptions);
    const masks = cols.fields.obj_masks;
    for (let i = 0; i < maskOut.length; i++) masks[d * maskOut.length + i] = maskOut[i] >= 0.5 ? 1 : 0;
    recordSuctionCandidate(cols, d, c, input, k, labels);
    cols.fields.obj_labels[d] = settings.objIndex;
    cols.fields.camera_poses.set([t[0], t[1], t[2], q[0], q[1], q[2], q[3]], d * 7);
    cols.fields.camera_intrs.set([k.fx, k.fy, k.cx, k.cy], d * 4);
    cols.poseIndex[d] = poseIndex;
    cols.imageIndex[d] = imageIndex;
    if (labels.robust > SUCTION_POSITIVE_THRESHOLD) positives++;
  }
  return { grasps: candidates.length, positives };
}
