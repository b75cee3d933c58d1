// One scene of an evaluation: trial t's object in its drawn pose and camera, planned on by every policy (the same
// scene for each), each plan judged by the analytic and the physics referee and recorded for the report. The scene
// depends only on the object, the run's seed and t, so scenes can run in any order, in any thread.
import type { AnalyticClosing, AnalyticVerdict } from './analytic-referee.js';
import { Random } from '../core/random.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import { deriveSeed } from '../core/seed.js';
import type { GqcnnPredictor } from '../model/predictor.js';
import { drawGraspOverlay } from '../policy/grasp-overlay.js';
import { imageGrasp } from '../grasp/image-grasp.js';
import type { PolicyName } from '../policy/plan.js';
import type { SuctionAnalyticVerdict } from './suction-referee.js';
import type { TrialRecord } from './evaluation-report.js';
import type { GroundTruthSummary } from './ground-truth.js';
import { judgeGraspPhysics, type PhysicsVerdict } from '../physics/lift-and-shake.js';
import { judgeSuctionPhysics } from '../physics/suction-lift.js';
import type { Gripper } from '../grasp/gripper.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw/parallel-jaw-grasp.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import type { TrialObject, TrialSceneOptions } from './trial-scene.js';
import { runTrial } from './trial.js';
import { judgeGraspPhysicsUnderNoise } from './physics-under-noise.js';
import { EVALUATION_POLICIES } from './evaluation-policies.js';

/** How every scene of a run is planned and judged (plain data: worker threads receive it as it is). */
export interface SceneTrialOptions {
  policies?: readonly PolicyName[];
  /** A suction cup, or (the default) the jaws; the predictor must be a model for it. */
  gripper?: Gripper;
  seed?: number;
  /**
   * Friction coefficient of every physics trial. Default: drawn per scene from the generative model's friction,
   * Normal(0.5, 0.1) truncated to [0, 1] (docs/dex-net-facts.md §1), the same draw for every policy.
   */
  friction?: number;
  /** Monte-Carlo draws of the analytic referee's robust ε (default REFEREE_ROBUST_SAMPLES). */
  robustSamples?: number;
  /** Where the jaws' analytic referee judges the contacts (default as placed, as Dex-Net; see analytic-referee.ts). */
  closing?: AnalyticClosing;
  /** Run the MuJoCo referee (default true). */
  physics?: boolean;
  /**
   * Jaws: also execute each planned grasp this many times in MuJoCo under the robust label's pose and friction noise
   * (physics-under-noise.ts; default 0, none).
   */
  physicsDraws?: number;
  /** Jaws: the planner's robust selection (plan.ts; default off, as plan()). */
  robustSelection?: boolean;
  /** Label each scene's ground-truth grasps to report the winnable scenes (default true; colliding grasps skip the draws). */
  groundTruth?: boolean;
  scene?: TrialSceneOptions;
}

const NO_GRASP_PHYSICS: PhysicsVerdict = {
  success: false,
  reason: 'no grasp planned',
  liftedHeight: 0,
  simSeconds: 0,
  wallMs: 0,
};
const NOT_SIMULATED: PhysicsVerdict = { ...NO_GRASP_PHYSICS, reason: 'not simulated' };
const NO_GRASP_ANALYTIC: AnalyticVerdict = {
  success: false,
  robustEpsilon: 0,
  robustEpsilonRaw: 0,
  forceClosure: false,
  collisionFree: false,
};
const NO_SUCTION_ANALYTIC: SuctionAnalyticVerdict = {
  gripper: 'suction',
  success: false,
  robustQuality: 0,
  sealed: false,
  resists: false,
};

/** The friction γ of a scene: Normal(0.5, 0.1) truncated to [0, 1], from the trial's seed. */
export function sceneFriction(trialSeed: number): number {
  return new Random(deriveSeed(trialSeed, 6)).truncatedNormal(0.5, 0.1, 0, 1);
}

/** The MuJoCo referee of the grasp's gripper: the cup's lift-and-shake for a suction grasp, else the jaws'. */
function judgePhysics(
  target: TrialObject,
  objectToWorld: RigidTransform,
  grasp: ParallelJawGrasp | SuctionGrasp,
  gripper: Gripper | undefined,
  trial: { friction: number; seed: number },
): Promise<PhysicsVerdict> {
  const mesh = target.object.mesh;
  if ('approach' in grasp)
    return judgeSuctionPhysics({
      mesh,
      objectToWorld,
      grasp,
      ...trial,
      gripper: gripper?.kind === 'suction' ? gripper : undefined,
    });
  return judgeGraspPhysics({ mesh, objectToWorld, grasp, ...trial });
}

/** Scene `t` of the run on `target`: one record per policy, in the policies' order. */
export async function runSceneTrials(
  target: TrialObject,
  predictor: GqcnnPredictor,
  t: number,
  options: SceneTrialOptions = {},
): Promise<TrialRecord[]> {
  const policies = options.policies ?? EVALUATION_POLICIES;
  const trialSeed = deriveSeed(options.seed ?? 0, t);
  let groundTruth: GroundTruthSummary | undefined;
  const friction = options.friction ?? sceneFriction(trialSeed);
  const records: TrialRecord[] = [];
  for (const [i, policy] of policies.entries()) {
    // Every policy meets the same scene, so its ground truth is labelled once.
    const { result, scene } = await runTrial(target, predictor, trialSeed, {
      policy,
      gripper: options.gripper,
      scene: options.scene,
      robustSamples: options.robustSamples,
      closing: options.closing,
      plan: { robustSelection: options.robustSelection },
      groundTruth: i === 0 && options.groundTruth !== false,
    });
    groundTruth ??= result.groundTruth ?? undefined;
    const g = result.grasp;
    const physics =
      options.physics === false
        ? NOT_SIMULATED
        : g && result.objectGrasp
          ? await judgePhysics(target, scene.objectToWorld, result.objectGrasp, options.gripper, {
              friction,
              seed: deriveSeed(trialSeed, 5),
            })
          : NO_GRASP_PHYSICS;
    const record: TrialRecord = {
      trial: t,
      object: target.id,
      poseIndex: result.poseIndex,
      policy,
      grasp: g ? { center: g.center, angle: g.angle, depth: g.depth, width: g.width, q: g.q } : null,
      planMs: result.planMs,
      analytic: result.analytic ?? (options.gripper?.kind === 'suction' ? NO_SUCTION_ANALYTIC : NO_GRASP_ANALYTIC),
      physics,
      friction,
    };
    if (options.physicsDraws && result.objectGrasp && !('approach' in result.objectGrasp))
      record.physicsUnderNoise = await judgeGraspPhysicsUnderNoise(
        {
          mesh: target.object.mesh,
          objectToWorld: scene.objectToWorld,
          grasp: result.objectGrasp,
          centerOfMass: target.object.centerOfMass,
        },
        { draws: options.physicsDraws, seed: deriveSeed(trialSeed, 7), friction: options.friction },
      );
    if (result.noGrasp) record.noGrasp = result.noGrasp;
    if (target.source) record.source = target.source;
    if (groundTruth) record.groundTruth = groundTruth;
    if (g && (!record.analytic.success || !physics.success))
      record.failurePng = drawGraspOverlay(
        scene.depth,
        [{ grasp: { ...imageGrasp(g.center, g.angle, g.depth, g.widthPx), suction: g.suction }, q: g.q }],
        { segmask: scene.segmask },
      );
    records.push(record);
  }
  return records;
}
