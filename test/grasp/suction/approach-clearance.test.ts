// The suction tool's approach against other meshes: a box over the target blocks it, one beside the tool's box does
// not, and the table blocks an approach from below.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { RigidTransform } from '../../../src/geometry/rigid-transform.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../../src/grasp/gripper.js';
import { obstaclesAround, type PlacedMesh } from '../../../src/grasp/obstacles.js';
import { suctionApproachBlocked } from '../../../src/grasp/suction/approach-clearance.js';
import { suctionGrasp } from '../../../src/grasp/suction/suction-grasp.js';

const cup = DEFAULT_SUCTION_GRIPPER; // ring radius 7.5 mm
// The grasped 4 × 4 × 4 cm box rests on the floor at the origin; the cup comes straight down onto its top centre.
const grasped = new MeshIndex(boxMesh(0.04, 0.04, 0.04));
const onFloor = new RigidTransform(undefined, [0, 0, 0.02], 'object', 'world');
const down = suctionGrasp([0, 0, 0.02], [0, 0, -1]);
const slab = new MeshIndex(boxMesh(0.02, 0.02, 0.005));
const at = (index: MeshIndex, p: [number, number, number], name: string): PlacedMesh => ({
  index,
  toWorld: new RigidTransform(undefined, p, 'object', 'world'),
  name,
});
const blocked = (scene: PlacedMesh[], grasp = down) =>
  suctionApproachBlocked(grasp, cup, obstaclesAround(scene, 0), onFloor);

describe('suction approach clearance', () => {
  it('is clear with nothing around, and an object resting over the target blocks it', () => {
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped')])).toBeNull();
    // A 2 × 2 cm slab 5 cm above the top, over the target: in the tool's way 10 cm back along the approach.
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped'), at(slab, [0, 0, 0.0925], 'slab')])).toBe('slab');
    // Beyond the tool's 10 cm it is not.
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped'), at(slab, [0, 0, 0.15], 'slab')])).toBeNull();
  });

  it("a neighbour beside the tool's box is clear; one reaching into the ring's footprint is not", () => {
    // Slab 1 × 1 cm wide, standing 1 cm above the target: its inner side at 8 mm from the axis clears the 7.5 mm box,
    // at 7 mm it does not.
    const post = new MeshIndex(boxMesh(0.01, 0.01, 0.01));
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped'), at(post, [0.013, 0, 0.045], 'post')])).toBeNull();
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped'), at(post, [0.012, 0, 0.045], 'post')])).toBe('post');
    // A neighbour that only touches the grasped box's top, 1 mm high, stays under the 2 mm tolerance.
    const sheet = new MeshIndex(boxMesh(0.02, 0.02, 0.001));
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped'), at(sheet, [0, 0.01, 0.0405], 'sheet')])).toBeNull();
  });

  it('an approach from below runs the tool into the table', () => {
    const up = suctionGrasp([0, 0, -0.02], [0, 0, 1]);
    expect(blocked([at(grasped, [0, 0, 0.02], 'grasped')], up)).toBe('table');
  });
});
