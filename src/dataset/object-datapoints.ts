// The datapoints of one object, switched on the gripper: for the jaws, Dex-Net 2.0's generative model (docs/dex-net-facts.md
// §1–3): stable poses → grasps parallel to the table → analytic labels → rendered noisy images → grasp-aligned
// 32×32 crops; for suction, Dex-Net 3.0's (suction-datapoints.ts).
import type { Mesh } from '../geometry/mesh.js';
import { Random } from '../core/random.js';
import { stablePoses } from '../geometry/stable-poses.js';
import { GraspableObject, type LabelledGrasp } from '../grasp/parallel-jaw/grasp-labels.js';
import { deriveSeed } from '../core/seed.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';
import type { ObjectMass } from '../grasp/object-mass.js';
import { graspAlignedCrop } from '../image/crop.js';
import { framedImageSize, radiusAbout, randomPlanarPose, sampleCamera } from '../render/camera-sampler.js';
import { DepthRenderer } from '../render/depth-renderer.js';
import { imageGraspInObject, projectGrasp } from '../render/grasp-projection.js';
import { type PixelPoint } from '../grasp/image-grasp.js';
import { sampleImageAntipodalGrasps } from '../grasp/image-antipodal-sampler.js';
import { applyDepthNoise } from '../render/noise.js';
import { CROP_SIZE, DEFAULT_CROP_WINDOW, ROBUST_EPSILON_THRESHOLD, type GripperKind } from './fields.js';
import { suctionDatapoints } from './suction-datapoints.js';
import { FieldColumns } from './field-columns.js';
import type { FieldArray } from './tensor-dataset.js';

export interface DatapointOptions {
  /** Grasps sampled per object, shared out evenly over its stable poses (Dex-Net: up to 100). */
  graspsPerObject: number;
  /** Rendered images per stable pose (Dex-Net 2.0: 5). */
  imagesPerPose: number;
  /** Stable poses less likely than this are not used (Dex-Net: 0.01). */
  minPoseProbability: number;
  /** Monte-Carlo draws per robust ε. */
  robustSamples: number;
  /** Apply the sensor noise model to every rendered image. */
  noise: boolean;
  /** Object position on the table is uniform in ±planarRange along x and y (m). */
  planarRange: number;
  /** Side of the source window of a crop (px) before it is resized to 32×32. */
  cropSize: number;
  /**
   * Smallest side of the rendered image (px). The camera looks at the object, so a window around the principal
   * point holds every pixel a crop can touch; Dex-Net's 600×600 frame only adds table. 256 px hold any crop of an
   * object within 6 cm of its centre of mass (most ≤ 10 cm objects); larger objects get a larger window
   * (framedImageSize), so no crop ever reaches past the image border.
   */
  imageSize: number;
  /**
   * Largest tilt of a grasp axis out of the table plane (rad). Dex-Net keeps axes within 5°, but an image grasp
   * (centre, angle, depth) cannot show the tilt, and levelling a 5°-tilted grasp flips its label often enough to be
   * label noise the network cannot learn; 0 samples exactly table-parallel axes, the grasps a planner returns.
   */
  maxTableAngle: number;
  /**
   * Planner grasps per image: candidates of the image antipodal sampler (what the policies score) drawn on the noisy
   * image, read back onto the object as the evaluation reads a plan (axis parallel to the table, approach straight
   * down, depth corrected by the sensor's scale) and labelled like the rest. Default 0: only the 3-D sampler's grasps.
   * These teach the network the near-misses a planner meets, which the 3-D antipodal grasps never show it.
   */
  plannerGrasps: number;
  /** Which gripper's datapoints to make; absent means the parallel jaws (so jaw plans read as before). */
  gripper?: GripperKind;
  /**
   * Suction only: the image sampler's largest angle between a candidate's approach and the optical axis (rad; default
   * the planner's, 30°). Plan with the same limit. (Datasets before the planner's candidates had `maxApproachAngle`,
   * from the table normal; the new name keeps their runs from being resumed with these datapoints.)
   */
  maxOpticalAxisAngle?: number;
  /**
   * Suction only: the depth edge the sampler's blur keeps (m; image-suction-sampler.ts). Absent (runs made before it):
   * 0, the blur across edges; `generate` names it, by default the planner's 15 mm. Plan with the same.
   */
  surfaceEdgeTolerance?: number;
  /**
   * Suction only: how heavy the labels' object is. Absent (runs made before it existed): Dex-Net 3.0's 1 kg for every
   * object; `generate` now names it, by default the object's volume at the MuJoCo referee's density.
   */
  objectMass?: ObjectMass;
}

