// Test scenes for the referees: primitives resting on the table in a stable pose, and top-down grasps on them.
import type { Mesh } from '../../src/geometry/mesh.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import { restingTransform, stablePoses } from '../../src/geometry/stable-poses.js';
import { axisAngleToMat3, mat3Mul, mat3MulVec, mat3Transpose, type Vec3 } from '../../src/geometry/vector.js';
import { approachAngleToward, type ParallelJawGrasp } from '../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

/**
 * Object → table transform of `mesh` resting in its most likely stable pose (or `pose`), then turned by `yaw`
 * about the vertical and moved to `(x, y)` on the table. Frames are named 'object' → 'table', as the analytic
 * referee's collision check expects.
 */
export function restingOnTable(
  mesh: Mesh,
  options: { pose?: number; x?: number; y?: number; yaw?: number } = {},
): RigidTransform {
  const pose = stablePoses(mesh)[options.pose ?? 0];
  const rest = restingTransform(mesh, pose);
  const yaw = axisAngleToMat3([0, 0, 1], options.yaw ?? 0);
  const t = mat3MulVec(yaw, rest.translation);
  return new RigidTransform(
    mat3Mul(yaw, rest.rotation),
    [t[0] + (options.x ?? 0), t[1] + (options.y ?? 0), t[2]],
    'object',
    'table',
  );
}

/** A grasp at `center` closing along `axis` (both in the object frame) that approaches straight down onto the table. */
export function topDownGrasp(objectToTable: RigidTransform, center: Vec3, axis: Vec3, width = 0.05): ParallelJawGrasp {
  const down = mat3MulVec(mat3Transpose(objectToTable.rotation), [0, 0, -1]);
  return { center, axis, width, approachAngle: approachAngleToward(axis, down) };
}

/** A table-frame direction expressed in the object frame. */
export function inObjectFrame(objectToTable: RigidTransform, direction: Vec3): Vec3 {
  return mat3MulVec(mat3Transpose(objectToTable.rotation), direction);
}
