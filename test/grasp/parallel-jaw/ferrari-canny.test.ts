// Ferrari–Canny ε against a brute-force facet enumeration, hand-derived values, grasp cases and invariances.
import { describe, it, expect } from 'vitest';
import type { Contact } from '../../../src/grasp/parallel-jaw/contact.js';
import type { Vec3, Mat3 } from '../../../src/geometry/vector.js';
import { axisAngleToMat3, mat3MulVec } from '../../../src/geometry/vector.js';
import {
  ferrariCanny,
  ferrariCannyFromWrenches,
  hullBoundaryDistance,
  minNormPoint,
} from '../../../src/grasp/parallel-jaw/ferrari-canny.js';
import { graspMatrix, qualityConfig, wrenchCount } from '../../../src/grasp/parallel-jaw/wrench.js';
import { forceClosure } from '../../../src/grasp/parallel-jaw/force-closure.js';
import { bruteEpsilon } from './brute-epsilon.js';
import { Random } from '../../../src/core/random.js';

/** Seeded uniform [0, 1) draws from the project's generator. */
const uniformSource = (seed: number): (() => number) => {
  const rng = new Random(seed);
  return () => rng.next();
};
const gaussian = (rnd: () => number) => () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const unit = (v: Vec3): Vec3 => {
  const n = Math.hypot(...v);
  return [v[0] / n, v[1] / n, v[2] / n];
};

function randomPointSet(rnd: () => number, n: number, shift: number): Float64Array {
  const g = gaussian(rnd);
  const p = new Float64Array(n * 6);
  const offset = Array.from({ length: 6 }, () => shift * g());
  for (let j = 0; j < n; j++) for (let i = 0; i < 6; i++) p[j * 6 + i] = g() + offset[i];
  return p;
}

/** Two contacts on a random axis ~5 cm apart, normals tilted off the axis, approach along the axis. */
function randomGrasp(rnd: () => number, tilt = 0.2): { contacts: Contact[]; com: Vec3 } {
  const g = gaussian(rnd);
  const axis = unit([g(), g(), g()]);
  const c: Vec3 = [0.01 * g(), 0.01 * g(), 0.01 * g()];
  const half = 0.02 + 0.01 * rnd();
  const n1 = unit([axis[0] + tilt * g(), axis[1] + tilt * g(), axis[2] + tilt * g()]);
  const n2 = unit([-axis[0] + tilt * g(), -axis[1] + tilt * g(), -axis[2] + tilt * g()]);
  return {
    contacts: [
      {
        point: [c[0] - half * axis[0], c[1] - half * axis[1], c[2] - half * axis[2]],
        inwardNormal: n1,
        approachDirection: axis,
      },
      {
        point: [c[0] + half * axis[0], c[1] + half * axis[1], c[2] + half * axis[2]],
        inwardNormal: n2,
        approachDirection: [-axis[0], -axis[1], -axis[2]],
      },
    ],
    com: [0.005 * g(), 0.005 * g(), 0.005 * g()],
  };
}

const maxNorm = (p: Float64Array) => {
  let s = 0;
  for (let j = 0; j < p.length; j += 6) s = Math.max(s, Math.hypot(...p.subarray(j, j + 6)));
  return s;
};