export const DEFAULT_DATAPOINT_OPTIONS: DatapointOptions = {
  graspsPerObject: 100,
  imagesPerPose: 5,
  minPoseProbability: 0.01,
  robustSamples: 25,
  noise: true,
  planarRange: 0.1,
  cropSize: DEFAULT_CROP_WINDOW,
  imageSize: 256,
  maxTableAngle: 0,
  plannerGrasps: 0,
};

export interface ObjectDatapoints {
  count: number;
  fields: Record<string, FieldArray>;
  /** Index of the stable pose (within this object) and of the image (within this object) per datapoint. */
  poseIndex: Uint32Array;
  imageIndex: Uint32Array;
  /** grasps: the 3-D sampler's; plannerGrasps: image candidates labelled (only with options.plannerGrasps). */
  stats: { poses: number; images: number; grasps: number; plannerGrasps?: number; positives: number; skipped?: string };
}

/** Makes every datapoint of one object for the options' gripper. Deterministic in (mesh, objIndex, seed, options). */
export function objectDatapoints(
  mesh: Mesh,
  objIndex: number,
  seed: number,
  options: DatapointOptions,
): ObjectDatapoints {
  return options.gripper === 'suction'
    ? suctionDatapoints(mesh, objIndex, seed, options)
    : jawDatapoints(mesh, objIndex, seed, options);
}

