// Whether the suction tool can reach its target: the cup and the tool behind it, as a box around the approach axis
// swept back from just short of the target, against the other meshes around the object (a heap's neighbours, the
// bin's walls) and the table. The object itself is the seal model's business (its cone must be free of it).
import type { RigidTransform } from '../../geometry/rigid-transform.js';
import type { Mat3, Vec3 } from '../../geometry/vector.js';
import type { SuctionGripper } from '../gripper.js';
import { boxHitsObstacle, type Obstacle } from '../obstacles.js';
import { tangentAxes, type SuctionGrasp } from './suction-grasp.js';

export interface SuctionClearanceOptions {
  /** Half-width of the tool's box across the approach (m; default the cup's ring radius). */
  bodyRadius?: number;
  /** How far back along the approach the tool is checked, from the target (m; default 0.1, the jaws' approach). */
  length?: number;
  /**
   * The box stops this far short of the target (m; default 2 mm): a neighbour that merely touches the object beside
   * the ring is no obstacle, one that rises into the ring's disc by more than this is.
   */
  tolerance?: number;
}

export const DEFAULT_SUCTION_CLEARANCE: Readonly<Required<Omit<SuctionClearanceOptions, 'bodyRadius'>>> = Object.freeze(
  { length: 0.1, tolerance: 0.002 },
);

/**
 * What blocks the approach of `grasp` (object frame): the name of the first obstacle the tool's box meets, 'table'
 * when a corner of the box lies below the plane z = 0 of `tableFromObject` (when given), or null when it is clear.
 */
export function suctionApproachBlocked(
  grasp: SuctionGrasp,
  gripper: SuctionGripper,
  obstacles: readonly Obstacle[],
  tableFromObject?: RigidTransform,
  options: SuctionClearanceOptions = {},
): string | null {
  const r = options.bodyRadius ?? gripper.radius;
  const { length, tolerance } = { ...DEFAULT_SUCTION_CLEARANCE, ...options };
  const z = grasp.approach;
  const [x, y] = tangentAxes(z);
  // Tool frame → object frame: columns x, y, approach; origin at the target.
  const rotation: Mat3 = [x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]];
  const min: Vec3 = [-r, -r, -length],
    max: Vec3 = [r, r, -tolerance];
  const hit = boxHitsObstacle(obstacles, min, max, rotation, grasp.point);
  if (hit) return hit.name;
  if (tableFromObject) {
    for (let corner = 0; corner < 8; corner++) {
      const a = corner & 1 ? max[0] : min[0],
        b = corner & 2 ? max[1] : min[1],
        c = corner & 4 ? max[2] : min[2];
      const p: Vec3 = [
        grasp.point[0] + a * x[0] + b * y[0] + c * z[0],
        grasp.point[1] + a * x[1] + b * y[1] + c * z[1],
        grasp.point[2] + a * x[2] + b * y[2] + c * z[2],
      ];
      if (tableFromObject.applyToPoint(p)[2] < 0) return 'table';
    }
  }
  return null;
}
