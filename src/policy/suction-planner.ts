// The suction side of plan() (Dex-Net 3.0): the image suction sampler's seeds on a smoothed surface, scores on the
// dataset's approach-aligned crops, the footprint check, the target pixel as the search's features, and the
// fully-convolutional suction map.
import { UserInputError } from '../core/errors.js';
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import type { ImageSuctionGrasp } from '../grasp/image-suction-grasp.js';
import { sampleImageSuctionGrasps, type ImageSuctionSamplerOptions } from '../grasp/image-suction-sampler.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { centerInMask } from './cross-entropy.js';
import { suctionFullyConvolutionalPlan, type SuctionFcOptions } from './suction-fully-convolutional.js';
import type { GripperPlanner } from './gripper-planner.js';
import type { SuctionPlausibility } from './plan-types.js';
import { suctionPlausibilityCheck, type SuctionPlausibilityOptions } from './suction-plausibility.js';
import {
  cupRadiusPx,
  plannedSuctionGrasp,
  scoreSuctionGrasps,
  separateSuctionGrasps,
  suctionFeatureCodec,
} from './suction-policy.js';

export interface SuctionPlannerInputs {
  /** The inpainted depth the network's crops come from, and the sensor's image before inpainting. */
  depth: DepthImage;
  observed: DepthImage | null;
  /** Targets, normals and flatness are read from this one (the depth smoothed against sensor noise). */
  surface: DepthImage;
  intrinsics: CameraIntrinsics;
  segmask: Mask | null;
  region: Mask | null;
  predictor: GqcnnPredictor;
  cropSize: number;
  sampler: Required<ImageSuctionSamplerOptions>;
  plausibility: false | SuctionPlausibilityOptions;
  /** Settings of the fully-convolutional suction policy. */
  fc?: SuctionFcOptions;
}

/** Throws a one-line UserInputError unless the model reads suction inputs (pose = depth and approach angle). */
export function requireSuctionModel(predictor: GqcnnPredictor): void {
  const arch = predictor.model.arch;
  if (arch.poseDim !== 2)
    throw new UserInputError(
      `the model (${arch.name}) takes ${arch.poseDim} pose input(s); suction planning needs a suction model ` +
        '(pose = depth and approach angle), trained on a `dexnet generate --gripper suction` dataset',
      { field: 'model' },
    );
}

export function suctionPlanner(i: SuctionPlannerInputs): GripperPlanner<ImageSuctionGrasp, SuctionPlausibility> {
  requireSuctionModel(i.predictor);
  const { depth, surface, intrinsics: k, region, cropSize, sampler } = i;
  const check =
    i.plausibility === false
      ? null
      : suctionPlausibilityCheck(
          { surface, intrinsics: k, observed: i.observed, segmask: i.segmask },
          { cupRadius: sampler.cupRadius, flatnessTolerance: sampler.flatnessTolerance, ...i.plausibility },
        );
  return {
    gripper: 'suction',
    sample: (numSamples, rng) => sampleImageSuctionGrasps(surface, region, k, rng, { ...sampler, numSamples }),
    noSeeds:
      `no suction candidates: no object pixel has a footprint flat enough within ` +
      `${Math.round((sampler.maxApproachAngle * 180) / Math.PI)}° of the optical axis ` +
      '(check the segmask, workspace and depth units)',
    score: (g) => scoreSuctionGrasps(i.predictor, depth, k, g, cropSize),
    check,
    unchecked: { plausible: false, reason: null, message: '', flatness: NaN, cupMissing: 0, cupClearance: NaN },
    cem: {
      isValid: centerInMask(depth.width, depth.height, region, Math.ceil((cropSize / 2) * Math.SQRT2)),
      codec: suctionFeatureCodec(surface, k, sampler),
    },
    robust: null,
    finalists: 0,
    separate: (s, topK) =>
      separateSuctionGrasps(s, 2 * cupRadiusPx(k, s[0]?.grasp.depth ?? 0.7, sampler.cupRadius), topK),
    fullyConvolutional: (count, accept) =>
      suctionFullyConvolutionalPlan(i.predictor, depth, surface, region, k, count, accept, {
        cropSize,
        sampler,
        ...i.fc,
      }),
    planned: (g, q) => plannedSuctionGrasp(g, q, k, sampler.cupRadius),
    explained: (g, q, plausibility) => {
      const p = plannedSuctionGrasp(g, q, k, sampler.cupRadius);
      return { center: p.center, angle: p.angle, depth: p.depth, q, plausibility, approach: p.suction!.approach };
    },
  };
}
