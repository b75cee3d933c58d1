import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { createMesh } from '../../../src/geometry/mesh.js';
import { boxMesh } from '../../../src/geometry/primitives.js';
import { RigidTransform } from '../../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, type Vec3 } from '../../../src/geometry/vector.js';
import { closeJaws } from '../../../src/grasp/parallel-jaw/contacts.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import {
  approachAngleToward,
  approachDirection,
  type ParallelJawGrasp,
} from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

const cube = new MeshIndex(boxMesh(0.04, 0.04, 0.04));
const grasp = (center: Vec3, axis: Vec3, width = 0.05): ParallelJawGrasp => ({ center, axis, width, approachAngle: 0 });
const RAYS = { model: 'rays' } as const;
const near = (a: number[], b: number[], digits = 6) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

describe('closeJaws', () => {
  it('pinching a cube through its centre touches the two opposite faces', () => {
    const r = closeJaws(cube, grasp([0, 0, 0], [1, 0, 0]), DEFAULT_GRIPPER, RAYS);
    if (!r.ok) throw new Error(r.reason);
    near(r.contacts[0].point, [-0.02, 0, 0]);
    near(r.contacts[1].point, [0.02, 0, 0]);
    near(r.contacts[0].inwardNormal, [1, 0, 0]);
    near(r.contacts[1].inwardNormal, [-1, 0, 0]);
    near(r.contacts[0].approachDirection, [1, 0, 0]);
    expect(r.closedWidth).toBeCloseTo(0.04, 6);
  });

  it('an off-centre pinch still lands on the faces, at the pad centre', () => {
    const r = closeJaws(cube, grasp([0, 0.01, -0.005], [1, 0, 0]), DEFAULT_GRIPPER, RAYS);
    if (!r.ok) throw new Error(r.reason);
    near(r.contacts[0].point, [-0.02, 0.01, -0.005]);
  });

  it('reports a miss instead of inventing a contact', () => {
    const r = closeJaws(cube, grasp([0, 0.2, 0], [1, 0, 0]), DEFAULT_GRIPPER);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/misses/);
  });

  it('reports a jaw that starts inside an object wider than the opening', () => {
    const r = closeJaws(cube, grasp([0, 0, 0], [1, 0, 0], 0.03), DEFAULT_GRIPPER);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/inside/);
  });

  it('the pad touches a protruding edge first, not the line of action (footprint)', () => {
    // A cube turned 45° about z shows the jaw a vertical edge; move the line of action 6 mm off it:
    // the central ray hits a slanted face later, the pad's ring reaches the edge region first.
    const diamond = new MeshIndex(rotated(boxMesh(0.03, 0.03, 0.03), axisAngleToMat3([0, 0, 1], Math.PI / 4)));
    const r = closeJaws(diamond, grasp([0, 0.006, 0], [1, 0, 0]), DEFAULT_GRIPPER, RAYS);
    const lineOnly = closeJaws(diamond, grasp([0, 0.006, 0], [1, 0, 0]), DEFAULT_GRIPPER, { footprintRays: 0 });
    if (!r.ok || !lineOnly.ok) throw new Error('expected contacts');
    expect(r.closedWidth).toBeGreaterThan(lineOnly.closedWidth + 0.004);
  });

  it('moving the object and the grasp together moves the contacts with them', () => {
    const T = new RigidTransform(axisAngleToMat3([1, 2, 3], 0.7), [0.3, -0.1, 0.5], 'object', 'world');
    const moved = new MeshIndex(rotated(boxMesh(0.04, 0.03, 0.05), T.rotation, T.translation));
    const base = closeJaws(
      new MeshIndex(boxMesh(0.04, 0.03, 0.05)),
      grasp([0.003, 0.002, 0.01], [1, 0, 0]),
      DEFAULT_GRIPPER,
    );
    // The approach turns with the object too (the pad's face depends on it).
    const axis2 = T.applyToDirection([1, 0, 0]);
    const g2 = {
      ...grasp(T.applyToPoint([0.003, 0.002, 0.01]), axis2),
      approachAngle: approachAngleToward(axis2, T.applyToDirection(approachDirection(grasp([0, 0, 0], [1, 0, 0])))),
    };
    const r = closeJaws(moved, g2, DEFAULT_GRIPPER);
    if (!base.ok || !r.ok) throw new Error('expected contacts');
    for (let k = 0; k < 2; k++) {
      near(r.contacts[k].point, T.applyToPoint(base.contacts[k].point), 5);
      near(r.contacts[k].inwardNormal, T.applyToDirection(base.contacts[k].inwardNormal), 5);
    }
  });
});

function rotated(mesh: { vertices: Float32Array; triangles: Uint32Array }, r: number[], t: Vec3 = [0, 0, 0]) {
  const v = Float64Array.from(mesh.vertices);
  new RigidTransform(r as never, t).applyToPoints(v);
  return createMesh(v, mesh.triangles);
}
