// The flat-pad contact model against closed forms: a parallel face, a box edge, a tilted face (a wedge under the
// pad), a sphere's tangent point and a twisted prism's corner. The finger's inner face (DEFAULT_GRIPPER) spans
// ±1 cm across and from 3 cm above to 1 cm below the grasp centre along a top-down approach.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { createMesh, type Mesh } from '../../../src/geometry/mesh.js';
import { boxMesh, icosphereMesh } from '../../../src/geometry/primitives.js';
import { axisAngleToMat3, mat3MulVec, type Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import { closeJaws } from '../../../src/grasp/parallel-jaw/contacts.js';
import { forceClosure } from '../../../src/grasp/parallel-jaw/force-closure.js';
import { approachAngleToward, type ParallelJawGrasp } from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';

const W = 0.05;
const TOL = 0.001; // the default patch tolerance
/** Closing along +x, approaching straight down (−z): the pad's face spans y ∈ ±1 cm and z ∈ [−1, 3] cm. */
const topDown = (center: Vec3): ParallelJawGrasp => ({
  center,
  axis: [1, 0, 0],
  width: W,
  approachAngle: approachAngleToward([1, 0, 0], [0, 0, -1]),
});
const near = (a: readonly number[], b: readonly number[], digits = 6) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));
const angleToX = (n: Vec3) => (Math.acos(Math.min(1, Math.abs(n[0]))) * 180) / Math.PI;

function transformed(mesh: Mesh, r: number[], t: Vec3 = [0, 0, 0]): MeshIndex {
  const v = new Float32Array(mesh.vertices.length);
  for (let i = 0; i < v.length; i += 3) {
    const p = mat3MulVec(r as never, [mesh.vertices[i], mesh.vertices[i + 1], mesh.vertices[i + 2]]);
    v[i] = p[0] + t[0];
    v[i + 1] = p[1] + t[1];
    v[i + 2] = p[2] + t[2];
  }
  return new MeshIndex(createMesh(v, mesh.triangles));
}

/** A square prism (half-side a) whose section turns by `twist` rad per metre of height, corners at π/4 + k·π/2 + twist·z. */
function twistedPrism(a: number, height: number, twist: number, layers: number): Mesh {
  const v: number[] = [],
    f: number[] = [];
  for (let l = 0; l <= layers; l++) {
    const z = -height / 2 + (height * l) / layers;
    for (let k = 0; k < 4; k++) {
      const phi = Math.PI / 4 + (k * Math.PI) / 2 + twist * z;
      v.push(a * Math.SQRT2 * Math.cos(phi), a * Math.SQRT2 * Math.sin(phi), z);
    }
  }
  for (let l = 0; l < layers; l++)
    for (let k = 0; k < 4; k++) {
      const a0 = 4 * l + k,
        a1 = 4 * l + ((k + 1) % 4),
        b0 = a0 + 4,
        b1 = a1 + 4;
      f.push(a0, a1, b1, a0, b1, b0);
    }
  const top = 4 * layers;
  f.push(0, 2, 1, 0, 3, 2, top, top + 1, top + 2, top, top + 2, top + 3);
  return createMesh(new Float32Array(v), new Uint32Array(f));
}

