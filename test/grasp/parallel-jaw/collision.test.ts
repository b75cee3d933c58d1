import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { RigidTransform } from '../../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { checkGripperCollision, sweptGripperBoxes } from '../../../src/grasp/parallel-jaw/collision.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { GraspableObject } from '../../../src/grasp/parallel-jaw/grasp-labels.js';
import { obstaclesAround, type PlacedMesh } from '../../../src/grasp/obstacles.js';
import { binWallsMesh, DEFAULT_BIN } from '../../../src/physics/bin.js';
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

  describe('against other meshes', () => {
    // The tall box stands at world (x0, 0) on the floor; a top-down grasp across x at 1.5 cm above its centre opens
    // the fingers to ±2.5 cm, so the finger boxes span x0 ± [2.5, 3.5] cm across the whole height of the approach.
    const place = (index: MeshIndex, x: number, y: number, name: string, z = 0.03): PlacedMesh => ({
      index,
      toWorld: new RigidTransform(undefined, [x, y, z], 'object', 'world'),
      name,
    });
    const grasp = topDown([0, 0, 0.015]);
    const neighbour = new MeshIndex(boxMesh(0.02, 0.02, 0.06));
    const check = (scene: PlacedMesh[]) =>
      checkGripperCollision(tall, grasp, DEFAULT_GRIPPER, tableFromObject, obstaclesAround(scene, 0));

    it('a box standing inside a finger sweep collides; the same box farther out, or off the sweep, does not', () => {
      // Neighbour 2 × 2 cm centred 4 cm along +x: it spans x 3–5 cm, overlapping finger 2's 2.5–3.5 cm.
      expect(check([place(tall, 0, 0, 'grasped'), place(neighbour, 0.04, 0, 'box')])).toEqual({
        collisionFree: false,
        hit: 'finger2 hits box',
      });
      // At 4.6 cm it spans 3.6–5.6 cm: 1 mm clear of the finger.
      expect(check([place(tall, 0, 0, 'grasped'), place(neighbour, 0.046, 0, 'box')])).toEqual({ collisionFree: true });
      // Beside the grasped box along y (the fingers' width is ±1 cm in y): 2.1 cm off is clear, 1.9 cm is not.
      expect(check([place(tall, 0, 0, 'grasped'), place(neighbour, 0.03, 0.021, 'box')]).collisionFree).toBe(true);
      expect(check([place(tall, 0, 0, 'grasped'), place(neighbour, 0.03, 0.019, 'box')]).collisionFree).toBe(false);
    });

    it('a low neighbour under the fingertips collides only when it rises to them', () => {
      // The fingertips reach 1 cm below the grasp centre: 1.5 − 1 = 0.5 cm above the box's centre, 3.5 cm over the floor.
      const low = new MeshIndex(boxMesh(0.02, 0.02, 0.03));
      expect(check([place(tall, 0, 0, 'grasped'), place(low, 0.03, 0, 'low', 0.015)]).collisionFree).toBe(true);
      const higher = new MeshIndex(boxMesh(0.02, 0.02, 0.04));
      expect(check([place(tall, 0, 0, 'grasped'), place(higher, 0.03, 0, 'higher', 0.02)]).collisionFree).toBe(false);
    });

    it("the bin's walls: a box against a wall cannot be grasped across toward it, along it it can", () => {
      const walls = new MeshIndex(binWallsMesh(DEFAULT_BIN));
      const x0 = DEFAULT_BIN.halfX - 0.02; // the box's side 5 mm from the wall's inner face
      const scene = [place(tall, x0, 0, 'grasped'), place(walls, 0, 0, 'bin walls', 0)];
      expect(checkGripperCollision(tall, grasp, DEFAULT_GRIPPER, tableFromObject, obstaclesAround(scene, 0))).toEqual({
        collisionFree: false,
        hit: 'finger2 hits bin walls',
      });
      const along = topDown([0, 0, 0.015], 0.05, [0, 1, 0]);
      expect(
        checkGripperCollision(tall, along, DEFAULT_GRIPPER, tableFromObject, obstaclesAround(scene, 0)).collisionFree,
      ).toBe(true);
    });

    it('labels: a robust grasp becomes label 0 with a neighbour in the way, and only then', () => {
      const object = new GraspableObject(boxMesh(0.03, 0.03, 0.06), DEFAULT_GRIPPER);
      const options = { seed: 3, noise: { samples: 8 }, tableFromObject, skipRobustWhenColliding: true };
      const alone = object.label(grasp, options);
      expect(alone.collisionFree).toBe(true);
      expect(alone.robustFerrariCanny).toBeGreaterThan(0.002);
      const obstacles = obstaclesAround([place(tall, 0, 0, 'grasped'), place(neighbour, 0.04, 0, 'box')], 0);
      const crowded = object.label(grasp, { ...options, obstacles });
      expect(crowded).toEqual({ ...alone, collisionFree: false, robustFerrariCanny: 0 });
    });
  });
});
