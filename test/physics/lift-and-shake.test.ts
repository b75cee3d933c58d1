import { describe, expect, it } from 'vitest';
import { createMesh, type Mesh } from '../../src/geometry/mesh.js';
import { boxMesh, cylinderMesh, extrudePolygon, icosphereMesh, uChannelMesh } from '../../src/geometry/primitives.js';
import { stablePoses } from '../../src/geometry/stable-poses.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { GraspableObject } from '../../src/grasp/parallel-jaw/grasp-labels.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { judgeGraspPhysics, simulateWithRetry, type PhysicsGraspInput } from '../../src/physics/lift-and-shake.js';
import { inObjectFrame, restingOnTable, topDownGrasp } from '../evaluate/scenes.js';

const X: Vec3 = [1, 0, 0];
const Y: Vec3 = [0, 1, 0];

/** The 4 cm box resting on the table off the origin and turned, grasped top-down across two faces. */
function boxTrial(offsetAlongPad: number, friction: number): PhysicsGraspInput {
  const mesh = boxMesh(0.04, 0.04, 0.04);
  const objectToWorld = restingOnTable(mesh, { x: 0.05, y: -0.03, yaw: 0.4 });
  // The pads are 2 cm wide along the table direction perpendicular to the closing axis; moving the grasp centre
  // that way makes them overlap the box less.
  const axis = inObjectFrame(objectToWorld, [Math.cos(0.4), Math.sin(0.4), 0]);
  const along = inObjectFrame(objectToWorld, [-Math.sin(0.4), Math.cos(0.4), 0]);
  const center: Vec3 = [along[0] * offsetAlongPad, along[1] * offsetAlongPad, along[2] * offsetAlongPad];
  return { mesh, objectToWorld, grasp: topDownGrasp(objectToWorld, center, axis), friction, seed: 1 };
}