function jawDatapoints(mesh: Mesh, objIndex: number, seed: number, options: DatapointOptions): ObjectDatapoints {
  const object = new GraspableObject(mesh, DEFAULT_GRIPPER);
  const renderer = new DepthRenderer(object.index);
  const rng = new Random(seed);
  const poses = stablePoses(mesh, { minProbability: options.minPoseProbability });
  const stats: ObjectDatapoints['stats'] = { poses: poses.length, images: 0, grasps: 0, positives: 0 };
  const cols = new FieldColumns();

  const perPose = Math.max(1, Math.ceil(options.graspsPerObject / poses.length));
  const imageSize = framedImageSize(radiusAbout(mesh.vertices, object.centerOfMass), options.cropSize, {
    minSize: options.imageSize,
  });
  const cropOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const maskOut = new Float32Array(CROP_SIZE * CROP_SIZE);
  const cropOptions = { cropSize: options.cropSize, outSize: CROP_SIZE };
  let maskFloat = new Float32Array(0);

  poses.forEach((pose, p) => {
    const table = object.tableFromObject(pose);
    const grasps = object.sampleGrasps(
      deriveSeed(seed, 1_000_000 + p),
      { targetGrasps: perPose, maxTableAngle: options.maxTableAngle },
      pose,
    );
    const labels: LabelledGrasp[] = grasps.map((g, i) =>
      object.label(g, {
        seed: deriveSeed(seed, p * 65_536 + i),
        noise: { samples: options.robustSamples },
        tableFromObject: table,
      }),
    );
    stats.grasps += labels.length;
    if (labels.length === 0) return;

    for (let k = 0; k < options.imagesPerPose; k++) {
      const imageIndex = p * options.imagesPerPose + k;
      const planar = randomPlanarPose(rng, options.planarRange);
      const objectToWorld = planar.compose(table);
      const camera = sampleCamera(rng, {
        target: objectToWorld.applyToPoint(object.centerOfMass),
        worldFrame: 'world',
        width: imageSize,
        height: imageSize,
      });
      const image = renderer.render(objectToWorld, camera);
      // Visibility is judged on the clean render; the noise then stands for what the sensor reports.
      const projections = labels.map((l) => projectGrasp(l.grasp, objectToWorld, camera, { depth: image.depth }));
      // A multiplicative error scales every depth the sensor reports, the grasp's included: the recorded
      // grasp depth is the one a planner would read off this image, so image and pose stay consistent.
      const multiplier = options.noise ? applyDepthNoise(image.depth, rng).multiplier : 1;
      stats.images++;
      // The mask is cropped with the same warp as the depth; a float copy lets one sampler serve both.
      const maskData =
        maskFloat.length === image.segmask.data.length
          ? maskFloat
          : (maskFloat = new Float32Array(image.segmask.data.length));
      for (let i = 0; i < maskData.length; i++) maskData[i] = image.segmask.data[i];
      const maskDepth = { width: image.segmask.width, height: image.segmask.height, data: maskData };
      const k4 = camera.intrinsics;
      const q = camera.pose.quaternion,
        t = camera.pose.translation;

      // One datapoint: the image grasp as the image shows it (depth as the sensor reports it) and its 3-D label.
      const add = (center: PixelPoint, angle: number, depth: number, widthPx: number, l: LabelledGrasp) => {
        const d = cols.push();
        graspAlignedCrop(image.depth, center, angle, cropOut, cropOptions);
        cols.fields.depth_ims_tf_table.set(cropOut, d * CROP_SIZE * CROP_SIZE);
        graspAlignedCrop(maskDepth, center, angle, maskOut, cropOptions);
        const masks = cols.fields.obj_masks;
        for (let i = 0; i < maskOut.length; i++) masks[d * maskOut.length + i] = maskOut[i] >= 0.5 ? 1 : 0;
        cols.fields.hand_poses.set(
          [center.y, center.x, depth, angle, center.y - k4.cy, center.x - k4.cx, widthPx],
          d * 7,
        );
        // Dex-Net multiplies the metrics by the collision check: a grasp the gripper cannot reach is not robust.
        const free = l.collisionFree ? 1 : 0;
        const robust = l.robustFerrariCanny * free;
        cols.fields.robust_ferrari_canny[d] = robust;
        cols.fields.ferrari_canny[d] = l.ferrariCanny * free;
        cols.fields.force_closure[d] = l.forceClosure ? 1 : 0;
        cols.fields.collision_free[d] = free;
        cols.fields.obj_labels[d] = objIndex;
        cols.fields.camera_poses.set([t[0], t[1], t[2], q[0], q[1], q[2], q[3]], d * 7);
        cols.fields.camera_intrs.set([k4.fx, k4.fy, k4.cx, k4.cy], d * 4);
        cols.poseIndex[d] = p;
        cols.imageIndex[d] = imageIndex;
        if (robust > ROBUST_EPSILON_THRESHOLD) stats.positives++;
      };
      for (const [j, l] of labels.entries()) {
        const proj = projections[j];
        if (proj.visible) add(proj.center, proj.angle, proj.depth * multiplier, proj.widthPx, l);
      }
      if (options.plannerGrasps > 0) {
        // Own seed stream, so adding planner grasps leaves the rest of the object's datapoints as they were.
        const candidates = sampleImageAntipodalGrasps(
          image.depth,
          image.segmask,
          k4,
          object.gripper.maxWidth,
          new Random(deriveSeed(seed, 2_000_000 + imageIndex)),
          {
            numSamples: options.plannerGrasps,
            cropSize: options.cropSize,
          },
        );
        for (const [m, c] of candidates.entries()) {
          const grasp = imageGraspInObject(c, { camera, objectToWorld }, object.gripper, multiplier);
          const l = object.label(grasp, {
            seed: deriveSeed(seed, 3_000_000 + imageIndex * 4096 + m),
            noise: { samples: options.robustSamples },
            tableFromObject: table,
            skipRobustWhenColliding: true,
          });
          add(c.center, c.angle, c.depth, c.widthPx, l);
        }
        stats.plannerGrasps = (stats.plannerGrasps ?? 0) + candidates.length;
      }
    }
  });
  return { ...cols.trimmed(), stats };
}
