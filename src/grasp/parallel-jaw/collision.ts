// Gripper collision model: finger and palm boxes swept along the approach, against the mesh, the table and whatever
// else stands around the object (a heap's other objects, the bin's walls).
import type { MeshIndex } from '../../geometry/bvh.js';
import type { RigidTransform } from '../../geometry/rigid-transform.js';
import type { Vec3 } from '../../geometry/vector.js';
import type { ParallelJawGripper } from '../gripper.js';
import { boxHitsObstacle, type Obstacle } from '../obstacles.js';
import { gripperPose, type ParallelJawGrasp } from './parallel-jaw-grasp.js';

export interface GripperBox {
  name: 'finger1' | 'finger2' | 'palm';
  /** Corners in the gripper frame (z = approach, y = closing axis). */
  min: Vec3;
  max: Vec3;
}

/**
 * The boxes swept by the open gripper while it travels `approachDistance` along +z to the grasp pose.
 * A box translated along one of its own axes sweeps a longer box, so the sweep is exact, not sampled.
 */
export function sweptGripperBoxes(grasp: ParallelJawGrasp, gripper: ParallelJawGripper): GripperBox[] {
  const r = gripper.fingerRadius,
    half = grasp.width / 2,
    t = gripper.fingerThickness;
  const tip = gripper.fingertipOffset;
  const base = tip - gripper.fingerLength;
  const start = -gripper.approachDistance;
  return [
    { name: 'finger1', min: [-r, -half - t, base + start], max: [r, -half, tip] },
    { name: 'finger2', min: [-r, half, base + start], max: [r, half + t, tip] },
    { name: 'palm', min: [-r, -half - t, base - gripper.palmThickness + start], max: [r, half + t, base] },
  ];
}

export interface CollisionResult {
  collisionFree: boolean;
  /** What collided first, for reports ('finger1', 'palm', 'table', …). */
  hit?: string;
}

/**
 * Checks the approach of `grasp` (object frame) against the object, the `obstacles` around it (each in its own
 * frame) and, when `tableFromObject` is given, the table plane z = 0 of that frame (the object rests on it, above).
 */
export function checkGripperCollision(
  index: MeshIndex,
  grasp: ParallelJawGrasp,
  gripper: ParallelJawGripper,
  tableFromObject?: RigidTransform,
  obstacles: readonly Obstacle[] = [],
): CollisionResult {
  const pose = gripperPose(grasp);
  const boxes = sweptGripperBoxes(grasp, gripper);
  for (const b of boxes) {
    if (index.intersectsBox(b.min, b.max, pose.rotation, pose.translation))
      return { collisionFree: false, hit: b.name };
  }
  for (const b of boxes) {
    const hit = boxHitsObstacle(obstacles, b.min, b.max, pose.rotation, pose.translation);
    if (hit) return { collisionFree: false, hit: `${b.name} hits ${hit.name}` };
  }
  if (tableFromObject) {
    const tableFromGripper = tableFromObject.compose(pose);
    for (const b of boxes) {
      for (let corner = 0; corner < 8; corner++) {
        const p: Vec3 = [
          corner & 1 ? b.max[0] : b.min[0],
          corner & 2 ? b.max[1] : b.min[1],
          corner & 4 ? b.max[2] : b.min[2],
        ];
        if (tableFromGripper.applyToPoint(p)[2] < 0) return { collisionFree: false, hit: `${b.name} hits the table` };
      }
    }
  }
  return { collisionFree: true };
}
