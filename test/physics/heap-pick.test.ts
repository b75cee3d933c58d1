import { describe, expect, it } from 'vitest';
import { boxMesh } from '../../src/geometry/primitives.js';
import { RigidTransform } from '../../src/geometry/rigid-transform.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { DEFAULT_GRIPPER, DEFAULT_SUCTION_GRIPPER } from '../../src/grasp/gripper.js';
import { approachAngleToward } from '../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { settleHeap } from '../../src/physics/heap-drop.js';
import { pickFromHeap, type WorldGrasp } from '../../src/physics/heap-pick.js';

// Two 3 × 4 × 3 cm boxes on the bin's floor, 12 cm apart along x: A at x = −6 cm, B at x = +6 cm.
const box = boxMesh(0.03, 0.04, 0.03);
const meshes = [box, box];
const at = (x: number) => new RigidTransform(undefined, [x, 0, 0.015], 'object', 'world');
const poses = [at(-0.06), at(0.06)];

/** Jaws closing along world x, approaching straight down, centred at `center`. */
function jaws(center: Vec3): WorldGrasp {
  const axis: Vec3 = [1, 0, 0];
  return {
    gripper: DEFAULT_GRIPPER,
    grasp: { center, axis, width: DEFAULT_GRIPPER.maxWidth, approachAngle: approachAngleToward(axis, [0, 0, -1]) },
  };
}

const cup = (point: Vec3): WorldGrasp => ({
  gripper: DEFAULT_SUCTION_GRIPPER,
  grasp: { point, approach: [0, 0, -1] },
});

const pick = (grasp: WorldGrasp) => pickFromHeap({ meshes, poses, pick: grasp, friction: 0.5, seed: 4 });

describe('pickFromHeap', () => {
  it('lifts the box the jaws close on and leaves the other on the floor where it was', async () => {
    const r = await pick(jaws([-0.06, 0, 0.015]));
    expect(r.verdict).toMatchObject({ success: true, reason: 'lifted' });
    expect(r.picked).toBe(0);
    // A is up in the gripper (lifted 10 cm, then held after the shake); B has not moved.
    expect(r.poses[0].translation[2]).toBeGreaterThan(0.015 + 0.05);
    const b = r.poses[1].translation;
    expect(Math.hypot(b[0] - 0.06, b[1], b[2] - 0.015)).toBeLessThan(0.002);
  });

  it('picks box B when the grasp is on B: the index follows the object, not the order', async () => {
    const r = await pick(jaws([0.06, 0, 0.015]));
    expect(r.picked).toBe(1);
    expect(r.poses[0].translation[2]).toBeCloseTo(0.015, 2);
  });

  it('fails in empty space, with nothing picked and the heap unmoved', async () => {
    const r = await pick(jaws([0, 0.08, 0.015]));
    expect(r.verdict).toMatchObject({ success: false, reason: 'missed' });
    expect(r.picked).toBeNull();
    for (const [i, p] of r.poses.entries())
      expect(Math.hypot(...p.translation.map((v, k) => v - poses[i].translation[k]))).toBeLessThan(0.002);
  });

  it('seals the cup on the flat top of box A and lifts it; over the bare floor it does not seal', async () => {
    const top = await pick(cup([-0.06, 0, 0.03]));
    expect(top.verdict).toMatchObject({ success: true, reason: 'lifted' });
    expect(top.picked).toBe(0);
    // The floor is flat, but no object: the cup presses on the bin and holds nothing.
    const floor = await pick(cup([0, 0.08, 0]));
    expect(floor.verdict.success).toBe(false);
    expect(floor.verdict.reason).toBe('no seal');
    expect(floor.picked).toBeNull();
  });

  it('is deterministic: the same input gives the same outcome and poses', async () => {
    const a = await pick(jaws([-0.06, 0, 0.015]));
    const b = await pick(jaws([-0.06, 0, 0.015]));
    expect({ ...a.verdict, wallMs: 0 }).toEqual({ ...b.verdict, wallMs: 0 });
    expect(a.poses.map((p) => p.translation)).toEqual(b.poses.map((p) => p.translation));
  });
});

describe('settleHeap', () => {
  it('lets a box placed in the air fall to the floor and reports one placed outside the bin', async () => {
    const air = new RigidTransform(undefined, [0, 0, 0.05], 'object', 'world');
    const outside = new RigidTransform(undefined, [0.3, 0, 0.015], 'object', 'world');
    const r = await settleHeap([box, box], [air, outside]);
    expect(r.settled).toBe(true);
    // Resting on its 3 × 4 face: the centre 1.5 cm above the floor, where it fell (straight down, no push sideways).
    expect(r.objects[0].pose.translation[2]).toBeCloseTo(0.015, 3);
    expect(Math.hypot(r.objects[0].pose.translation[0], r.objects[0].pose.translation[1])).toBeLessThan(0.001);
    expect(r.objects[0].removed).toBeUndefined();
    expect(r.objects[1].removed).toBe('left the bin');
  });
});