describe('flat-pad contacts', () => {
  it('a parallel face: the contact is the centre of the face under the pad, the normal the pad’s', () => {
    const cube = new MeshIndex(boxMesh(0.04, 0.04, 0.04));
    const r = closeJaws(cube, topDown([0, 0, 0]), DEFAULT_GRIPPER);
    if (!r.ok) throw new Error(r.reason);
    // Face x = −0.02 under y ∈ ±0.01, z ∈ [−0.01, 0.02] (the cube's top): centre z = 0.005.
    near(r.contacts[0].point, [-0.02, 0, 0.005]);
    near(r.contacts[0].inwardNormal, [1, 0, 0], 9);
    near(r.contacts[1].inwardNormal, [-1, 0, 0], 9);
    expect(r.closedWidth).toBeCloseTo(0.04, 6);
  });

  it('a box edge under the pad: the normal is the pad’s, where triangle normals are 45° off', () => {
    // A 3 cm cube turned 45° about z: vertical edges at x = ±a√2/2 on the x axis; the line of action 6 mm aside.
    const diamond = transformed(boxMesh(0.03, 0.03, 0.03), axisAngleToMat3([0, 0, 1], Math.PI / 4) as never);
    const g = topDown([0, 0.006, 0]);
    const r = closeJaws(diamond, g, DEFAULT_GRIPPER);
    const rays = closeJaws(diamond, g, DEFAULT_GRIPPER, { model: 'rays' });
    if (!r.ok || !rays.ok) throw new Error('expected contacts');
    const edge = 0.015 * Math.SQRT2;
    expect(r.closedWidth).toBeCloseTo(2 * edge, 6);
    near(r.contacts[0].inwardNormal, [1, 0, 0], 9);
    // The 1 mm patch is a symmetric wedge about the edge, from z = −0.01 to the top at 0.015.
    near(r.contacts[0].point, [-edge + TOL / 2, 0, 0.0025], 5);
    expect(forceClosure(r.contacts[0], r.contacts[1], 0.5)).toBe(true);
    expect(angleToX(rays.contacts[0].inwardNormal)).toBeGreaterThan(20);
  });

  it('a tilted face (a wedge under the pad): the rim lands first and the normal is the face’s', () => {
    const beta = (10 * Math.PI) / 180,
      h = 0.02,
      r0 = DEFAULT_GRIPPER.fingerRadius;
    const box = transformed(boxMesh(2 * h, 2 * h, 2 * h), axisAngleToMat3([0, 0, 1], beta) as never);
    const r = closeJaws(box, topDown([0, 0, 0]), DEFAULT_GRIPPER);
    if (!r.ok) throw new Error(r.reason);
    // Face −x: −x cos β − y sin β = h; the pad's rim y = +r reaches it first, at x* = −(h + r sin β)/cos β.
    const x = -(h + r0 * Math.sin(beta)) / Math.cos(beta);
    // The +x jaw meets the opposite face at its rim y = −r, symmetrically.
    expect(r.closedWidth).toBeCloseTo(-2 * x, 6);
    near(r.contacts[0].inwardNormal, [Math.cos(beta), Math.sin(beta), 0], 6);
    // The patch is the strip within 1 mm of travel: y ∈ [r − δ/tan β, r], centroid halfway, mean depth δ/2.
    const y = r0 - TOL / (2 * Math.tan(beta));
    near(r.contacts[0].point, [x + TOL / 2, y, 0.005], 5);
  });

  it('a sphere: the tangent point, with the pad’s normal, wherever it lies on the pad', () => {
    const R = 0.02,
      e = 0.003;
    const sphere = transformed(icosphereMesh(R, 4), [1, 0, 0, 0, 1, 0, 0, 0, 1], [0, e, 0]);
    const r = closeJaws(sphere, topDown([0, 0, 0]), DEFAULT_GRIPPER);
    if (!r.ok) throw new Error(r.reason);
    near(r.contacts[0].inwardNormal, [1, 0, 0], 9);
    // Tessellation: the icosphere lies within 0.1 mm of the sphere; the cap's centroid sits at the tangent point.
    expect(Math.abs(r.closedWidth - 2 * R)).toBeLessThan(2e-4);
    expect(Math.abs(r.contacts[0].point[1] - e)).toBeLessThan(3e-4);
    expect(Math.abs(r.contacts[0].point[2])).toBeLessThan(3e-4);
  });

  it('a twisted prism: the pad meets the helical corner, pushes along its own normal, and the pinch closes', () => {
    // Corners at π/4 + kπ/2 + twist·z: with twist·0.01 = π/4 the corners point along ±x at z = 0.01, a layer height.
    const a = 0.012,
      twist = Math.PI / 4 / 0.01;
    const prism = new MeshIndex(twistedPrism(a, 0.04, twist, 40));
    const g = topDown([0, 0, 0.01]);
    const r = closeJaws(prism, g, DEFAULT_GRIPPER);
    const rays = closeJaws(prism, g, DEFAULT_GRIPPER, { model: 'rays' });
    if (!r.ok || !rays.ok) throw new Error('expected contacts');
    expect(r.closedWidth).toBeCloseTo(2 * a * Math.SQRT2, 6);
    near(r.contacts[0].inwardNormal, [1, 0, 0], 9);
    near(r.contacts[1].inwardNormal, [-1, 0, 0], 9);
    expect(Math.abs(r.contacts[0].point[1])).toBeLessThan(TOL);
    expect(Math.abs(r.contacts[0].point[2] - 0.01)).toBeLessThan(2 * TOL);
    expect(forceClosure(r.contacts[0], r.contacts[1], 0.5)).toBe(true);
    // The hit triangles beside the corner lean by about 45°: the ray model calls this pinch no force closure.
    expect(angleToX(rays.contacts[0].inwardNormal)).toBeGreaterThan(20);
  });
});
