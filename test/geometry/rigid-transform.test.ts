import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mat3ToQuaternion,
  quaternionFromAxisAngle,
  quaternionMultiply,
  quaternionToMat3,
  type Quaternion,
} from '../../src/geometry/quaternion.js';
import { RigidTransform, isRotation } from '../../src/geometry/rigid-transform.js';
import { axisAngleToMat3, mat3Mul, rotationBetween, type Vec3 } from '../../src/geometry/vector.js';

const finite = fc.double({ min: -10, max: 10, noNaN: true });
const vec = fc.tuple(finite, finite, finite);
const quat = fc
  .tuple(finite, finite, finite, finite)
  .filter((q) => Math.hypot(...q) > 1e-3)
  .map((q) => q as Quaternion);

const close = (a: number[], b: number[], tol = 1e-9) =>
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], -Math.log10(tol)));

describe('quaternions', () => {
  it('matrix → quaternion → matrix is the identity for any rotation', () => {
    fc.assert(
      fc.property(quat, (q) => {
        const m = quaternionToMat3(q);
        expect(isRotation(m, 1e-9)).toBe(true);
        close(quaternionToMat3(mat3ToQuaternion(m)), m, 1e-9);
      }),
    );
  });

  it('quaternion product matches matrix product', () => {
    fc.assert(
      fc.property(quat, quat, (a, b) => {
        close(quaternionToMat3(quaternionMultiply(a, b)), mat3Mul(quaternionToMat3(a), quaternionToMat3(b)), 1e-9);
      }),
    );
  });

  it('a quarter turn about z maps x to y', () => {
    const m = quaternionToMat3(quaternionFromAxisAngle([0, 0, 1], Math.PI / 2));
    close(m, [0, -1, 0, 1, 0, 0, 0, 0, 1], 1e-12);
    close(axisAngleToMat3([0, 0, 1], Math.PI / 2), m, 1e-12);
  });

  it('rotationBetween maps one unit vector onto another, including opposite ones', () => {
    fc.assert(
      fc.property(vec, vec, (a, b) => {
        fc.pre(Math.hypot(...a) > 1e-3 && Math.hypot(...b) > 1e-3);
        const ua = a.map((v) => v / Math.hypot(...a)) as Vec3;
        const ub = b.map((v) => v / Math.hypot(...b)) as Vec3;
        const r = new RigidTransform(rotationBetween(ua, ub));
        close(r.applyToDirection(ua), ub, 1e-9);
        close(
          new RigidTransform(rotationBetween(ua, [-ua[0], -ua[1], -ua[2]])).applyToDirection(ua),
          [-ua[0], -ua[1], -ua[2]],
          1e-9,
        );
      }),
    );
  });
});

describe('RigidTransform', () => {
  const tf = fc.tuple(quat, vec).map(([q, t]) => RigidTransform.fromQuaternion(q, t as Vec3, 'a', 'b'));

  it('composing with the inverse gives the identity', () => {
    fc.assert(
      fc.property(tf, vec, (T, p) => {
        close(
          T.inverse()
            .compose(T)
            .applyToPoint(p as Vec3),
          p,
          1e-9,
        );
        close(T.compose(T.inverse()).applyToPoint(p as Vec3), p, 1e-9);
      }),
    );
  });

  it('composition applies the right transform first', () => {
    const a = new RigidTransform(axisAngleToMat3([0, 0, 1], Math.PI / 2), [1, 0, 0], 'b', 'c');
    const b = new RigidTransform(undefined, [0, 0, 2], 'a', 'b');
    close(a.compose(b).applyToPoint([1, 0, 0]), a.applyToPoint(b.applyToPoint([1, 0, 0])), 1e-12);
    close(a.compose(b).applyToPoint([1, 0, 0]), [1, 1, 2], 1e-12);
    expect(() => b.compose(b)).toThrow(/cannot compose/);
  });

  it('normals rotate without translating and keep their length', () => {
    fc.assert(
      fc.property(tf, vec, (T, n) => {
        const r = T.applyToDirection(n as Vec3);
        expect(Math.hypot(...r)).toBeCloseTo(Math.hypot(...n), 9);
      }),
    );
  });

  it('.tf text round trip keeps frames, rotation and translation', () => {
    fc.assert(
      fc.property(tf, (T) => {
        const back = RigidTransform.fromTfString(T.toTfString());
        expect(back.fromFrame).toBe('a');
        expect(back.toFrame).toBe('b');
        close(back.rotation, T.rotation, 1e-12);
        close(back.translation, T.translation, 1e-12);
      }),
    );
  });

  it('reads gqcnn-style .tf files written with 6 decimals', () => {
    const text =
      'object\nworld\n0.100000 -0.200000 0.300000\n0.000000 -1.000000 0.000000\n1.000000 0.000000 0.000000\n0.000000 0.000000 1.000000\n';
    const T = RigidTransform.fromTfString(text, 'pose.tf');
    close(T.applyToPoint([1, 0, 0]), [0.1, 0.8, 0.3], 1e-12);
  });

  it('rejects malformed .tf files with the file name and the field', () => {
    expect(() => RigidTransform.fromTfString('a\nb\n1 2\n1 0 0\n0 1 0\n0 0 1', 'x.tf')).toThrow(/x\.tf: translation/);
    expect(() => RigidTransform.fromTfString('a\nb\n1 2 3', 'x.tf')).toThrow(/x\.tf: expected 6 lines/);
    expect(() => RigidTransform.fromTfString('a\nb\n0 0 0\n2 0 0\n0 1 0\n0 0 1', 'x.tf')).toThrow(/not orthonormal/);
    expect(() => RigidTransform.fromTfString('a\nb\n0 0 0\n1 0 0\n0 1 0\n0 0 nan', 'x.tf')).toThrow(/rotation row 3/);
  });
});
