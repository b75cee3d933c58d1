// The policies an evaluation compares by default, apart from the runner so the CLI can show them cheaply.
import type { PlanGripperKind, PolicyName } from '../policy/plan-types.js';

export const EVALUATION_POLICIES: readonly PolicyName[] = ['random', 'ranking', 'cem', 'fc'];

/** Suction has no fully-convolutional policy yet. */
export const SUCTION_EVALUATION_POLICIES: readonly PolicyName[] = ['random', 'ranking', 'cem'];

export function evaluationPolicies(gripper: PlanGripperKind): readonly PolicyName[] {
  return gripper === 'suction' ? SUCTION_EVALUATION_POLICIES : EVALUATION_POLICIES;
}
