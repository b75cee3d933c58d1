// The analytic referee for a suction grasp: the dataset's own suction label (Dex-Net 3.0's robust seal and wrench
// resistance over §8's Monte-Carlo noise, under the resting pose's gravity) on the true mesh, loaded with the mass the
// MuJoCo referee gives the object (Dex-Net 3.0's fixed 1 kg failed grasps that lift a 30 g object in MuJoCo).
import { SUCTION_POSITIVE_THRESHOLD } from '../dataset/fields.js';
import type { RigidTransform } from '../geometry/rigid-transform.js';
import type { Vec3 } from '../geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER, type SuctionGripper } from '../grasp/gripper.js';
import { DEFAULT_SUCTION_NOISE, SuctionQualityEvaluator, type SuctionQuality } from '../grasp/suction/quality.js';
import type { SuctionGrasp } from '../grasp/suction/suction-grasp.js';
import type { GraspableObject } from '../grasp/parallel-jaw/grasp-labels.js';

export interface SuctionAnalyticVerdict {
  gripper: 'suction';
  /** Robust quality above the dataset's positive threshold. */
  success: boolean;
  /** Share of the draws in which the cup seals and holds: the dataset's robust_suction_wrench_resistance. */
  robustQuality: number;
  /** The grasp exactly as given: whether the cup seals, and whether it then holds the object. */
  sealed: boolean;
  resists: boolean;
  failure?: SuctionQuality['failure'];
}

export interface SuctionJudgeOptions {
  /** Object → table transform of the scene: gravity is the table's −z in the object frame. */
  tableFromObject: RigidTransform;
  seed: number;
  /** Monte-Carlo draws (default: the dataset's DEFAULT_SUCTION_NOISE.samples). */
  samples?: number;
  /** The object's mass (kg); default: Dex-Net 3.0's 1 kg. */
  mass?: number;
}

/** Each object's suction evaluator, built once (it holds only the mesh index and centre of mass). */
const evaluators = new WeakMap<GraspableObject, Map<SuctionGripper, SuctionQualityEvaluator>>();

/** The suction label function on an object prepared for trials (shares its mesh index and centre of mass). */
export function suctionEvaluator(
  object: GraspableObject,
  gripper: SuctionGripper = DEFAULT_SUCTION_GRIPPER,
): SuctionQualityEvaluator {
  let byGripper = evaluators.get(object);
  if (!byGripper) evaluators.set(object, (byGripper = new Map()));
  let e = byGripper.get(gripper);
  if (!e) byGripper.set(gripper, (e = new SuctionQualityEvaluator(object.index, object.centerOfMass, gripper)));
  return e;
}

/** Gravity of a scene in the object frame. */
export function gravityInObject(tableFromObject: RigidTransform): Vec3 {
  return tableFromObject.inverse().applyToDirection([0, 0, -1]);
}

/** The analytic referee's verdict on one suction grasp (object frame). */
export function judgeSuctionAnalytic(
  evaluator: SuctionQualityEvaluator,
  grasp: SuctionGrasp,
  options: SuctionJudgeOptions,
): SuctionAnalyticVerdict {
  const gravity = gravityInObject(options.tableFromObject);
  const mass = options.mass ?? DEFAULT_SUCTION_NOISE.mass;
  const nominal = evaluator.quality(grasp, { gravity, mass });
  const robustQuality = evaluator.robustQuality(
    grasp,
    options.seed,
    { samples: options.samples ?? DEFAULT_SUCTION_NOISE.samples, mass },
    gravity,
  );
  const verdict: SuctionAnalyticVerdict = {
    gripper: 'suction',
    success: robustQuality > SUCTION_POSITIVE_THRESHOLD,
    robustQuality,
    sealed: nominal.sealed,
    resists: nominal.resists,
  };
  if (nominal.failure) verdict.failure = nominal.failure;
  return verdict;
}
