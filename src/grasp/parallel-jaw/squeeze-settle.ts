// The squeeze of a parallel-jaw grasp, quasi-statically: where the two pad contacts are not in force closure, the
// equal and opposite pad forces form a couple that turns the object between the pads until they are (a box caught
// at opposite corners turns flush). Dex-Net judges the contacts where the object stands; a real squeeze (and the
// MuJoCo referee) judges them where it settles. Evaluation only: dataset labels keep Dex-Net's contacts.
import { add, axisAngleToMat3, cross, mat3MulVec, normalize, sub, type Vec3 } from '../../geometry/vector.js';
import type { MeshIndex } from '../../geometry/bvh.js';
import type { ParallelJawGripper } from '../gripper.js';
import { closeJaws, type ContactOptions } from './contacts.js';
import { forceClosure } from './force-closure.js';
import { approachAngleToward, approachDirection, type ParallelJawGrasp } from './parallel-jaw-grasp.js';

export interface SettleOptions {
  /** Coulomb friction between pads and object (the referee's μ). */
  frictionCoef: number;
  /** Turn of each quasi-static step (rad, default 0.5°). */
  step?: number;
  /** Most the object may turn before the squeeze counts as not settling (rad, default 30°). */
  maxTurn?: number;
  contact?: ContactOptions;
}

export type Settling =
  /** `grasp`: the same gripper pose in the frame of the object as it settled; `turn`: how far it turned (rad). */
  | { settled: true; grasp: ParallelJawGrasp; turn: number }
  /** The squeeze finds no rest within maxTurn, or a pad loses the object on the way. */
  | { settled: false; reason: string };

const DEFAULT_STEP = (0.5 * Math.PI) / 180;
const DEFAULT_MAX_TURN = Math.PI / 6;

/**
 * Turns the object (in its own frame: the gripper the other way) about the squeeze's couple, through the midpoint of
 * the contacts, in small steps until the pads' contacts are in force closure. The turn is the couple's own
 * direction, (c₁ − c₂) × axis: jaw 1 pushes along +axis at c₁, jaw 2 along −axis at c₂. Sliding across the pads
 * and the table's resistance are left out: the couple of a 5 N squeeze dwarfs the table friction of a light object.
 */
export function settleSqueeze(
  index: MeshIndex,
  grasp: ParallelJawGrasp,
  gripper: ParallelJawGripper,
  options: SettleOptions,
): Settling {
  const step = options.step ?? DEFAULT_STEP,
    maxTurn = options.maxTurn ?? DEFAULT_MAX_TURN;
  let g = grasp;
  for (let turn = 0; ; turn += step) {
    const closing = closeJaws(index, g, gripper, options.contact);
    if (!closing.ok) return { settled: false, reason: closing.reason };
    const [c1, c2] = closing.contacts;
    if (forceClosure(c1, c2, options.frictionCoef)) return { settled: true, grasp: g, turn };
    if (turn + step > maxTurn + 1e-12) return { settled: false, reason: 'the squeeze turns the object too far' };
    const couple = cross(sub(c1.point, c2.point), g.axis);
    const size = Math.hypot(couple[0], couple[1], couple[2]);
    // Contacts on the axis with a normal outside the cone: the pad slides off the face (no turn to settle into).
    if (!(size > 1e-9)) return { settled: false, reason: 'a pad slides along the surface' };
    const mid: Vec3 = [
      (c1.point[0] + c2.point[0]) / 2,
      (c1.point[1] + c2.point[1]) / 2,
      (c1.point[2] + c2.point[2]) / 2,
    ];
    // The object turns by +step about the couple; in its frame the gripper turns by −step about the same line.
    const r = axisAngleToMat3(normalize(couple), -step);
    const axis = normalize(mat3MulVec(r, g.axis));
    const approach = mat3MulVec(r, approachDirection(g));
    g = {
      center: add(mid, mat3MulVec(r, sub(g.center, mid))),
      axis,
      width: g.width,
      approachAngle: approachAngleToward(axis, approach),
    };
  }
}