describe('exact ε against brute-force facet enumeration', () => {
  it('agrees to 1e-9 on 240 random point sets in general position, origin inside and outside', () => {
    const rnd = uniformSource(12345);
    let inside = 0,
      outside = 0;
    for (let t = 0; t < 240; t++) {
      const n = 9 + Math.floor(rnd() * 6); // 9..14 points
      const pts = randomPointSet(rnd, n, t % 3 === 0 ? 1.5 : 0.1);
      const fast = Math.max(0, hullBoundaryDistance(pts, n));
      const ref = bruteEpsilon(pts, n);
      expect(Math.abs(fast - ref)).toBeLessThan(1e-9);
      if (ref > 0) inside++;
      else outside++;
    }
    expect(inside).toBeGreaterThan(40);
    expect(outside).toBeGreaterThan(40);
  });

  it('agrees to 1e-9 (relative) on degenerate grasp wrench sets (coplanar cone edges, 20 wrenches)', () => {
    const rnd = uniformSource(777);
    let positive = 0;
    for (let t = 0; t < 12; t++) {
      const { contacts, com } = randomGrasp(rnd, 0.15);
      const w = graspMatrix(contacts, com);
      if (!w) continue;
      const n = w.length / 6;
      const fast = ferrariCannyFromWrenches(w, n);
      const ref = bruteEpsilon(w, n);
      expect(Math.abs(fast - ref)).toBeLessThan(1e-9 * maxNorm(w));
      if (ref > 0) positive++;
    }
    expect(positive).toBeGreaterThan(3);
  });

  it('agrees on sets with many exactly coplanar points and repeated points', () => {
    const rnd = uniformSource(99);
    for (let t = 0; t < 30; t++) {
      // Points on a few random 2-planes through random offsets, plus duplicates.
      const n = 12;
      const pts = new Float64Array(n * 6);
      const g = gaussian(rnd);
      for (let b = 0; b < 3; b++) {
        const o = Array.from({ length: 6 }, () => 0.5 * g());
        const e1 = Array.from({ length: 6 }, () => g());
        const e2 = Array.from({ length: 6 }, () => g());
        for (let k = 0; k < 4; k++) {
          const a = Math.cos((k * Math.PI) / 2),
            c = Math.sin((k * Math.PI) / 2);
          for (let i = 0; i < 6; i++) pts[(b * 4 + k) * 6 + i] = o[i] + a * e1[i] + c * e2[i];
        }
      }
      pts.copyWithin(11 * 6, 3 * 6, 4 * 6); // a duplicate
      const fast = Math.max(0, hullBoundaryDistance(pts, n));
      const ref = bruteEpsilon(pts, n);
      expect(Math.abs(fast - ref)).toBeLessThan(1e-9 * maxNorm(pts));
    }
  });
});

describe('exact ε on lattice point sets (heavy coplanarity, duplicates)', () => {
  it('agrees with brute force on 60 sets of points with coordinates in {−1, 0, 1} (some nudged by ½)', () => {
    const rnd = uniformSource(77);
    let inside = 0;
    for (let t = 0; t < 60; t++) {
      const n = 10 + Math.floor(rnd() * 4);
      const p = new Float64Array(n * 6);
      for (let i = 0; i < p.length; i++) p[i] = Math.floor(rnd() * 3) - 1 + (rnd() < 0.1 ? 0.5 : 0);
      const ref = bruteEpsilon(p, n);
      expect(Math.abs(Math.max(0, hullBoundaryDistance(p, n)) - ref)).toBeLessThan(1e-9);
      if (ref > 0) inside++;
    }
    expect(inside).toBeGreaterThan(10);
  });
});

