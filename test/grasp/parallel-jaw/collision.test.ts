import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { RigidTransform } from '../../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { checkGripperCollision, sweptGripperBoxes } from '../../../src/grasp/parallel-jaw/collision.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { GraspableObject } from '../../../src/grasp/parallel-jaw/grasp-labels.js';
import {
  approachAngleToward,
  approachDirection,
  type ParallelJawGrasp,
} from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

// A 3 × 3 × 6 cm box standing on the table: the object frame has the box centred at the origin, and
// the table frame puts its bottom face on z = 0.
const tall = new MeshIndex(boxMesh(0.03, 0.03, 0.06));
const tableFromObject = new RigidTransform(undefined, [0, 0, 0.03], 'object', 'table');

function topDown(center: Vec3, width = 0.05, axis: Vec3 = [1, 0, 0]): ParallelJawGrasp {
  return { center, axis, width, approachAngle: approachAngleToward(axis, [0, 0, -1]) };
}

describe('gripper collision', () => {
  it('a top-down grasp near the top of a standing box is collision-free', () => {
    const g = topDown([0, 0, 0.015]);
    expect(approachDirection(g)[2]).toBeCloseTo(-1, 12);
    expect(checkGripperCollision(tall, g, DEFAULT_GRIPPER, tableFromObject)).toEqual({ collisionFree: true });
  });

  it('fingers opened narrower than the box hit it', () => {
    const r = checkGripperCollision(tall, topDown([0, 0, 0.015], 0.028), DEFAULT_GRIPPER, tableFromObject);
    expect(r.collisionFree).toBe(false);
    expect(r.hit).toMatch(/finger/);
  });

  it('a grasp too close to the table drives the fingertips into it', () => {
    // 2 cm high box: the palm stays above it while the 1 cm fingertip reach goes below the table.
    const flat = new MeshIndex(boxMesh(0.03, 0.03, 0.02));
    const onTable = new RigidTransform(undefined, [0, 0, 0.01], 'object', 'table');
    const r = checkGripperCollision(flat, topDown([0, 0, -0.005]), DEFAULT_GRIPPER, onTable);
    expect(r).toEqual({ collisionFree: false, hit: 'finger1 hits the table' });
  });

  it('the palm hits a box that is long along the approach', () => {
    const long = new MeshIndex(boxMesh(0.03, 0.03, 0.12));
    const r = checkGripperCollision(long, topDown([0, 0, 0]), DEFAULT_GRIPPER);
    expect(r).toEqual({ collisionFree: false, hit: 'palm' });
    expect(
      checkGripperCollision(new MeshIndex(boxMesh(0.03, 0.03, 0.05)), topDown([0, 0, 0]), DEFAULT_GRIPPER)
        .collisionFree,
    ).toBe(true);
  });

  it('the swept boxes cover the whole approach and the fingers sit outside the opening', () => {
    const [f1, f2, palm] = sweptGripperBoxes(topDown([0, 0, 0], 0.04), DEFAULT_GRIPPER);
    expect(f1.max[1]).toBeCloseTo(-0.02, 12);
    expect(f2.min[1]).toBeCloseTo(0.02, 12);
    expect(f1.max[2] - f1.min[2]).toBeCloseTo(DEFAULT_GRIPPER.fingerLength + DEFAULT_GRIPPER.approachDistance, 12);
    expect(palm.max[2]).toBeCloseTo(f1.max[2] - DEFAULT_GRIPPER.fingerLength, 12);
  });

  it('a label may skip the robust draws of a grasp the gripper cannot reach, and only of such a grasp', () => {
    const object = new GraspableObject(boxMesh(0.03, 0.03, 0.06), DEFAULT_GRIPPER);
    // Gripped low on the tall box: the contacts hold, the palm comes down onto the box's top.
    const free = topDown([0, 0, 0.015]),
      blocked = topDown([0, 0, -0.015]);
    const labelOptions = { seed: 3, noise: { samples: 8 }, tableFromObject };
    const full = object.label(blocked, labelOptions);
    expect(full.collisionFree).toBe(false);
    expect(full.robustFerrariCanny).toBeGreaterThan(0); // the contacts alone would hold
    expect(object.label(blocked, { ...labelOptions, skipRobustWhenColliding: true })).toEqual({
      ...full,
      robustFerrariCanny: 0,
    });
    expect(object.label(free, { ...labelOptions, skipRobustWhenColliding: true })).toEqual(
      object.label(free, labelOptions),
    );
  });
});
