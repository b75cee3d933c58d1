// What the scene's ground truth offers: the table-parallel antipodal grasps of the resting pose (the dataset's own
// sampler), labelled by the analytic referee, and which of them the camera sees. A scene where none of them is
// robust is hardly winnable by any planner (a 40× denser search finds one in 8 of 47 such scenes); evaluations
// report such scenes separately.
import { deriveSeed } from '../core/seed.js';
import { projectGrasp } from '../render/grasp-projection.js';
import { judgeGraspAnalytic } from './analytic-referee.js';
import type { TrialObject, TrialScene } from './trial-scene.js';

export interface GroundTruthSummary {
  /** Table-parallel antipodal grasps found in the pose. */
  sampled: number;
  /** Of those, visible in the image (centre not occluded). */
  visible: number;
  /** Visible and robust (analytic referee success). */
  robustVisible: number;
}

export interface GroundTruthOptions {
  /** Grasps sampled in the pose (default 100). */
  grasps?: number;
  /** The referee's Monte-Carlo draws (default REFEREE_ROBUST_SAMPLES). */
  samples?: number;
}

export function groundTruthSummary(
  target: TrialObject,
  scene: TrialScene,
  seed: number,
  options: GroundTruthOptions = {},
): GroundTruthSummary {
  const grasps = options.grasps ?? 100;
  const pose = target.poses[scene.poseIndex]!;
  const sampled = target.object.sampleGrasps(deriveSeed(seed, 0), { targetGrasps: grasps }, pose);
  let visible = 0,
    robustVisible = 0;
  for (const [i, g] of sampled.entries()) {
    if (!projectGrasp(g, scene.objectToWorld, scene.camera, { depth: scene.depth }).visible) continue;
    visible++;
    // Only success counts here, so colliding grasps skip the draws.
    if (
      judgeGraspAnalytic(target.object, g, {
        tableFromObject: scene.tableFromObject,
        seed: deriveSeed(seed, i + 1),
        samples: options.samples,
        skipRobustWhenColliding: true,
      }).success
    )
      robustVisible++;
  }
  return { sampled: sampled.length, visible, robustVisible };
}
