import { describe, expect, it } from 'vitest';
import { MeshIndex } from '../../../src/geometry/bvh.js';
import { boxMesh, icosphereMesh } from '../../../src/geometry/primitives.js';
import { axisAngleToMat3, mat3MulVec, type Vec3 } from '../../../src/geometry/vector.js';
import { DEFAULT_GRIPPER } from '../../../src/grasp/gripper.js';
import {
  approachAngleToward,
  approachDirection,
  type ParallelJawGrasp,
} from '../../../src/grasp/parallel-jaw/parallel-jaw-grasp.js';
import { GraspQualityEvaluator } from '../../../src/grasp/parallel-jaw/quality.js';

const grasp = (center: Vec3, axis: Vec3): ParallelJawGrasp => ({ center, axis, width: 0.05, approachAngle: 0 });
const cube = new GraspQualityEvaluator(new MeshIndex(boxMesh(0.03, 0.03, 0.03)), [0, 0, 0], DEFAULT_GRIPPER);

describe('grasp quality on meshes', () => {
  it('a cube pinched through its centre is in force closure with ε > 0 (soft fingers)', () => {
    const q = cube.quality(grasp([0, 0, 0], [1, 0, 0]));
    expect(q.forceClosure).toBe(true);
    expect(q.ferrariCanny).toBeGreaterThan(0);
    expect(q.contactWidth).toBeCloseTo(0.03, 6);
  });

  it('hard point contacts cannot resist torsion about the grasp axis: ε = 0', () => {
    const hard = new GraspQualityEvaluator(cube.index, [0, 0, 0], DEFAULT_GRIPPER, { softFingers: false });
    const q = hard.quality(grasp([0, 0, 0], [1, 0, 0]));
    expect(q.forceClosure).toBe(true);
    expect(q.ferrariCanny).toBe(0);
  });

  it('a sphere pinched through its centre is in force closure for any μ > 0', () => {
    const sphere = new GraspQualityEvaluator(
      new MeshIndex(icosphereMesh(0.02, 4)),
      [0, 0, 0],
      DEFAULT_GRIPPER,
      {},
      { model: 'rays', footprintRays: 0 },
    );
    for (const mu of [0.05, 0.2, 0.5, 1]) {
      const q = sphere.quality(grasp([0, 0, 0], [0.6, 0.8, 0]), mu);
      expect(q.forceClosure).toBe(true);
      expect(q.ferrariCanny).toBeGreaterThan(0);
    }
  });

  it('a pinch across a cube edge (45° to the faces) fails force closure at μ = 0.5 and has ε = 0 (ray contacts)', () => {
    // The line enters through the −y face and leaves through the +x face: 45° off each normal > atan 0.5.
    const rays = new GraspQualityEvaluator(cube.index, [0, 0, 0], DEFAULT_GRIPPER, {}, { model: 'rays' });
    const q = rays.quality(grasp([0.01, -0.01, 0], [Math.SQRT1_2, Math.SQRT1_2, 0]));
    expect(q.contactsFound).toBe(true);
    expect(q.forceClosure).toBe(false);
    expect(q.ferrariCanny).toBe(0);
  });

  it('ε is unchanged when object, centre of mass and grasp move together', () => {
    const r = axisAngleToMat3([0.3, -1, 0.4], 1.1);
    const t: Vec3 = [0.2, -0.4, 0.1];
    const moved = boxMesh(0.03, 0.04, 0.05);
    const v = moved.vertices;
    for (let i = 0; i < v.length; i += 3) {
      const p = mat3MulVec(r, [v[i], v[i + 1], v[i + 2]]);
      v[i] = p[0] + t[0];
      v[i + 1] = p[1] + t[1];
      v[i + 2] = p[2] + t[2];
    }
    // Axis along y: the cone tangents follow the object x-axis, which must not be parallel to the normal.
    const g = grasp([0.004, 0.002, -0.003], [0, 1, 0]);
    const base = new GraspQualityEvaluator(
      new MeshIndex(boxMesh(0.03, 0.04, 0.05)),
      [0, 0, 0],
      DEFAULT_GRIPPER,
    ).quality(g);
    const tr = (p: Vec3): Vec3 => {
      const q = mat3MulVec(r, p);
      return [q[0] + t[0], q[1] + t[1], q[2] + t[2]];
    };
    const evaluator = new GraspQualityEvaluator(new MeshIndex(moved), t, DEFAULT_GRIPPER, {
      tangentReference: mat3MulVec(r, [1, 0, 0]),
    });
    // The approach turns with the object too (the pad's face depends on it).
    const axis = mat3MulVec(r, g.axis);
    const approachAngle = approachAngleToward(axis, mat3MulVec(r, approachDirection(g)));
    const q = evaluator.quality({ ...g, center: tr(g.center), axis, approachAngle });
    expect(base.ferrariCanny).toBeGreaterThan(0);
    expect(q.ferrariCanny).toBeCloseTo(base.ferrariCanny, 5);
  });

  it('robust ε is deterministic per seed and no better than the perfectly centred grasp on a symmetric object', () => {
    const g = grasp([0, 0, 0], [1, 0, 0]);
    const a = cube.robustFerrariCanny(g, 42);
    expect(cube.robustFerrariCanny(g, 42)).toBe(a);
    expect(cube.robustFerrariCanny(g, 43)).not.toBe(a);
    const nominal = cube.quality(g).ferrariCanny;
    expect(a).toBeGreaterThan(0);
    expect(a).toBeLessThanOrEqual(nominal + 1e-12);
    // Zero noise reproduces the nominal metric exactly.
    const still = cube.robustFerrariCanny(g, 1, {
      graspTranslationSigma: 0,
      graspRotationSigma: 0,
      objectTranslationSigma: 0,
      objectRotationSigma: 0,
      frictionSigma: 0,
      samples: 5,
    });
    expect(still).toBeCloseTo(nominal, 12);
  });

  it('a grasp that misses the object has zero quality and says why', () => {
    const q = cube.quality(grasp([0, 0.2, 0], [1, 0, 0]));
    expect(q).toMatchObject({ contactsFound: false, forceClosure: false, ferrariCanny: 0 });
    expect(q.reason).toMatch(/misses/);
  });
});
