// One grasp trial: sample a scene, plan on what the sensor reports, map the chosen grasp back onto the object and
// judge it with the analytic referee. Deterministic per (object, trial seed, policy).
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import type { Gripper } from '../grasp/gripper.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import { cameraSuctionInObject } from '../render/suction-projection.js';
import { refereeMass } from '../physics/mjcf.js';
import { judgeSuctionAnalytic, suctionEvaluator, type SuctionAnalyticVerdict } from './suction-referee.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { NoValidGraspError, plan, type PlanOptions, type PlannedGrasp, type PolicyName } from '../policy/plan.js';
import { judgeGraspAnalytic, type AnalyticClosing, type AnalyticVerdict } from './analytic-referee.js';
import { imageGraspInObject } from '../render/grasp-projection.js';
import type { PlausibilityOptions } from '../policy/plausibility.js';
import { tableDepthScale } from './table-depth-scale.js';
import { groundTruthSummary, type GroundTruthSummary } from './ground-truth.js';
import {
  sampleTrialScene,
  tableNormalDown,
  type TrialObject,
  type TrialScene,
  type TrialSceneOptions,
} from './trial-scene.js';

export interface TrialOptions {
  policy: PolicyName;
  /** A suction cup, or (the default) the jaws the trial object was prepared for; the predictor must be its model. */
  gripper?: Gripper;
  /** Planner options besides the policy, gripper, segmask and seed (e.g. robustSelection). */
  plan?: Omit<PlanOptions, 'policy' | 'gripper' | 'segmask' | 'seed'>;
  scene?: TrialSceneOptions;
  /** Monte-Carlo draws of the analytic referee (jaws: default REFEREE_ROBUST_SAMPLES, as the bundled model's labels). */
  robustSamples?: number;
  /** Where the jaws' analytic referee judges the contacts, for the plan and the ground truth (default as placed). */
  closing?: AnalyticClosing;
  /** Also sample and label the pose's own grasps, to tell unwinnable scenes apart (default true). */
  groundTruth?: boolean;
}

export interface TrialResult {
  object: string;
  seed: number;
  policy: PolicyName;
  poseIndex: number;
  groundTruth: GroundTruthSummary | null;
  /** The planner's best grasp, or null with the reason when it found none. */
  grasp: PlannedGrasp | null;
  noGrasp?: string;
  planMs: number;
  scored: number;
  /** Sensor depth scale measured against the table, used to place the grasp. */
  depthScale: number;
  /** The grasp on the object (object frame), as the referees see it. */
  objectGrasp: ParallelJawGrasp | SuctionGrasp | null;
  analytic: AnalyticVerdict | SuctionAnalyticVerdict | null;
}

/**
 * The jaws' plausibility settings for a trial: the fingers swept straight down onto the table, as the grasp is
 * executed and was labelled, rather than along the camera's optical axis (9–18° off vertical under Dex-Net's camera
 * model), unless the options give an approach of their own.
 */
export function trialPlausibility(options: TrialOptions, scene: TrialScene): PlanOptions['plausibility'] {
  const given = options.plan?.plausibility;
  if (given === false || options.gripper?.kind === 'suction') return given;
  const settings: PlausibilityOptions = { ...Object(given) };
  settings.approach ??= tableNormalDown(scene);
  return settings;
}

/** Runs one trial; `scene` is returned for referees and pictures that need the rendered image. */
export async function runTrial(
  target: TrialObject,
  predictor: GqcnnPredictor,
  seed: number,
  options: TrialOptions,
): Promise<{ result: TrialResult; scene: TrialScene }> {
  // The scene depends on the seed only, so every policy meets the same scenes.
  const scene = sampleTrialScene(target, new Random(deriveSeed(seed, 1)), options.scene);
  const groundTruth =
    options.groundTruth === false
      ? null
      : groundTruthSummary(target, scene, deriveSeed(seed, 2), {
          samples: options.robustSamples,
          gripper: options.gripper,
          closing: options.closing,
        });
  const base = { object: target.id, seed, policy: options.policy, poseIndex: scene.poseIndex, groundTruth };
  let planned;
  try {
    planned = await plan(scene.depth, scene.camera.intrinsics, predictor, {
      ...options.plan,
      plausibility: trialPlausibility(options, scene),
      policy: options.policy,
      gripper: options.gripper?.kind,
      segmask: scene.segmask,
      seed: deriveSeed(seed, 3),
    });
  } catch (err) {
    if (!(err instanceof NoValidGraspError)) throw err;
    const result: TrialResult = {
      ...base,
      grasp: null,
      noGrasp: err.message,
      planMs: 0,
      scored: 0,
      depthScale: NaN,
      objectGrasp: null,
      analytic: null,
    };
    return { result, scene };
  }
  const grasp = planned.grasps[0]!;
  const depthScale = tableDepthScale(scene.depth, scene.segmask, scene.camera);
  const judge = {
    tableFromObject: scene.tableFromObject,
    seed: deriveSeed(seed, 4),
    samples: options.robustSamples,
    closing: options.closing,
  };
  let objectGrasp: ParallelJawGrasp | SuctionGrasp, analytic: AnalyticVerdict | SuctionAnalyticVerdict;
  if (options.gripper?.kind === 'suction') {
    if (!grasp.suction) throw new Error('runTrial: the suction planner returned a grasp without its suction fields');
    const g = cameraSuctionInObject(grasp.suction.point, grasp.suction.approach, scene, depthScale);
    objectGrasp = g;
    analytic = judgeSuctionAnalytic(suctionEvaluator(target.object, options.gripper), g, {
      ...judge,
      mass: refereeMass(target.object.mesh),
    });
  } else {
    const g = imageGraspInObject(grasp, scene, target.object.gripper, depthScale);
    objectGrasp = g;
    analytic = judgeGraspAnalytic(target.object, g, judge);
  }
  const result: TrialResult = {
    ...base,
    grasp,
    planMs: planned.timeMs,
    scored: planned.scoredCount,
    depthScale,
    objectGrasp,
    analytic,
  };
  return { result, scene };
}
