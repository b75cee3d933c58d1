// Procedural objects fit for a grasp dataset: the geometry stage's generator plus the grasp check it
// cannot run itself (geometry never imports grasp).
import type { Mesh } from '../geometry/mesh.js';
import { generateObjects, type GenerateObjectsOptions, type ProceduralObject } from '../geometry/procedural/index.js';
import { GraspableObject } from '../grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../grasp/gripper.js';

/**
 * Rejects objects the default 5 cm parallel-jaw gripper cannot take anywhere (no antipodal grasp):
 * such objects only add all-negative labels to a dataset.
 */
export function antipodalGraspCheck(mesh: Mesh, seed: number): string | null {
  const grasps = new GraspableObject(mesh, DEFAULT_GRIPPER).sampleGrasps(seed, { targetGrasps: 1 });
  return grasps.length > 0 ? null : 'no antipodal grasp for the 5 cm gripper';
}

/** generateObjects with the grasp check every dataset object must pass (the geometry stage cannot import grasp). */
export function generateGraspableObjects(options: GenerateObjectsOptions): Promise<ProceduralObject[]> {
  const extra = options.check;
  return generateObjects({ ...options, check: (mesh, seed) => extra?.(mesh, seed) ?? antipodalGraspCheck(mesh, seed) });
}