describe('judgeGraspPhysics', () => {
  it('lifts a 4 cm box grasped through its centre along a face normal (μ = 0.5)', async () => {
    const verdict = await judgeGraspPhysics(boxTrial(0, 0.5));
    expect(verdict).toMatchObject({ success: true, reason: 'lifted' });
    expect(verdict.liftedHeight).toBeGreaterThan(0.095);
    expect(verdict.simSeconds).toBeGreaterThan(2);
  });

  it('drops the same box when the jaws barely catch its edge and friction is low (μ = 0.05)', async () => {
    // The 2 cm pads overlap the box by 1.5 mm, 2.85 cm from its centre of mass.
    const verdict = await judgeGraspPhysics(boxTrial(0.0285, 0.05));
    expect(verdict.success).toBe(false);
    expect(['dropped', 'slipped', 'missed']).toContain(verdict.reason);
    expect(verdict.liftedHeight).toBeLessThan(0.05);
  });

  it('lifts a sphere grasped through its centre and a cylinder lying on its side grasped across its middle', async () => {
    const sphere = icosphereMesh(0.02, 3);
    const onTable = restingOnTable(sphere, { x: -0.02, y: 0.04 });
    const sphereVerdict = await judgeGraspPhysics({
      mesh: sphere,
      objectToWorld: onTable,
      grasp: topDownGrasp(onTable, [0, 0, 0], inObjectFrame(onTable, Y)),
      friction: 0.5,
      seed: 2,
    });
    expect(sphereVerdict).toMatchObject({ success: true, reason: 'lifted' });

    const cylinder = cylinderMesh(0.015, 0.08, 32);
    const lying = restingOnTable(cylinder, { pose: cylinderPose(cylinder, false), yaw: 1.1 });
    // Across the cylinder: horizontal and perpendicular to its axis (object z).
    const axisOnTable = lying.applyToDirection([0, 0, 1]);
    const across = inObjectFrame(lying, [-axisOnTable[1], axisOnTable[0], 0]);
    const cylinderVerdict = await judgeGraspPhysics({
      mesh: cylinder,
      objectToWorld: lying,
      grasp: topDownGrasp(lying, [0, 0, 0], across),
      friction: 0.5,
      seed: 3,
    });
    expect(cylinderVerdict).toMatchObject({ success: true, reason: 'lifted' });
    expect(cylinderVerdict.liftedHeight).toBeGreaterThan(0.09);
  });

  it('grasps a U-channel wall with one finger inside the channel (convex pieces, not the filled hull)', async () => {
    const verdict = await judgeGraspPhysics(uChannelWallTrial());
    expect(verdict).toMatchObject({ success: true, reason: 'lifted' });
  });

  it('closes on a narrow box lying wholly beyond the centre line: the near finger pushes it onto the far one', async () => {
    // Each finger's slide stops at the centre line (its joint range). A 1 cm box standing 7–17 mm past it on jaw 2's
    // side: jaw 1 reaches the line and waits; jaw 2 pushes the box 7 mm across the table against it, and both press.
    const mesh = boxMesh(0.01, 0.04, 0.03);
    const pose = stablePoses(mesh).findIndex((p) => Math.abs(p.facetNormal[2]) > 0.999);
    const objectToWorld = restingOnTable(mesh, { pose, x: 0.03, y: 0.01, yaw: 0.3 });
    const grasp = topDownGrasp(objectToWorld, [-0.012, 0, 0.005], [1, 0, 0]);
    const verdict = await judgeGraspPhysics({ mesh, objectToWorld, grasp, friction: 0.5, seed: 1 });
    expect(verdict).toMatchObject({ success: true, reason: 'lifted' });
  });

  it('squeezes a 90° wedge out of the jaws: its faces lie 45° off the closing axis, outside the friction cone', async () => {
    // Top view: a triangle with its apex on +x, extruded 2 cm up; the 2 cm pads close along y over x = −2…18 mm.
    const mesh = extrudePolygon(
      [
        [0.02, 0],
        [-0.02, 0.04],
        [-0.02, -0.04],
      ],
      0.02,
    );
    const pose = stablePoses(mesh).findIndex((p) => Math.abs(p.facetNormal[2]) > 0.999);
    const objectToWorld = restingOnTable(mesh, { pose, x: -0.02, y: 0.03, yaw: 0.7 });
    const grasp = topDownGrasp(objectToWorld, [0.008, 0, 0.005], [0, 1, 0]);
    const verdict = await judgeGraspPhysics({ mesh, objectToWorld, grasp, friction: 0.5, seed: 1 });
    expect(verdict).toMatchObject({ success: false, reason: 'squeezed out' });
  });

  it('is deterministic: the same input gives the same verdict and lifted height', async () => {
    const a = await judgeGraspPhysics(boxTrial(0.012, 0.3));
    const b = await judgeGraspPhysics(boxTrial(0.012, 0.3));
    expect({ ...a, wallMs: 0 }).toEqual({ ...b, wallMs: 0 });
  });

  it('stops on contact during the approach', async () => {
    // A 6 cm box does not fit in the 5 cm opening: a finger lands on it.
    const mesh = boxMesh(0.06, 0.03, 0.03);
    const objectToWorld = restingOnTable(mesh);
    expect(Math.abs(inObjectFrame(objectToWorld, [0, 0, 1])[0])).toBeLessThan(1e-6); // its 6 cm side lies flat
    const verdict = await judgeGraspPhysics({
      mesh,
      objectToWorld,
      grasp: topDownGrasp(objectToWorld, [0, 0, 0], X),
      friction: 0.5,
      seed: 1,
    });
    expect(verdict).toMatchObject({
      success: false,
      reason: 'collision on approach',
      liftedHeight: expect.any(Number),
    });
  });

  it('rejects a non-finite grasp and an empty mesh with clear errors', async () => {
    const trial = boxTrial(0, 0.5);
    await expect(judgeGraspPhysics({ ...trial, grasp: { ...trial.grasp, center: [NaN, 0, 0] } })).rejects.toThrow(
      /^judgeGraspPhysics: .*non-finite/,
    );
    await expect(judgeGraspPhysics({ ...trial, mesh: createMesh([], []) })).rejects.toThrow(
      /^judgeGraspPhysics: the mesh is empty/,
    );
    await expect(judgeGraspPhysics({ ...trial, friction: -1 })).rejects.toThrow(/^judgeGraspPhysics: .*friction/);
  });
});

