import { describe, expect, it } from 'vitest';
import { boxMesh, icosphereMesh, torusMesh, uChannelMesh } from '../../src/geometry/primitives.js';
import { stablePoses } from '../../src/geometry/stable-poses.js';
import { convexPieces } from '../../src/physics/convex-pieces.js';
import { createMesh } from '../../src/geometry/mesh.js';
import { massProperties } from '../../src/geometry/mesh-properties.js';
import { DEFAULT_GRIPPER } from '../../src/grasp/gripper.js';
import { graspSceneMjcf, SCENE_NAMES, type GraspSceneOptions } from '../../src/physics/mjcf.js';
import { compileMjcf, loadMujoco, mujocoVersion, withSimulation } from '../../src/physics/mujoco-runtime.js';
import { supportPoints } from '../../src/physics/support-points.js';
import { restingOnTable, topDownGrasp } from '../evaluate/scenes.js';

const OPTIONS: GraspSceneOptions = {
  density: 700,
  gripForce: 5,
  timestep: 0.002,
  solverIterations: 30,
  preGraspDistance: 0.1,
  noslipIterations: 2,
};

describe('supportPoints', () => {
  it('keeps exactly the 8 corners of a box', () => {
    const points = supportPoints(boxMesh(0.04, 0.02, 0.06));
    expect(points.length).toBe(24);
    for (let i = 0; i < points.length; i += 3)
      expect([Math.abs(points[i]), Math.abs(points[i + 1]), Math.abs(points[i + 2])]).toEqual(
        [0.02, 0.01, 0.03].map(Math.fround),
      );
  });

  it('picks at most one vertex per direction, all on the surface of a sphere', () => {
    const points = supportPoints(icosphereMesh(0.02, 4), 128);
    expect(points.length / 3).toBeGreaterThan(100);
    expect(points.length / 3).toBeLessThanOrEqual(128);
    for (let i = 0; i < points.length; i += 3)
      expect(Math.hypot(points[i], points[i + 1], points[i + 2])).toBeCloseTo(0.02, 6);
  });
});

