// The policies an evaluation compares by default, apart from the runner so the CLI can show them cheaply.
import type { PolicyName } from '../policy/plan-types.js';

/** The same for both grippers: each has random, ranking, cem and fc. */
export const EVALUATION_POLICIES: readonly PolicyName[] = ['random', 'ranking', 'cem', 'fc'];