describe('analytic and physics referees', () => {
  /** Easy grasps both referees accept and impossible ones both reject; μ = 0.5, the analytic label's friction. */
  const cases: Array<{ name: string; expected: boolean; input: () => PhysicsGraspInput }> = [
    { name: 'box through its centre', expected: true, input: () => boxTrial(0, 0.5) },
    {
      name: 'sphere through its centre',
      expected: true,
      input: () => {
        const mesh = icosphereMesh(0.02, 3);
        const t = restingOnTable(mesh);
        return {
          mesh,
          objectToWorld: t,
          grasp: topDownGrasp(t, [0, 0, 0], inObjectFrame(t, X)),
          friction: 0.5,
          seed: 4,
        };
      },
    },
    {
      name: 'upright cylinder across its diameter',
      expected: true,
      input: () => {
        const mesh = cylinderMesh(0.015, 0.06, 32);
        const t = restingOnTable(mesh, { pose: cylinderPose(mesh, true) });
        const center = inObjectFrame(t, [0, 0, 0.01]); // 1 cm above the middle, so the fingertips clear the table
        return { mesh, objectToWorld: t, grasp: topDownGrasp(t, center, inObjectFrame(t, Y)), friction: 0.5, seed: 5 };
      },
    },
    { name: 'U-channel wall, a finger inside the channel', expected: true, input: uChannelWallTrial },
    {
      name: 'jaws beside the box',
      expected: false,
      input: () => boxTrial(0.045, 0.5),
    },
    {
      name: 'box wider than the opening',
      expected: false,
      input: () => {
        const mesh = boxMesh(0.06, 0.03, 0.03);
        const t = restingOnTable(mesh);
        return { mesh, objectToWorld: t, grasp: topDownGrasp(t, [0, 0, 0], X), friction: 0.5, seed: 6 };
      },
    },
    {
      name: 'grasp so low the fingertips hit the table',
      expected: false,
      input: () => {
        const mesh = boxMesh(0.04, 0.04, 0.04);
        const t = restingOnTable(mesh);
        const center = inObjectFrame(t, [0, 0, -0.016]);
        return { mesh, objectToWorld: t, grasp: topDownGrasp(t, center, inObjectFrame(t, X)), friction: 0.5, seed: 7 };
      },
    },
  ];

  for (const c of cases) {
    it(`agree on: ${c.name} (${c.expected ? 'succeeds' : 'fails'})`, async () => {
      const input = c.input();
      const object = new GraspableObject(input.mesh, DEFAULT_GRIPPER);
      const label = object.label(input.grasp, {
        seed: 11,
        noise: { samples: 25 },
        tableFromObject: input.objectToWorld,
      });
      const analytic = label.robustFerrariCanny > 0.002 && label.collisionFree;
      const physics = await judgeGraspPhysics(input);
      expect({ analytic, physics: physics.success }).toEqual({ analytic: c.expected, physics: c.expected });
    });
  }
});

/** A U-channel (profile in object xy, walls along +y) standing on its base, grasped across one 1 cm wall. */
function uChannelWallTrial(): PhysicsGraspInput {
  const mesh = uChannelMesh(0.07, 0.05, 0.01, 0.04);
  const index = stablePoses(mesh).findIndex((p) => p.facetNormal[1] < -0.999);
  const t = restingOnTable(mesh, { pose: index, yaw: 0.3 });
  return { mesh, objectToWorld: t, grasp: topDownGrasp(t, [-0.03, 0.01, 0], X), friction: 0.5, seed: 8 };
}

/** Index of the stable pose in which a cylinder (axis = object z) stands upright, or lies on its side. */
function cylinderPose(mesh: Mesh, upright: boolean): number {
  const index = stablePoses(mesh).findIndex((p) => Math.abs(p.facetNormal[2]) > 0.999 === upright);
  if (index < 0) throw new Error(`the cylinder has no ${upright ? 'upright' : 'lying'} stable pose`);
  return index;
}

describe('simulateWithRetry', () => {
  it("fails one trial with MuJoCo's words when its compiler refuses the scene, instead of throwing", async () => {
    // A mesh geom naming a mesh asset that does not exist: MuJoCo's compiler refuses it.
    const xml = '<mujoco><worldbody><geom type="mesh" mesh="missing"/></worldbody></mujoco>';
    let ran = false;
    const verdict = await simulateWithRetry('test', 0.002, () => ({
      xml,
      run: () => {
        ran = true;
        return null;
      },
    }));
    expect(ran).toBe(false);
    expect(verdict.success).toBe(false);
    expect(verdict.reason).toBe('model refused');
    expect(verdict.detail).toMatch(/^test: mjcf: MuJoCo rejected the model/);
  });
});
