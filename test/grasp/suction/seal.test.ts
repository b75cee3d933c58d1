// The compliant seal model against shapes whose answer is known: flat faces, edges, corners, big and thin curves,
// a slot under the cup and a pin inside it.
import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { createMesh, type Mesh } from '../../../src/geometry/mesh.js';
import { translateMesh } from '../../../src/geometry/mesh-properties.js';
import { boxMesh, cylinderMesh, icosphereMesh } from '../../../src/geometry/primitives.js';
import { axisAngleToMat3, normalize, type Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_SUCTION_GRIPPER } from '../../../src/grasp/gripper.js';
import { SuctionSeal } from '../../../src/grasp/suction/seal.js';

const cup = DEFAULT_SUCTION_GRIPPER;
const sealOn = (mesh: Mesh, options = {}) => new SuctionSeal(new MeshIndex(mesh), cup, options);

/** Several closed meshes as one (separate shells). */
function union(...meshes: Mesh[]): Mesh {
  const v: number[] = [],
    t: number[] = [];
  for (const m of meshes) {
    const base = v.length / 3;
    v.push(...m.vertices);
    for (const i of m.triangles) t.push(base + i);
  }
  return createMesh(v, t);
}

describe('suction seal', () => {
  const box = sealOn(boxMesh(0.04, 0.06, 0.03));

  it('seals on the centre of a flat face with no strain, the apex h behind the ring', () => {
    expect(box.seal([0, 0, 0.015], [0, 0, -1])).toBeNull();
    expect(box.maxStrain).toBeCloseTo(0, 9);
    expect(box.apexDepth).toBeCloseTo(-cup.height, 6);
  });

  it('seals on a face tilted by less than the apex springs allow, not beyond', () => {
    // On a plane tilted by α the ring depths are r·tanα·cos θ; the apex spring to the deepest vertex has length
    // √(r² + (h + r tanα)²) against a rest length √(r² + h²):
    // 10 % at tanα = (√(1.21(r²+h²) − r²) − h) / r.
    const r = cup.radius,
      h = cup.height;
    const limit = Math.atan((Math.sqrt(1.21 * (r * r + h * h) - r * r) - h) / r); // ≈ 13.9° for r = 7.5, h = 15 mm
    for (const [alpha, seals] of [
      [limit - 0.02, true],
      [limit + 0.02, false],
    ] as const) {
      const approach: Vec3 = [Math.sin(alpha), 0, -Math.cos(alpha)];
      const result = box.seal([0, 0, 0.015], approach);
      expect(result === null).toBe(seals);
      if (!seals) expect(result).toBe('spring-strain');
    }
  });

  it('does not seal on an edge or a corner, straight or bisecting', () => {
    expect(box.seal([0.02, 0, 0.015], [0, 0, -1])).toBe('ring-off-object');
    expect(box.seal([0.02, 0, 0.015], normalize([-1, 0, -1]))).toBe('spring-strain');
    expect(box.seal([0.02, 0.03, 0.015], normalize([-1, -1, -1]))).toBe('spring-strain');
    // Just inside the edge, with a quarter of the ring hanging over it.
    expect(box.seal([0.02 - 0.5 * cup.radius, 0, 0.015], [0, 0, -1])).toBe('ring-off-object');
  });

  it('seals anywhere on a sphere much larger than the cup, along the inward normal', () => {
    const sphere = sealOn(icosphereMesh(0.1, 5));
    for (const d of [
      [0, 0, 1],
      [1, 2, 3],
      [-3, 1, -1],
      [0.2, -1, 0.4],
    ] as Vec3[]) {
      const n = normalize(d);
      expect(sphere.seal([0.1 * n[0], 0.1 * n[1], 0.1 * n[2]], [-n[0], -n[1], -n[2]])).toBeNull();
      expect(sphere.maxStrain).toBeLessThan(0.01);
    }
  });

  it('does not seal on a cylinder thinner than the cup, end-on or side-on', () => {
    const rod = sealOn(cylinderMesh(0.005, 0.05));
    expect(rod.seal([0, 0, 0.025], [0, 0, -1])).toBe('ring-off-object');
    expect(rod.seal([0.005, 0, 0], [-1, 0, 0])).not.toBeNull();
    expect(rod.seal([0, 0.005, 0.01], [0, -1, 0])).not.toBeNull();
  });

  it('finds a hole: a 4 mm slot between two blocks, under the cup but clear of the ring vertices', () => {
    const left = translateMesh(boxMesh(0.03, 0.04, 0.02), [-0.017, 0, 0]);
    const right = translateMesh(boxMesh(0.03, 0.04, 0.02), [0.017, 0, 0]);
    // Ring vertices at 22.5° + k·45° stay ≥ 2.9 mm from the slot's axis; the centre and two rim chords cross it.
    const ref = axisAngleToMat3([0, 0, 1], Math.PI / 8);
    const slotted = sealOn(union(left, right), { tangentFrame: ref });
    expect(slotted.projectRing([0, 0, 0.01], [0, 0, -1])).toBeNull();
    expect(slotted.seal([0, 0, 0.01], [0, 0, -1])).toBe('hole');
    // The same blocks closed up seal.
    expect(sealOn(boxMesh(0.064, 0.04, 0.02), { tangentFrame: ref }).seal([0, 0, 0.01], [0, 0, -1])).toBeNull();
  });

  it('detects the cone hitting a pin that stands inside the ring taller than the cup', () => {
    const base = boxMesh(0.04, 0.04, 0.02);
    const pin = (height: number) => translateMesh(boxMesh(0.001, 0.001, height), [0, 0, 0.01 + height / 2]);
    // The cone's apex is h = 15 mm above the face: a 20 mm pin cuts it, a 5 mm pin fits inside the cup.
    expect(sealOn(union(base, pin(0.02))).seal([0, 0, 0.01], [0, 0, -1])).toBe('cone-collision');
    expect(sealOn(union(base, pin(0.005))).seal([0, 0, 0.01], [0, 0, -1])).toBeNull();
  });

  it('sees what is in the way: a block above half the ring stops it, one above all of it is the face', () => {
    const base = boxMesh(0.04, 0.04, 0.02);
    const cover = translateMesh(boxMesh(0.04, 0.04, 0.005), [-0.01, 0, 0.04]);
    expect(sealOn(union(base, cover)).seal([0, 0, 0.01], [0, 0, -1])).toBeNull();
    const roof = translateMesh(boxMesh(0.04, 0.04, 0.005), [0.02, 0, 0.04]);
    expect(sealOn(union(base, roof)).seal([0, 0, 0.01], [0, 0, -1])).toBe('spring-strain');
  });
});