describe('hand-derived values', () => {
  it('works in other dimensions: regular k-gon (ε = cos π/k) and the 3-cube (ε = 1)', () => {
    for (const k of [3, 4, 7, 12]) {
      const p = new Float64Array(2 * k);
      for (let j = 0; j < k; j++) {
        p[2 * j] = Math.cos((2 * Math.PI * j) / k + 0.3);
        p[2 * j + 1] = Math.sin((2 * Math.PI * j) / k + 0.3);
      }
      expect(hullBoundaryDistance(p, k, 2)).toBeCloseTo(Math.cos(Math.PI / k), 13);
    }
    const cube = new Float64Array(8 * 3);
    for (let m = 0; m < 8; m++) for (let i = 0; i < 3; i++) cube[m * 3 + i] = (m >> i) & 1 ? 1 : -1;
    expect(hullBoundaryDistance(cube, 8, 3)).toBeCloseTo(1, 13);
  });

  it('±unit vectors on the 6 axes (cross-polytope): facets Σ|x_i| = 1, ε = 1/√6', () => {
    const p = new Float64Array(12 * 6);
    for (let i = 0; i < 6; i++) {
      p[2 * i * 6 + i] = 1;
      p[(2 * i + 1) * 6 + i] = -1;
    }
    expect(hullBoundaryDistance(p, 12)).toBeCloseTo(1 / Math.sqrt(6), 14);
    expect(ferrariCannyFromWrenches(p, 12)).toBeCloseTo(1 / Math.sqrt(6), 14);
  });

  it('±a_i e_i (scaled cross-polytope): facets Σ|x_i|/a_i = 1, ε = 1/√(Σ 1/a_i²)', () => {
    const a = [1, 2, 0.5, 3, 0.25, 1.5];
    const p = new Float64Array(12 * 6);
    for (let i = 0; i < 6; i++) {
      p[2 * i * 6 + i] = a[i];
      p[(2 * i + 1) * 6 + i] = -a[i];
    }
    const expected = 1 / Math.sqrt(a.reduce((s, x) => s + 1 / (x * x), 0));
    expect(hullBoundaryDistance(p, 12)).toBeCloseTo(expected, 13);
  });

  it('vertices of the cube [−1, 1]^6: ε = 1; shifted by 3 along x the origin is outside, min-norm 2', () => {
    const p = new Float64Array(64 * 6);
    for (let m = 0; m < 64; m++) for (let i = 0; i < 6; i++) p[m * 6 + i] = (m >> i) & 1 ? 1 : -1;
    expect(hullBoundaryDistance(p, 64)).toBeCloseTo(1, 13);
    for (let m = 0; m < 64; m++) p[m * 6] += 3;
    expect(hullBoundaryDistance(p, 64)).toBeLessThanOrEqual(0);
    expect(minNormPoint(p, 64)).toBeCloseTo(2, 9);
    expect(ferrariCannyFromWrenches(p, 64)).toBe(0);
  });

  it('a simplex with the origin at a vertex, or on a facet, has ε = 0', () => {
    const p = new Float64Array(7 * 6);
    for (let i = 0; i < 6; i++) p[(i + 1) * 6 + i] = 1; // origin is vertex 0
    expect(ferrariCannyFromWrenches(p, 7)).toBe(0);
    // Points e_i − (1/6)·1 (i < 6) have mean 0 and span the facet Σx = 0; the seventh lies below it.
    const q = new Float64Array(7 * 6);
    for (let j = 0; j < 6; j++) for (let i = 0; i < 6; i++) q[j * 6 + i] = (i === j ? 1 : 0) - 1 / 6;
    for (let i = 0; i < 6; i++) q[6 * 6 + i] = -1;
    expect(Math.abs(hullBoundaryDistance(q, 7))).toBeLessThan(1e-12);
    expect(ferrariCannyFromWrenches(q, 7)).toBe(0);
  });

  it('lower-dimensional sets give 0, never NaN', () => {
    const rnd = uniformSource(5);
    const g = gaussian(rnd);
    const p = new Float64Array(20 * 6);
    for (let j = 0; j < 20; j++) for (let i = 0; i < 5; i++) p[j * 6 + i] = g(); // 6th coordinate 0
    expect(hullBoundaryDistance(p, 20)).toBe(0);
    expect(ferrariCannyFromWrenches(p, 20)).toBe(0);
    expect(ferrariCannyFromWrenches(new Float64Array(20 * 6), 20)).toBe(0);
    expect(ferrariCannyFromWrenches(p, 3)).toBe(0);
  });
});

