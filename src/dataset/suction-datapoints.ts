// The datapoints of one object for a suction cup (Dex-Net 3.0's generative model, REFERENCE §8): stable poses →
// suction grasps on the surface, approaching from above → robust seal-and-hold labels under that pose's gravity →
// rendered noisy images → 32×32 crops turned so the approach axis runs down the crop's middle column.
import { DEFAULT_MAX_APPROACH_ANGLE } from './fields.js';
import type { Mesh } from '../geometry/mesh.js';
import { MeshIndex } from '../geometry/bvh.js';
import { centerOfMass } from '../geometry/mesh-properties.js';
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import { RigidTransform } from '../geometry/rigid-transform.js';
import { restingTransform, stablePoses } from '../geometry/stable-poses.js';
import { mat3MulVec, mat3Transpose, type Vec3 } from '../geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER } from '../grasp/gripper.js';
import { SuctionQualityEvaluator } from '../grasp/suction/quality.js';
import { sampleSuctionGrasps } from '../grasp/suction/suction-sampler.js';
import { graspAlignedCrop } from '../image/crop.js';
import { randomPlanarPose, sampleCamera } from '../render/camera-sampler.js';
import { DepthRenderer } from '../render/depth-renderer.js';
import { applyDepthNoise } from '../render/noise.js';
import { projectSuctionGrasp } from '../render/suction-projection.js';
import { FieldColumns } from './field-columns.js';
import { CROP_SIZE, SUCTION_DATASET_FIELDS, SUCTION_POSITIVE_THRESHOLD } from './fields.js';
import type { DatapointOptions, ObjectDatapoints } from './object-datapoints.js';

/** Makes every suction datapoint of one object. Deterministic in (mesh, objIndex, seed, options). */
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
  if (poses.length === 0) {
    const skipped = `no stable pose with probability ≥ ${options.minPoseProbability}`;
    return { ...cols.trimmed(), stats: { ...stats, skipped } };
  }

  const perPose = Math.max(1, Math.ceil(options.graspsPerObject / poses.length));
  const cropOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const maskOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const cropOptions = { cropSize: options.cropSize, outSize: CROP_SIZE };
  let maskFloat = new Float32Array(0);

  poses.forEach((pose, p) => {
    const rest = restingTransform(mesh, pose);
    const table = new RigidTransform(rest.rotation, rest.translation, 'object', 'table');
    // Table up and gravity in the object frame for this pose.
    const toObject = mat3Transpose(rest.rotation);
    const up: Vec3 = mat3MulVec(toObject, [0, 0, 1]);
    const gravity: Vec3 = [-up[0], -up[1], -up[2]];
    const grasps = sampleSuctionGrasps(index, new Random(deriveSeed(seed, 1_000_000 + p)), {
      targetGrasps: perPose,
      tableNormal: up,
      maxTableAngle: options.maxApproachAngle ?? DEFAULT_MAX_APPROACH_ANGLE,
    });
    const draws = { samples: options.robustSamples };
    const labels = grasps.map((g, i) => {
      const nominal = evaluator.quality(g, { gravity });
      return {
        grasp: g,
        sealed: nominal.sealed,
        resists: nominal.resists,
        robust: evaluator.robustQuality(g, deriveSeed(seed, p * 65_536 + i), draws, gravity),
      };
    });
    stats.grasps += labels.length;
    if (labels.length === 0) return;

    const range = options.planarRange;
    for (let k = 0; k < options.imagesPerPose; k++) {
      const imageIndex = p * options.imagesPerPose + k;
      const planar = randomPlanarPose(rng, range);
      const objectToWorld = planar.compose(table);
      const camera = sampleCamera(rng, {
        target: objectToWorld.applyToPoint(evaluator.centerOfMass),
        worldFrame: 'world',
        width: options.imageSize,
        height: options.imageSize,
      });
      const image = renderer.render(objectToWorld, camera);
      const projections = labels.map((l) =>
        projectSuctionGrasp(l.grasp, objectToWorld, camera, { depth: image.depth }),
      );
      const multiplier = options.noise ? applyDepthNoise(image.depth, rng).multiplier : 1;
      stats.images++;
      const pixels = image.segmask.data.length;
      const maskData = maskFloat.length === pixels ? maskFloat : (maskFloat = new Float32Array(pixels));
      for (let i = 0; i < maskData.length; i++) maskData[i] = image.segmask.data[i];
      const maskDepth = { width: image.segmask.width, height: image.segmask.height, data: maskData };
      const k4 = camera.intrinsics;
      const q = camera.pose.quaternion,
        t = camera.pose.translation;

      for (const [j, l] of labels.entries()) {
        const proj = projections[j];
        if (!proj.visible) continue;
        const d = cols.push();
        const { center, cropAngle } = proj;
        graspAlignedCrop(image.depth, center, cropAngle, cropOut, cropOptions);
        cols.fields.depth_ims_tf_table.set(cropOut, d * CROP_SIZE * CROP_SIZE);
        graspAlignedCrop(maskDepth, center, cropAngle, maskOut, cropOptions);
        const masks = cols.fields.obj_masks;
        for (let i = 0; i < maskOut.length; i++) masks[d * maskOut.length + i] = maskOut[i] >= 0.5 ? 1 : 0;
        // The sensor's scale error applies to the recorded depth too, as for the jaws.
        const depth = proj.depth * multiplier;
        cols.fields.hand_poses.set(
          [center.y, center.x, depth, cropAngle, proj.approachAngle, center.y - k4.cy, center.x - k4.cx],
          d * 7,
        );
        cols.fields.robust_suction_wrench_resistance[d] = l.robust;
        cols.fields.suction_seal[d] = l.sealed ? 1 : 0;
        cols.fields.suction_wrench_resistance[d] = l.resists ? 1 : 0;
        cols.fields.obj_labels[d] = objIndex;
        cols.fields.camera_poses.set([t[0], t[1], t[2], q[0], q[1], q[2], q[3]], d * 7);
        cols.fields.camera_intrs.set([k4.fx, k4.fy, k4.cx, k4.cy], d * 4);
        cols.poseIndex[d] = p;
        cols.imageIndex[d] = imageIndex;
        if (l.robust > SUCTION_POSITIVE_THRESHOLD) stats.positives++;
      }
    }
  });
  return { ...cols.trimmed(), stats };
}

export { DEFAULT_MAX_APPROACH_ANGLE };
