// Two-contact force closure (Nguyen) against geometric constructions and an independent tangent-form test.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../src/grasp/parallel-jaw/contact.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { axisAngleToMat3, mat3MulVec, normalize, scale, sub } from '../../../src/geometry/vector.js';
import { forceClosure, lineConeAngle, wrenchForceClosure } from '../../../src/grasp/parallel-jaw/force-closure.js';

const coord = fc.double({ min: -1, max: 1, noNaN: true });
const vec = fc.tuple(coord, coord, coord) as fc.Arbitrary<Vec3>;
const unitVec = vec.filter((v) => Math.hypot(...v) > 0.1).map((v) => normalize(v));

/** Independent formulation: v·n > 0 and |v − (v·n)n| ≤ μ (v·n) at both ends (tangent form, no angles). */
function tangentFormClosure(c1: Contact, c2: Contact, mu: number): boolean {
  const ok = (p: Vec3, n: Vec3, q: Vec3) => {
    const v = sub(q, p);
    const vn = v[0] * n[0] + v[1] * n[1] + v[2] * n[2];
    const t = Math.hypot(v[0] - vn * n[0], v[1] - vn * n[1], v[2] - vn * n[2]);
    return vn > 0 && t <= mu * vn;
  };
  return ok(c1.point, c1.inwardNormal, c2.point) && ok(c2.point, c2.inwardNormal, c1.point);
}

/** Contacts on a sphere whose chord makes angle θ with both inward normals (central angle π − 2θ). */
function tiltedSpherePinch(
  radius: number,
  theta: number,
  rotationAxis: Vec3,
  rotationAngle: number,
  centre: Vec3,
): [Contact, Contact] {
  const R = axisAngleToMat3(rotationAxis, rotationAngle);
  const half = (Math.PI - 2 * theta) / 2;
  const d1: Vec3 = mat3MulVec(R, [Math.cos(half), Math.sin(half), 0]);
  const d2: Vec3 = mat3MulVec(R, [Math.cos(half), -Math.sin(half), 0]);
  const p1: Vec3 = [centre[0] + radius * d1[0], centre[1] + radius * d1[1], centre[2] + radius * d1[2]];
  const p2: Vec3 = [centre[0] + radius * d2[0], centre[1] + radius * d2[1], centre[2] + radius * d2[2]];
  const axis = normalize(sub(p2, p1));
  return [
    { point: p1, inwardNormal: scale(d1, -1), approachDirection: axis },
    { point: p2, inwardNormal: scale(d2, -1), approachDirection: scale(axis, -1) },
  ];
}

describe('Nguyen two-contact force closure', () => {
  it('a sphere pinched with the chord tilted by θ from both normals is in closure iff θ ≤ atan μ', () => {
    for (const mu of [0.1, 0.3, 0.5, 0.8, 1.2]) {
      const edge = Math.atan(mu);
      for (const theta of [0, 0.5 * edge, edge - 1e-9, edge + 1e-9, 1.5 * edge, Math.PI / 2 - 0.01]) {
        const [c1, c2] = tiltedSpherePinch(0.03, theta, normalize([1, 2, 3]), 0.7, [0.1, -0.2, 0.05]);
        expect(lineConeAngle(c1.point, c1.inwardNormal, c2.point)).toBeCloseTo(theta, 10);
        expect(forceClosure(c1, c2, mu)).toBe(theta <= edge);
      }
    }
  });

  it('agrees with the tangent-form test on random contact pairs', () => {
    fc.assert(
      fc.property(vec, vec, unitVec, unitVec, fc.double({ min: 0.05, max: 2, noNaN: true }), (p1, p2, n1, n2, mu) => {
        fc.pre(Math.hypot(...sub(p1, p2)) > 1e-3);
        const c1: Contact = { point: p1, inwardNormal: n1, approachDirection: n1 };
        const c2: Contact = { point: p2, inwardNormal: n2, approachDirection: n2 };
        // Stay off the cone boundary where either test may round differently.
        const margin = Math.min(
          Math.abs(lineConeAngle(p1, n1, p2) - Math.atan(mu)),
          Math.abs(lineConeAngle(p2, n2, p1) - Math.atan(mu)),
        );
        fc.pre(margin > 1e-9);
        expect(forceClosure(c1, c2, mu)).toBe(tangentFormClosure(c1, c2, mu));
        expect(forceClosure(c2, c1, mu)).toBe(forceClosure(c1, c2, mu));
      }),
      { numRuns: 2000, seed: 31 },
    );
  });

  it('near-antipodal pairs (the interesting region) agree with the tangent form too', () => {
    fc.assert(
      fc.property(unitVec, vec, vec, fc.double({ min: 0.1, max: 1, noNaN: true }), (axis, e1, e2, mu) => {
        const p1: Vec3 = [0, 0, 0];
        const p2: Vec3 = scale(axis, 0.05);
        const n1 = normalize([axis[0] + 0.6 * e1[0], axis[1] + 0.6 * e1[1], axis[2] + 0.6 * e1[2]]);
        const n2 = normalize([-axis[0] + 0.6 * e2[0], -axis[1] + 0.6 * e2[1], -axis[2] + 0.6 * e2[2]]);
        const c1: Contact = { point: p1, inwardNormal: n1, approachDirection: axis };
        const c2: Contact = { point: p2, inwardNormal: n2, approachDirection: scale(axis, -1) };
        const margin = Math.min(
          Math.abs(lineConeAngle(p1, n1, p2) - Math.atan(mu)),
          Math.abs(lineConeAngle(p2, n2, p1) - Math.atan(mu)),
        );
        fc.pre(margin > 1e-9);
        expect(forceClosure(c1, c2, mu)).toBe(tangentFormClosure(c1, c2, mu));
      }),
      { numRuns: 2000, seed: 32 },
    );
  });

  it('fails when a normal points away from the other contact, and for coincident contacts', () => {
    const c1: Contact = { point: [0, 0, 0], inwardNormal: [1, 0, 0], approachDirection: [1, 0, 0] };
    const c2: Contact = { point: [0.05, 0, 0], inwardNormal: [-1, 0, 0], approachDirection: [-1, 0, 0] };
    expect(forceClosure(c1, c2, 0.5)).toBe(true);
    // Same |projection| as before (dex-net's abs-value test would pass), but pushing outwards.
    expect(forceClosure({ ...c1, inwardNormal: [-1, 0, 0] }, c2, 0.5)).toBe(false);
    expect(forceClosure(c1, { ...c2, point: [0, 0, 0] }, 0.5)).toBe(false);
  });
});

describe('wrench-hull force closure', () => {
  it('matches Nguyen on sphere pinches away from the discretised-cone boundary', () => {
    const inscribed = Math.atan(0.5 * Math.cos(Math.PI / 8)); // the octagonal cone contains this circular one
    for (const theta of [0, 0.2, 0.8 * inscribed, 1.05 * Math.atan(0.5), 0.7, 1.2]) {
      for (const angle of [0, 1.1, 2.5]) {
        const [c1, c2] = tiltedSpherePinch(0.025, theta, normalize([0.3, -1, 0.5]), angle, [0, 0, 0]);
        expect(wrenchForceClosure([c1, c2], [0, 0, 0])).toBe(forceClosure(c1, c2, 0.5));
      }
    }
  });
});
