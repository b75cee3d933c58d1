// The analytic referee: the dataset's own label function (robust Ferrari–Canny ε over the robustness noise, times
// the gripper collision check) applied to the grasp a planner chose.
import type { RigidTransform } from '../geometry/rigid-transform.js';
import { ROBUST_EPSILON_THRESHOLD } from '../dataset/fields.js';
import type { GraspableObject, LabelledGrasp } from '../grasp/grasp-labels.js';
import type { ParallelJawGrasp } from '../grasp/parallel-jaw-grasp.js';

export interface AnalyticVerdict {
  success: boolean;
  /** Robust ε × collision-free, the dataset's robust_ferrari_canny. */
  robustEpsilon: number;
  /** Robust ε before the collision check. */
  robustEpsilonRaw: number;
  forceClosure: boolean;
  collisionFree: boolean;
}

export function judgeGraspAnalytic(object: GraspableObject, grasp: ParallelJawGrasp, tableFromObject: RigidTransform, seed: number, samples = 25): AnalyticVerdict {
  const l: LabelledGrasp = object.label(grasp, seed, { samples }, tableFromObject);
  const robustEpsilon = l.collisionFree ? l.robustFerrariCanny : 0;
  return {
    success: robustEpsilon > ROBUST_EPSILON_THRESHOLD,
    robustEpsilon,
    robustEpsilonRaw: l.robustFerrariCanny,
    forceClosure: l.forceClosure,
    collisionFree: l.collisionFree,
  };
}
