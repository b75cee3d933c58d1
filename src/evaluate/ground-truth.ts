// What the scene's ground truth offers: the gripper's own grasps in the resting pose (the dataset's sampler for that
// gripper — table-parallel antipodal grasps for the jaws, surface points approached from above for a suction cup),
// labelled by that gripper's analytic referee, and which of them the camera sees. A scene where none of them is
// robust is hardly winnable by any planner (jaws: a 40× denser search finds one in 8 of 47 such scenes); evaluations
// report such scenes separately.
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import type { Gripper, SuctionGripper } from '../grasp/gripper.js';
import { sampleSuctionGrasps } from '../grasp/suction/suction-sampler.js';
import { projectGrasp } from '../render/grasp-projection.js';
import { projectSuctionGrasp } from '../render/suction-projection.js';
import { judgeGraspAnalytic, type AnalyticClosing } from './analytic-referee.js';
import { refereeMass } from '../physics/mjcf.js';
import { gravityInObject, judgeSuctionAnalytic, suctionEvaluator } from './suction-referee.js';
import { tableNormalDown, type TrialObject, type TrialScene } from './trial-scene.js';
import { plausibilityCheck, type PlausibilityCheck } from '../policy/plausibility.js';

export interface GroundTruthSummary {
  /** The gripper's grasps found in the pose. */
  sampled: number;
  /** Of those, visible in the image (centre or target not occluded). */
  visible: number;
  /** Visible and robust (analytic referee success). */
  robustVisible: number;
  /**
   * Jaws: of those, the ones the planner's plausibility check passes on the noise-free image with the trial's approach
   * (fingers clear of the seen surface, jaws at least 5 mm below the object's top): what a planner that returns only
   * plausible grasps could win with a perfect sensor. Absent in reports made before it was counted.
   */
  robustPlausible?: number;
}

export interface GroundTruthOptions {
  /** Grasps sampled in the pose (default 100). */
  grasps?: number;
  /** The referee's Monte-Carlo draws (default: the referee's own default). */
  samples?: number;
  /** The gripper whose grasps count: a suction cup, or (the default) the jaws the trial object was prepared for. */
  gripper?: Gripper;
  /** Where the jaws' analytic referee judges the contacts (default as placed). */
  closing?: AnalyticClosing;
}

/** What the summary needs of a gripper in one scene: its grasps, whether the camera sees one, and its referee. */
interface SceneGrasps<G> {
  sample(seed: number, count: number): G[];
  visible(grasp: G): boolean;
  success(grasp: G, seed: number): boolean;
  /** Whether the planner's plausibility check would let a robust visible grasp through (jaws only). */
  plausible?(grasp: G): boolean;
}

export function groundTruthSummary(
  target: TrialObject,
  scene: TrialScene,
  seed: number,
  options: GroundTruthOptions = {},
): GroundTruthSummary {
  const { gripper } = options;
  const grasps = options.grasps ?? 100;
  return gripper?.kind === 'suction'
    ? summarize(suctionGrasps(target, scene, gripper, options.samples), seed, grasps)
    : summarize(jawGrasps(target, scene, options.samples, options.closing), seed, grasps);
}

function summarize<G>(g: SceneGrasps<G>, seed: number, count: number): GroundTruthSummary {
  const sampled = g.sample(deriveSeed(seed, 0), count);
  let visible = 0,
    robustVisible = 0,
    robustPlausible = 0;
  for (const [i, grasp] of sampled.entries()) {
    if (!g.visible(grasp)) continue;
    visible++;
    if (!g.success(grasp, deriveSeed(seed, i + 1))) continue;
    robustVisible++;
    if (g.plausible?.(grasp)) robustPlausible++;
  }
  return { sampled: sampled.length, visible, robustVisible, ...(g.plausible ? { robustPlausible } : {}) };
}

function jawGrasps(
  target: TrialObject,
  scene: TrialScene,
  samples: number | undefined,
  closing: AnalyticClosing | undefined,
) {
  const { object } = target;
  // Built on the first robust visible grasp: most scenes' checks are never needed otherwise.
  let check: PlausibilityCheck | null = null;
  const plausible = (g: ReturnType<typeof object.sampleGrasps>[number]) => {
    check ??= plausibilityCheck(
      { depth: scene.trueDepth, intrinsics: scene.camera.intrinsics, segmask: scene.segmask },
      { gripper: object.gripper, approach: tableNormalDown(scene) },
    );
    return check(projectGrasp(g, scene.objectToWorld, scene.camera)).plausible;
  };
  const grasps: SceneGrasps<ReturnType<typeof object.sampleGrasps>[number]> = {
    sample: (seed, count) => object.sampleGrasps(seed, { targetGrasps: count }, target.poses[scene.poseIndex]!),
    visible: (g) => projectGrasp(g, scene.objectToWorld, scene.camera, { depth: scene.trueDepth }).visible,
    plausible,
    // Only success counts here, so colliding grasps skip the draws.
    success: (g, seed) =>
      judgeGraspAnalytic(object, g, {
        tableFromObject: scene.tableFromObject,
        seed,
        samples,
        skipRobustWhenColliding: true,
        closing,
      }).success,
  };
  return grasps;
}

function suctionGrasps(target: TrialObject, scene: TrialScene, gripper: SuctionGripper, samples: number | undefined) {
  const evaluator = suctionEvaluator(target.object, gripper);
  const mass = refereeMass(target.object.mesh);
  const down = gravityInObject(scene.tableFromObject);
  const grasps: SceneGrasps<ReturnType<typeof sampleSuctionGrasps>[number]> = {
    // The dataset's suction sampler: surface points whose approach is within 30° of straight down.
    sample: (seed, count) =>
      sampleSuctionGrasps(target.object.index, new Random(seed), {
        targetGrasps: count,
        tableNormal: [-down[0], -down[1], -down[2]],
      }),
    visible: (g) => projectSuctionGrasp(g, scene.objectToWorld, scene.camera, { depth: scene.trueDepth }).visible,
    success: (g, seed) =>
      judgeSuctionAnalytic(evaluator, g, { tableFromObject: scene.tableFromObject, seed, samples, mass }).success,
  };
  return grasps;
}
