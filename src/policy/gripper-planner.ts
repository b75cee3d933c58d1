// What the shared policy body of plan() needs of one gripper kind: its seeds, scores, plausibility check, search
// features, separation of results, fully-convolutional map and the plan's record of a grasp. The jaws and the suction
// cup each build one; random, ranking, cem and fc then run the same code for both.
import type { Random } from '../core/random.js';
import type { CrossEntropyOptions, Scored } from './cross-entropy.js';
import type { ExplainedCandidate, GraspPlausibility, PlanGripperKind, PlannedGrasp } from './plan-types.js';
import type { SuctionPlausibility } from './plan-types.js';

/** A plausibility verdict of either gripper kind. */
export type Verdict = GraspPlausibility | SuctionPlausibility;

export interface GripperPlanner<G extends object, V extends Verdict> {
  gripper: PlanGripperKind;
  /** Seeds of the sampling policies (`count` of them at most). */
  sample(count: number, rng: Random): G[];
  /** The NoValidGraspError message when the sampler finds no seed. */
  noSeeds: string;
  /** P(success) of each grasp, in order. */
  score(grasps: G[]): Promise<Float32Array>;
  /** The plausibility check on the observed depth, or null when it is off. */
  check: ((g: G) => V) | null;
  /** The verdict of a candidate the plan had no budget left to check. */
  unchecked: V;
  /** Cross-entropy settings of this kind: the validity of a draw and its features. */
  cem: Pick<CrossEntropyOptions<G>, 'isValid' | 'widthPx' | 'featuresToGrasp' | 'codec'>;
  /** Re-ranking of the best candidates under perturbations, where this kind has one. */
  robust: ((scored: Scored<G>[]) => Promise<{ grasps: Scored<G>[]; scoredCount: number }>) | null;
  /** How many best candidates `robust` re-ranks (0 without it). */
  finalists: number;
  /** The best `topK`, spread apart, best first. */
  separate(scored: Scored<G>[], topK: number): Scored<G>[];
  /** The fully-convolutional policy: its best `count` candidates that `accept` lets through, best first. */
  fullyConvolutional(
    count: number,
    accept: (s: Scored<G>) => boolean,
  ): Promise<{ grasps: Scored<G>[]; scoredCount: number }>;
  /** The plan's record of a grasp (without its verdict). */
  planned(g: G, q: number): PlannedGrasp;
  /** A candidate as --explain lists it. */
  explained(g: G, q: number, verdict: V): ExplainedCandidate;
}
