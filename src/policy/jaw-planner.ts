// The parallel-jaw side of plan(): antipodal seeds, crop scores, the fingers-and-engagement check, gqcnn's jaw
// features for the search, robust selection, NMS and the FC-GQ-CNN map.
import type { CameraIntrinsics } from '../geometry/camera-intrinsics.js';
import { DEFAULT_IMAGE_SAMPLER_OPTIONS, sampleImageAntipodalGrasps } from '../grasp/image-antipodal-sampler.js';
import { featuresToGrasp, gripperWidthPx, nonMaximumSuppression } from '../grasp/image-grasp.js';
import type { GraspWidthPx, ImageGrasp } from '../grasp/image-grasp.js';
import { topBetweenJaws } from '../grasp/local-top.js';
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { imageGraspToCamera } from '../render/grasp-projection.js';
import { centerInMask } from './cross-entropy.js';
import { fullyConvolutionalPlan } from './fully-convolutional.js';
import { scoreGrasps } from './grasp-scorer.js';
import type { GripperPlanner } from './gripper-planner.js';
import type { GraspPlausibility } from './plan-types.js';
import { fingerSeating } from './finger-seating.js';
import {
  DEFAULT_PLAUSIBILITY,
  plausibilityCheck,
  type PlausibilityCheck,
  type PlausibilityOptions,
} from './plausibility.js';
import { robustSelection, type RobustSelectionOptions } from './robust-selection.js';

/**
 * Depths at which CEM's resampled grasps close below the object's top between their jaws (m): the image sampler's
 * offset range, whose lower end is 2.5 mm past the plausibility check's 5 mm so sensor noise does not throw the draws
 * away; the mixture is fitted to depths of every kind and its draws otherwise wander above the object or to its edge.
 */
const ENGAGED_DEPTH = {
  min: DEFAULT_IMAGE_SAMPLER_OPTIONS.minDepthOffset,
  max: DEFAULT_IMAGE_SAMPLER_OPTIONS.maxDepthOffset,
};

export interface JawPlannerInputs {
  /** The inpainted depth the policies plan on, and the sensor's image before inpainting (null when complete). */
  depth: DepthImage;
  observed: DepthImage | null;
  intrinsics: CameraIntrinsics;
  segmask: Mask | null;
  /** Segmask ∩ workspace: where grasp centres may lie. */
  region: Mask | null;
  predictor: GqcnnPredictor;
  /** Gripper opening (m). */
  width: number;
  cropSize: number;
  plausibility: false | PlausibilityOptions;
  /** Robust selection's settings, or null when it is off. */
  selection: Required<RobustSelectionOptions> | null;
}

export function jawPlanner(i: JawPlannerInputs): GripperPlanner<ImageGrasp, GraspPlausibility> {
  const { depth, intrinsics, region, width, cropSize } = i;
  const score = (g: ImageGrasp[]) => scoreGrasps(i.predictor, depth, g, cropSize);
  const widthPx = gripperWidthPx(intrinsics, width);
  const selection = i.selection;
  const check =
    i.plausibility === false
      ? null
      : judgedOnce(
          plausibilityCheck(
            { depth, intrinsics, observed: i.observed, segmask: i.segmask },
            { width, ...i.plausibility },
          ),
        );
  // Seeds and CEM's draws are seated on the observed depth before they are scored (the check stays the judge).
  const seat =
    check && i.plausibility !== false
      ? fingerSeating(check, widthPx, i.plausibility.minEngagement ?? DEFAULT_PLAUSIBILITY.minEngagement)
      : null;
  return {
    gripper: 'parallel-jaw',
    sample: (numSamples, rng) => {
      const seeds = sampleImageAntipodalGrasps(depth, region, intrinsics, width, rng, { numSamples, cropSize });
      return seat ? seeds.map(seat) : seeds;
    },
    noSeeds: 'no antipodal grasp candidates on the object (check the segmask, workspace and depth units)',
    score,
    check,
    unchecked: {
      plausible: false,
      reason: null,
      message: '',
      fingerClearance: [NaN, NaN],
      fingerMissing: [0, 0],
      palmClearance: NaN,
      engagement: NaN,
      onObject: false,
    },
    cem: {
      isValid: centerInMask(depth.width, depth.height, region, Math.ceil((cropSize / 2) * Math.SQRT2)),
      widthPx,
      featuresToGrasp: engagedFeaturesToGrasp(depth, i.segmask, widthPx, seat),
    },
    robust: selection ? (s) => robustSelection(s, score, selection) : null,
    finalists: selection?.finalists ?? 0,
    separate: (s, topK) => nonMaximumSuppression(s, 0.2 * widthPx(s[0]?.grasp.depth ?? 0.7, 0), topK),
    // The FC map comes from the model's FC companion when it has one; robust selection re-scores its finalists with the
    // crop model.
    fullyConvolutional: (count, accept) =>
      fullyConvolutionalPlan(i.predictor.fullyConvolutional, depth, region, intrinsics, {
        topK: count,
        gripperWidth: width,
        cropSize,
        accept,
      }),
    planned: (g, q) => ({
      center: { x: g.center.x, y: g.center.y },
      angle: g.angle,
      depth: g.depth,
      width,
      widthPx: g.widthPx,
      q,
      pose: imageGraspToCamera(g.center, g.angle, g.depth, intrinsics).pose.matrix(),
    }),
    explained: (g, q, plausibility) => ({
      center: { x: g.center.x, y: g.center.y },
      angle: g.angle,
      depth: g.depth,
      q,
      plausibility,
    }),
  };
}

/**
 * CEM's feature row → grasp, with the depth clamped to ENGAGED_DEPTH below the object's top between the jaws and then
 * seated on the observed depth (when `seat` is given); with no object between the jaws, null (the draw is invalid).
 */
function engagedFeaturesToGrasp(
  depth: DepthImage,
  segmask: Mask | null,
  widthPx: GraspWidthPx,
  seat: ((g: ImageGrasp) => ImageGrasp) | null,
) {
  return (features: ArrayLike<number>, offset: number): ImageGrasp | null => {
    const g = featuresToGrasp(features, offset, widthPx);
    if (!g) return null;
    const top = topBetweenJaws(depth, segmask, g.center, g.angle, g.widthPx);
    if (!(top > 0)) return null;
    const z = Math.min(top + ENGAGED_DEPTH.max, Math.max(top + ENGAGED_DEPTH.min, g.depth));
    const engaged = z === g.depth ? g : { ...g, depth: z, widthPx: widthPx(z, g.angle) };
    return seat ? seat(engaged) : engaged;
  };
}

/**
 * The check judged once per candidate: seating judges every seed and CEM draw before it is scored, and the policy
 * judges the same object again when it competes (about a quarter of a bin plan's checks). Candidates are not changed
 * in place (seating returns a new grasp when it moves one), so a verdict stays true of its grasp.
 */
function judgedOnce(check: PlausibilityCheck): PlausibilityCheck {
  const verdicts = new WeakMap<ImageGrasp, GraspPlausibility>();
  return (g) => {
    let v = verdicts.get(g);
    if (!v) verdicts.set(g, (v = check(g)));
    return v;
  };
}