describe('graspSceneMjcf', () => {
  it('builds a model MuJoCo compiles, with the object mass from volume × density', async () => {
    const mujoco = await loadMujoco();
    expect(await mujocoVersion()).toMatch(/^3\.\d+\.\d+/);
    const mesh = torusMesh(0.03, 0.012, 60, 30);
    const t = restingOnTable(mesh);
    const scene = graspSceneMjcf(
      {
        mesh,
        objectToWorld: t,
        grasp: topDownGrasp(t, [0.03, 0, 0], [1, 0, 0]),
        friction: 0.4,
        gripper: DEFAULT_GRIPPER,
      },
      OPTIONS,
    );
    const model = compileMjcf(mujoco, scene.xml);
    withSimulation(mujoco, model, (data) => {
      expect(model.nu).toBe(SCENE_NAMES.actuators.length);
      expect(model.nsensor).toBe(SCENE_NAMES.sensors.length);
      const body = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, SCENE_NAMES.objectBody);
      // The solid mesh's volume (not its hull's); a torus holds 2π²Rr², the 60×30 polygon mesh ~1 % less.
      const mass = (model.body_mass as Float64Array)[body];
      expect(mass).toBeCloseTo(massProperties(mesh).volume * 700, 9);
      expect(Math.abs(mass / (2 * Math.PI ** 2 * 0.03 * 0.012 ** 2 * 700) - 1)).toBeLessThan(0.02);
      expect(scene.objectMass).toBeCloseTo(mass, 9);
      mujoco.mj_forward(model, data);
      // The object starts where objectToWorld puts it: its centre of mass at the resting height.
      const com = t.applyToPoint(scene.objectCenterOfMass);
      const xipos = data.xipos as Float64Array;
      expect(
        [xipos[3 * body], xipos[3 * body + 1], xipos[3 * body + 2]]
          .map((v, k) => v - com[k])
          .every((d) => Math.abs(d) < 1e-9),
      ).toBe(true);
    });
  });

  it('gives a convex object one geom, and a non-convex one its hull for the table plus the pieces near the gripper', async () => {
    const mujoco = await loadMujoco();
    const geomNames = (xml: string) => [...xml.matchAll(/<geom name="(object[^"]*)"/g)].map((m) => m[1]);
    const box = boxMesh(0.04, 0.04, 0.04);
    const onTable = restingOnTable(box);
    const boxScene = graspSceneMjcf(
      {
        mesh: box,
        objectToWorld: onTable,
        grasp: topDownGrasp(onTable, [0, 0, 0], [1, 0, 0]),
        friction: 0.5,
        gripper: DEFAULT_GRIPPER,
      },
      OPTIONS,
    );
    expect(geomNames(boxScene.xml)).toEqual(['object_hull']);

    const channel = uChannelMesh(0.07, 0.05, 0.01, 0.04);
    const t = restingOnTable(channel, { pose: stablePoses(channel).findIndex((p) => p.facetNormal[1] < -0.999) });
    const scene = graspSceneMjcf(
      {
        mesh: channel,
        objectToWorld: t,
        grasp: topDownGrasp(t, [-0.03, 0.01, 0], [1, 0, 0]),
        friction: 0.5,
        gripper: DEFAULT_GRIPPER,
      },
      OPTIONS,
    );
    const names = geomNames(scene.xml);
    expect(names[0]).toBe('object_hull');
    // Pieces of the far wall (x > 0.02) are left out: the gripper works at the near wall (and the base under it).
    expect(names.length - 1).toBeGreaterThanOrEqual(2);
    expect(names.length - 1).toBeLessThan(convexPieces(channel).length);
    const model = compileMjcf(mujoco, scene.xml);
    withSimulation(mujoco, model, () => {
      const contype = model.geom_contype as Int32Array,
        conaffinity = model.geom_conaffinity as Int32Array;
      const id = (name: string) => mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM.value, name);
      const collide = (a: string, b: string) =>
        ((contype[id(a)] & conaffinity[id(b)]) | (contype[id(b)] & conaffinity[id(a)])) !== 0;
      expect(collide('object_hull', 'table')).toBe(true);
      expect(collide('object_hull', 'finger1')).toBe(false);
      expect(collide(names[1], 'finger1')).toBe(true);
      expect(collide(names[1], 'table')).toBe(false);
      expect(collide('finger1', 'table')).toBe(true);
      expect(collide('finger1', 'finger2')).toBe(false);
    });
  });

  it('names the problem with an empty or open mesh and a bad friction', () => {
    const box = boxMesh(0.04, 0.04, 0.04);
    const t = restingOnTable(box);
    const input = {
      mesh: box,
      objectToWorld: t,
      grasp: topDownGrasp(t, [0, 0, 0], [1, 0, 0]),
      friction: 0.5,
      gripper: DEFAULT_GRIPPER,
    };
    expect(() => graspSceneMjcf({ ...input, mesh: createMesh([], []) }, OPTIONS)).toThrow(
      /^graspScene: the mesh is empty/,
    );
    const insideOut = createMesh(box.vertices, box.triangles.slice().reverse());
    expect(() => graspSceneMjcf({ ...input, mesh: insideOut }, OPTIONS)).toThrow(
      /^graspScene: the mesh encloses no volume/,
    );
    expect(() => graspSceneMjcf({ ...input, friction: NaN }, OPTIONS)).toThrow(/^graspScene: friction/);
  });

  it('reports a model MuJoCo rejects', async () => {
    const mujoco = await loadMujoco();
    expect(() => compileMjcf(mujoco, '<mujoco><worldbody><geom type="nonsense"/></worldbody></mujoco>')).toThrow(
      /^mjcf: MuJoCo rejected the model/,
    );
  });
});
