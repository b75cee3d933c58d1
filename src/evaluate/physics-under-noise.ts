// The physics referee under the analytic referee's own uncertainty: the planned jaw grasp is executed in MuJoCo
// several times, each time moved by one draw of the robust label's pose noise (gripper 5 mm / object 1 cm, Dex-Net
// 2.0's) with a fresh friction draw. Not a verdict of its own: it shows how the two referees' disagreements behave
// when the execution is as uncertain as the robust ε assumes (issue 14: which referee is wrong where).
import { Random } from '../core/random.js';
import { deriveSeed } from '../core/seed.js';
import type { Vec3 } from '../geometry/vector.js';
import { drawPoseNoise, perturbInObjectFrame } from '../grasp/pose-noise.js';
import { DEFAULT_ROBUSTNESS_NOISE, type RobustnessNoise } from '../grasp/parallel-jaw/quality.js';
import { DEFAULT_QUALITY_CONFIG } from '../grasp/parallel-jaw/wrench.js';
import { judgeGraspPhysics, type PhysicsGraspInput } from '../physics/lift-and-shake.js';
import type { PhysicsUnderNoise } from './evaluation-report.js';

export interface PhysicsUnderNoiseOptions {
  draws: number;
  /** Seed of the noise draws (the MuJoCo trials themselves are deterministic). */
  seed: number;
  /** Friction of every draw; default: a fresh draw each time about the robust ε's own μ (0.5 ± 0.1, on [0, 1]). */
  friction?: number;
  /** Pose and friction noise (default: the robust label's). */
  noise?: Partial<RobustnessNoise>;
}

/** Executes the jaw grasp `draws` times under pose noise; deterministic for a given input and seed. */
export async function judgeGraspPhysicsUnderNoise(
  input: Omit<PhysicsGraspInput, 'friction' | 'seed' | 'observe'> & { centerOfMass: Vec3 },
  options: PhysicsUnderNoiseOptions,
): Promise<PhysicsUnderNoise> {
  const { draws, seed } = options;
  if (!Number.isInteger(draws) || draws < 1)
    throw new Error(`physics under noise: draws must be an integer ≥ 1, got ${draws}`);
  const noise = { ...DEFAULT_ROBUSTNESS_NOISE, ...options.noise };
  const rng = new Random(seed);
  const { centerOfMass, grasp, ...rest } = input;
  const result: PhysicsUnderNoise = { draws, lifted: 0, collided: 0, outcomes: {} };
  for (let i = 0; i < draws; i++) {
    // Pose first, then friction, as the robust ε draws them.
    const moved = perturbInObjectFrame(grasp.center, grasp.axis, drawPoseNoise(rng, noise), centerOfMass);
    const mu = rng.truncatedNormal(DEFAULT_QUALITY_CONFIG.frictionCoef, noise.frictionSigma, 0, 1);
    const verdict = await judgeGraspPhysics({
      ...rest,
      grasp: { ...grasp, center: moved.point, axis: moved.axis },
      friction: options.friction ?? mu,
      seed: deriveSeed(seed, i),
    });
    if (verdict.success) result.lifted++;
    if (verdict.reason === 'collision on approach') result.collided++;
    result.outcomes[verdict.reason] = (result.outcomes[verdict.reason] ?? 0) + 1;
  }
  return result;
}