describe('grasps', () => {
  const a = 0.025; // half of a 0.05 m cube
  const pinch: Contact[] = [
    { point: [-a, 0, 0], inwardNormal: [1, 0, 0], approachDirection: [1, 0, 0] },
    { point: [a, 0, 0], inwardNormal: [-1, 0, 0], approachDirection: [-1, 0, 0] },
  ];

  it('a cube pinched through its centre: ε > 0 with soft fingers, 0 with hard contacts', () => {
    const soft = ferrariCanny(pinch, [0, 0, 0]);
    expect(soft).toBeGreaterThan(0);
    const w = graspMatrix(pinch, [0, 0, 0])!;
    expect(Math.abs(soft - bruteEpsilon(w, w.length / 6))).toBeLessThan(1e-9);
    expect(ferrariCanny(pinch, [0, 0, 0], qualityConfig({ softFingers: false }))).toBe(0);
  });

  it('hard contacts off the centre of mass also leave torsion about the grasp axis unresisted → 0', () => {
    const rnd = uniformSource(3);
    for (let t = 0; t < 50; t++) {
      const { contacts, com } = randomGrasp(rnd, 0.1);
      expect(ferrariCanny(contacts, com, qualityConfig({ softFingers: false }))).toBe(0);
    }
  });

  it('ε = 0 whenever two-contact force closure fails, jaws approaching along the grasp axis', () => {
    const rnd = uniformSource(21);
    let failures = 0;
    for (let t = 0; t < 400; t++) {
      const { contacts, com } = randomGrasp(rnd, 0.6);
      if (!forceClosure(contacts[0], contacts[1], 0.5)) {
        failures++;
        expect(ferrariCanny(contacts, com)).toBe(0);
      }
    }
    expect(failures).toBeGreaterThan(50);
  });

  it('ε = 0 for planar grasps outside the cones even when no contact slips (approach along the normals)', () => {
    // In-plane escape rotations have their axis along n1 × n2, which the torsion columns cannot resist.
    const rnd = uniformSource(23);
    let failures = 0;
    for (let t = 0; t < 300; t++) {
      const ang = () => 2 * Math.PI * rnd();
      const a1 = ang(),
        a2 = ang(),
        b1 = ang(),
        b2 = ang();
      const p1: Vec3 = [0.025 * Math.cos(a1), 0.025 * Math.sin(a1), 0];
      const p2: Vec3 = [0.025 * Math.cos(a2), 0.025 * Math.sin(a2), 0];
      const n1: Vec3 = [Math.cos(b1), Math.sin(b1), 0];
      const n2: Vec3 = [Math.cos(b2), Math.sin(b2), 0];
      const cs: Contact[] = [
        { point: p1, inwardNormal: n1, approachDirection: n1 },
        { point: p2, inwardNormal: n2, approachDirection: n2 },
      ];
      // Both normals pointing away from each other is an internal (expanding) grasp, in closure for the wrench
      // test; a squeezing jaw can never apply it, which the slip check handles. Mirror those to compare.
      const flipped: Contact[] = cs.map((c) => ({ ...c, inwardNormal: c.inwardNormal.map((x) => -x) as Vec3 }));
      if (!forceClosure(cs[0], cs[1], 0.5) && !forceClosure(flipped[0], flipped[1], 0.5)) {
        failures++;
        expect(ferrariCanny(cs, [0, 0, 0])).toBe(0);
      }
    }
    expect(failures).toBeGreaterThan(100);
  });

  it('grasps well inside the discretised cones have ε > 0', () => {
    const rnd = uniformSource(22);
    const inner = Math.atan(0.5 * Math.cos(Math.PI / 8)); // half-angle of the cone inscribed in the octagonal one
    let checked = 0;
    for (let t = 0; t < 300 && checked < 60; t++) {
      const { contacts, com } = randomGrasp(rnd, 0.3);
      const v = contacts[1].point.map((x, i) => x - contacts[0].point[i]) as Vec3;
      const ang = (n: Vec3, d: Vec3) =>
        Math.acos(Math.min(1, Math.abs(n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / Math.hypot(...d)));
      if (ang(contacts[0].inwardNormal, v) < 0.9 * inner && ang(contacts[1].inwardNormal, v) < 0.9 * inner) {
        checked++;
        expect(ferrariCanny(contacts, com)).toBeGreaterThan(0);
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('is unchanged by rotating and translating contacts, com and the cone reference axis together', () => {
    const rnd = uniformSource(4242);
    const g = gaussian(rnd);
    let positive = 0;
    for (let t = 0; t < 100; t++) {
      const { contacts, com } = randomGrasp(rnd, 0.15);
      const R: Mat3 = axisAngleToMat3(unit([g(), g(), g()]), 2 * Math.PI * rnd());
      const shift: Vec3 = [g(), g(), g()];
      const move = (p: Vec3): Vec3 => {
        const r = mat3MulVec(R, p);
        return [r[0] + shift[0], r[1] + shift[1], r[2] + shift[2]];
      };
      const moved = contacts.map((c) => ({
        point: move(c.point),
        inwardNormal: mat3MulVec(R, c.inwardNormal),
        approachDirection: mat3MulVec(R, c.approachDirection),
      }));
      const e0 = ferrariCanny(contacts, com);
      const e1 = ferrariCanny(
        moved,
        move(com),
        qualityConfig({ tangentReference: mat3MulVec(R, [1, 0, 0]), tangentFallback: mat3MulVec(R, [0, 1, 0]) }),
      );
      if (e0 > 0) positive++;
      expect(Math.abs(e1 - e0)).toBeLessThanOrEqual(1e-9 * Math.max(e0, 1e-3));
    }
    expect(positive).toBeGreaterThan(20);
  });

  it('stays frame-independent when the normals are parallel to the reference axis (fallback axis rotated too)', () => {
    const rnd = uniformSource(4343);
    for (let t = 0; t < 20; t++) {
      const com: Vec3 = [0.004 * (rnd() - 0.5), 0.004 * (rnd() - 0.5), 0.004 * (rnd() - 0.5)];
      const R: Mat3 = axisAngleToMat3(unit([rnd() - 0.5, rnd() - 0.5, rnd() - 0.5]), 2 * Math.PI * rnd());
      const e0 = ferrariCanny(pinch, com);
      const rot = (v: Vec3) => mat3MulVec(R, v);
      const moved = pinch.map((c) => ({
        point: rot(c.point),
        inwardNormal: rot(c.inwardNormal),
        approachDirection: rot(c.approachDirection),
      }));
      const e1 = ferrariCanny(
        moved,
        rot(com),
        qualityConfig({ tangentReference: rot([1, 0, 0]), tangentFallback: rot([0, 1, 0]) }),
      );
      expect(e0).toBeGreaterThan(0);
      expect(Math.abs(e1 - e0)).toBeLessThanOrEqual(1e-9 * e0);
    }
  });

  it('wrench columns count = contacts × (faces + 2) and slipping contacts give 0', () => {
    expect(wrenchCount(2)).toBe(20);
    const slipping: Contact[] = [
      { ...pinch[0], approachDirection: unit([1, 0.6, 0]) }, // tangential 0.6/1 > μ = 0.5
      pinch[1],
    ];
    expect(ferrariCanny(slipping, [0, 0, 0])).toBe(0);
  });
});

describe('min-norm point (Wolfe)', () => {
  it('matches the nearest point of a segment and of a box face, and is ~0 for interior origins', () => {
    const seg = new Float64Array([1, 1, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0]);
    expect(minNormPoint(seg, 2)).toBeCloseTo(1, 9);
    const rnd = uniformSource(8);
    for (let t = 0; t < 50; t++) {
      const pts = randomPointSet(rnd, 13, 0.1);
      if (bruteEpsilon(pts, 13) > 1e-3) expect(minNormPoint(pts, 13)).toBeLessThan(1e-6);
    }
  });

  it('its norm bounds every supporting half-space: |x| ≥ −max_j(w_j·u) for the min-norm direction', () => {
    const rnd = uniformSource(9);
    for (let t = 0; t < 100; t++) {
      const pts = randomPointSet(rnd, 10, 3);
      const x = new Float64Array(6);
      const r = minNormPoint(pts, 10, 6, 0, x);
      if (r < 1e-9) continue;
      // Optimality: every point lies on the far side of the hyperplane through x normal to x.
      for (let j = 0; j < 10; j++) {
        let dot = 0;
        for (let i = 0; i < 6; i++) dot += x[i] * pts[j * 6 + i];
        expect(dot).toBeGreaterThanOrEqual(r * r - 1e-9);
      }
    }
  });
});
