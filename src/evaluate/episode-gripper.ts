import type { PlanGripperKind } from '../policy/plan-types.js';

/** Which gripper plans and picks: one of the two, or both by the ambidextrous policy (the higher q wins). */
export type EpisodeGripper = PlanGripperKind | 'both';
export const EPISODE_GRIPPERS: readonly EpisodeGripper[] = ['parallel-jaw', 'suction', 'both'];
