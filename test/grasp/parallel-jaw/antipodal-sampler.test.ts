import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { Random } from '../../../src/core/random.js';
import { boxMesh, cylinderMesh, lBracketMesh } from '../../../src/geometry/primitives.js';
import { angleBetween, type Vec3 } from '../../../src/geometry/vector.js';
import { sampleAntipodalGrasps } from '../../../src/grasp/parallel-jaw/antipodal-sampler.js';
import { closeJaws } from '../../../src/grasp/parallel-jaw/contacts.js';
import { forceClosure } from '../../../src/grasp/parallel-jaw/force-closure.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { approachDirection } from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

describe('3-D antipodal sampler', () => {
  const bracket = new MeshIndex(lBracketMesh(0.06, 0.04, 0.012, 0.03));

  it('returns grasps that are in force closure at their sampling friction', () => {
    const grasps = sampleAntipodalGrasps(bracket, DEFAULT_GRIPPER, new Random(5), { targetGrasps: 40 });
    expect(grasps.length).toBeGreaterThanOrEqual(25);
    for (const { grasp, samplingFriction } of grasps) {
      expect(samplingFriction).toBeGreaterThanOrEqual(0.5);
      expect(samplingFriction).toBeLessThanOrEqual(0.6);
      const c = closeJaws(bracket, grasp, DEFAULT_GRIPPER);
      if (!c.ok) throw new Error(c.reason);
      expect(forceClosure(c.contacts[0], c.contacts[1], samplingFriction)).toBe(true);
      expect(Math.hypot(...grasp.axis)).toBeCloseTo(1, 12);
    }
  });

  it('is deterministic for a seed', () => {
    const a = sampleAntipodalGrasps(bracket, DEFAULT_GRIPPER, new Random(9), { targetGrasps: 10 });
    const b = sampleAntipodalGrasps(bracket, DEFAULT_GRIPPER, new Random(9), { targetGrasps: 10 });
    expect(b).toEqual(a);
  });

  it('on a box, every grasp pinches two opposite faces', () => {
    const box = new MeshIndex(boxMesh(0.03, 0.04, 0.045));
    const grasps = sampleAntipodalGrasps(box, DEFAULT_GRIPPER, new Random(2), { targetGrasps: 30 });
    expect(grasps.length).toBe(30);
    for (const { grasp } of grasps) {
      // Force closure at μ ≤ 0.6 on a box means the axis is within atan(0.6) ≈ 31° of a face normal.
      const best = Math.min(
        ...(
          [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ] as Vec3[]
        ).map((n) => Math.min(angleBetween(grasp.axis, n), Math.PI - angleBetween(grasp.axis, n))),
      );
      expect(best).toBeLessThanOrEqual(Math.atan(0.6) + 1e-9);
    }
  });

  it('with a table normal, keeps axes within 5° of the table and approaches from above', () => {
    const up: Vec3 = [0, 0, 1];
    const cyl = new MeshIndex(cylinderMesh(0.02, 0.06, 48));
    const grasps = sampleAntipodalGrasps(cyl, DEFAULT_GRIPPER, new Random(3), { targetGrasps: 25, tableNormal: up });
    expect(grasps.length).toBe(25);
    for (const { grasp } of grasps) {
      expect(Math.abs(Math.PI / 2 - angleBetween(grasp.axis, up))).toBeLessThanOrEqual((5 * Math.PI) / 180 + 1e-9);
      expect(approachDirection(grasp)[2]).toBeLessThan(-0.99);
    }
  });
});
