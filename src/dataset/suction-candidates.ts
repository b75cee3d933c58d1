// Suction datapoints as a plan meets them (single objects and heaps alike): the planner's image sampler on the surface
// a plan reads from the rendered noisy image (holes inpainted, σ-blurred where targets may lie), each candidate's crop
// angle and pose input (target depth, approach angle from the optical axis) computed by the planner's own function,
// and its target and approach read back onto the object, where the labels are computed for that very axis.
import type { Random } from '../core/random.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { Vec3 } from '../geometry/vector.js';
import {
  suctionTargetInCamera,
  type ImageSuctionGrasp,
  type SuctionNetworkInput,
} from '../grasp/image-suction-grasp.js';
import {
  sampleImageSuctionGrasps,
  suctionSamplerSettings,
  suctionSurface,
  type ImageSuctionSamplerOptions,
} from '../grasp/image-suction-sampler.js';
import type { SuctionQualityEvaluator } from '../grasp/suction/quality.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import { inpaintMissing } from '../image/filters.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import type { Camera } from '../render/depth-renderer.js';
import { cameraSuctionInObject } from '../render/suction-projection.js';
import type { FieldColumns } from './field-columns.js';

export interface PlannerSuctionCandidateOptions {
  /** Candidates wanted. */
  numSamples: number;
  /** Side of the crop's source window (px), as the plan's `cropSize`. */
  cropSize: number;
  /** The sampler's largest angle from the optical axis (rad); default the planner's (30°). */
  maxApproachAngle?: number;
  /** Failed draws tolerated; default the planner's. */
  maxRejections?: number;
  /** The depth edge the sampler's blur keeps (m); absent: 0, the blur across edges of datasets made before it. */
  edgeTolerance?: number;
}

/**
 * The image suction sampler's candidates on a rendered sensor image, drawn exactly as policy/plan.ts draws its seeds:
 * on `inpaintMissing(depth)` smoothed by `suctionSurface` over the segmask's region, with the plan's sampler settings.
 * Returns the inpainted depth too: the crops come from it, as the planner's do.
 */
export function plannerSuctionCandidates(
  sensorDepth: DepthImage,
  segmask: Mask,
  k: CameraIntrinsics,
  rng: Random,
  options: PlannerSuctionCandidateOptions,
): { depth: DepthImage; candidates: ImageSuctionGrasp[] } {
  const depth = inpaintMissing(sensorDepth);
  const own: ImageSuctionSamplerOptions = {};
  if (options.maxApproachAngle !== undefined) own.maxApproachAngle = options.maxApproachAngle;
  if (options.maxRejections !== undefined) own.maxRejections = options.maxRejections;
  own.edgeTolerance = options.edgeTolerance ?? 0;
  const sampler = suctionSamplerSettings(options.cropSize, own);
  const surface = suctionSurface(depth, segmask, k, sampler);
  return {
    depth,
    candidates: sampleImageSuctionGrasps(surface, segmask, k, rng, { ...sampler, numSamples: options.numSamples }),
  };
}

/**
 * The object-frame grasp a candidate stands for, as the evaluation reads a plan back: the deprojected target taken
 * back by the sensor's depth scale, the image-normal approach, through the camera and object poses.
 */
export function suctionCandidateOnObject(
  c: ImageSuctionGrasp,
  k: CameraIntrinsics,
  scene: { camera: Camera; objectToWorld: RigidTransform },
  depthScale: number,
): SuctionGrasp {
  return cameraSuctionInObject(suctionTargetInCamera(c, k), c.approach, scene, depthScale);
}

export interface SuctionCandidateLabels {
  robust: number;
  sealed: boolean;
  resists: boolean;
}

/**
 * The labels of a candidate's grasp under `gravity` (object frame): the nominal seal and hold, and the robust share
 * of §8's Monte-Carlo draws (the evaluation referee's metric). A blocked approach (a heap's neighbours, walls, floor)
 * gets 0 for all three: the cup never gets there.
 */
export function labelSuctionCandidate(
  evaluator: SuctionQualityEvaluator,
  grasp: SuctionGrasp,
  gravity: Vec3,
  seed: number,
  samples: number,
  blocked = false,
  mass?: number,
): SuctionCandidateLabels {
  // Absent, the mass is Dex-Net 3.0's 1 kg (the evaluator's default).
  const load = mass === undefined ? {} : { mass };
  const nominal = evaluator.quality(grasp, { gravity, ...load });
  return {
    robust: blocked ? 0 : evaluator.robustQuality(grasp, seed, { samples, ...load }, gravity),
    sealed: nominal.sealed && !blocked,
    resists: nominal.resists && !blocked,
  };
}

/**
 * Writes datapoint `d`'s hand pose — (row, col, depth, crop angle, approach angle, row − cy, col − cx), with `input`
 * from the planner's suctionNetworkInput (grasp/image-suction-grasp.ts) — and its labels.
 */
export function recordSuctionCandidate(
  cols: FieldColumns,
  d: number,
  c: ImageSuctionGrasp,
  input: SuctionNetworkInput,
  k: CameraIntrinsics,
  labels: SuctionCandidateLabels,
): void {
  const { x, y } = c.center;
  cols.fields.hand_poses.set([y, x, input.pose[0], input.cropAngle, input.pose[1], y - k.cy, x - k.cx], d * 7);
  cols.fields.robust_suction_wrench_resistance[d] = labels.robust;
  cols.fields.suction_seal[d] = labels.sealed ? 1 : 0;
  cols.fields.suction_wrench_resistance[d] = labels.resists ? 1 : 0;
}
