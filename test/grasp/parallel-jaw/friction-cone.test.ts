// Friction cone edges, slip rule and grasp-matrix columns against their defining formulas.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Contact } from '../../../src/grasp/parallel-jaw/contact.js';
import type { Vec3 } from '../../../src/geometry/vector.js';
import { cross, dot, norm, normalize, sub, scale, angleBetween } from '../../../src/geometry/vector.js';
import {
  contactSlips,
  contactTangents,
  frictionCone,
  frictionConeEdgesInto,
  normalForceMagnitude,
} from '../../../src/grasp/parallel-jaw/friction-cone.js';
import {
  DEFAULT_QUALITY_CONFIG,
  graspMatrix,
  qualityConfig,
  wrenchCount,
} from '../../../src/grasp/parallel-jaw/wrench.js';

const coord = fc.double({ min: -1, max: 1, noNaN: true });
const unitVec = fc
  .tuple(coord, coord, coord)
  .filter(([x, y, z]) => Math.hypot(x, y, z) > 0.1)
  .map((v) => normalize(v as Vec3));

describe('contact tangents', () => {
  it('are unit, orthogonal to n and each other, right-handed, and t1 follows the reference axis', () => {
    fc.assert(
      fc.property(unitVec, unitVec, (n, ref) => {
        const [t1, t2] = contactTangents(n, ref);
        expect(norm(t1)).toBeCloseTo(1, 12);
        expect(norm(t2)).toBeCloseTo(1, 12);
        expect(Math.abs(dot(t1, n))).toBeLessThan(1e-12);
        expect(Math.abs(dot(t2, n))).toBeLessThan(1e-12);
        expect(Math.abs(dot(t1, t2))).toBeLessThan(1e-12);
        const c = cross(t1, t2);
        for (let i = 0; i < 3; i++) expect(c[i]).toBeCloseTo(n[i], 12);
        const proj = sub(ref, scale(n, dot(ref, n)));
        if (norm(proj) > 1e-3) expect(dot(t1, proj)).toBeCloseTo(norm(proj), 9);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('fall back to another axis when the reference is parallel to n', () => {
    const [t1, t2] = contactTangents([1, 0, 0], [1, 0, 0]);
    expect(t1).toEqual([0, 1, 0]); // the default fallback, the object y-axis
    const [u1] = contactTangents([0, 0, 1], [0, 0, -1], [0, 0, 2]);
    expect(Math.abs(dot(u1, [0, 0, 1]))).toBeLessThan(1e-12); // both parallel: a world axis stands in
    expect(norm(t1)).toBeCloseTo(1, 12);
    const c = cross(t1, t2);
    [1, 0, 0].forEach((x, i) => expect(c[i]).toBeCloseTo(x, 12));
  });
});

describe('friction cone', () => {
  const contactAlong = (n: Vec3, a: Vec3 = n): Contact => ({ point: [0, 0, 0], inwardNormal: n, approachDirection: a });

  it('has numFaces edges n + μ(cos θj t1 + sin θj t2), each at angle atan μ from n, starting along t1', () => {
    fc.assert(
      fc.property(
        unitVec,
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.integer({ min: 3, max: 16 }),
        (n, mu, k) => {
          const cone = frictionCone(contactAlong(n), mu, k);
          expect(cone.edges.length).toBe(3 * k);
          for (let j = 0; j < k; j++) {
            const f: Vec3 = [cone.edges[3 * j], cone.edges[3 * j + 1], cone.edges[3 * j + 2]];
            expect(dot(f, n)).toBeCloseTo(1, 12);
            expect(norm(sub(f, n))).toBeCloseTo(mu, 12);
            expect(angleBetween(f, n)).toBeCloseTo(Math.atan(mu), 12);
            const phase = Math.atan2(dot(f, cone.tangent2), dot(f, cone.tangent1));
            const expected = (2 * Math.PI * j) / k;
            expect(Math.cos(phase - expected)).toBeCloseTo(1, 12);
          }
          const packed = new Float64Array(3 * k + 5);
          expect(frictionConeEdgesInto(contactAlong(n), mu, k, packed, 5)).toBeCloseTo(1, 12);
          for (let i = 0; i < 3 * k; i++) expect(packed[5 + i]).toBeCloseTo(cone.edges[i], 14);
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('normal force m = max(0, a·n); slips iff the approach leaves the cone (angle > atan μ)', () => {
    fc.assert(
      fc.property(unitVec, unitVec, fc.double({ min: 0.05, max: 2, noNaN: true }), (n, a, mu) => {
        const c = contactAlong(n, a);
        expect(normalForceMagnitude(c)).toBeCloseTo(Math.max(0, dot(a, n)), 14);
        const angle = angleBetween(a, n);
        fc.pre(Math.abs(angle - Math.atan(mu)) > 1e-9);
        expect(contactSlips(c, mu)).toBe(angle > Math.atan(mu));
        const cone = frictionCone(c, mu);
        expect(cone.valid).toBe(angle < Math.atan(mu));
        expect(frictionConeEdgesInto(c, mu, 8, new Float64Array(24), 0) >= 0).toBe(cone.valid);
      }),
      { numRuns: 400, seed: 13 },
    );
  });
});

describe('grasp matrix', () => {
  it('columns are [m f; ts (p − com) × m f] per edge then [0; ±ts π r² μ m n] per contact', () => {
    fc.assert(
      fc.property(unitVec, fc.double({ min: 0, max: 0.4, noNaN: true }), unitVec, (n, tilt, side) => {
        // Approach tilted from the normal by `tilt` rad (inside the μ = 0.5 cone), so m = cos(tilt).
        const perp = normalize(cross(n, side));
        fc.pre(norm(cross(n, side)) > 0.1);
        const a = normalize([
          n[0] * Math.cos(tilt) + perp[0] * Math.sin(tilt),
          n[1] * Math.cos(tilt) + perp[1] * Math.sin(tilt),
          n[2] * Math.cos(tilt) + perp[2] * Math.sin(tilt),
        ]);
        const c1: Contact = { point: [0.01, -0.02, 0.03], inwardNormal: n, approachDirection: a };
        const c2: Contact = {
          point: [-0.01, 0.02, -0.03],
          inwardNormal: scale(n, -1),
          approachDirection: scale(a, -1),
        };
        const com: Vec3 = [0.001, 0.002, -0.003];
        const cfg = DEFAULT_QUALITY_CONFIG;
        const G = graspMatrix([c1, c2], com, cfg)!;
        expect(G.length).toBe(6 * wrenchCount(2, cfg));
        const m = Math.cos(tilt);
        [c1, c2].forEach((c, ci) => {
          const cone = frictionCone(c, cfg.frictionCoef, cfg.numConeFaces);
          const base = ci * 10;
          for (let j = 0; j < 8; j++) {
            const f = scale([cone.edges[3 * j], cone.edges[3 * j + 1], cone.edges[3 * j + 2]], m);
            const tau = scale(cross(sub(c.point, com), f), cfg.torqueScaling);
            const col = G.subarray(6 * (base + j), 6 * (base + j) + 6);
            for (let i = 0; i < 3; i++) {
              expect(col[i]).toBeCloseTo(f[i], 12);
              expect(col[3 + i]).toBeCloseTo(tau[i], 10);
            }
          }
          const k = cfg.torqueScaling * Math.PI * cfg.fingerRadius ** 2 * cfg.frictionCoef * m;
          for (let s = 0; s < 2; s++) {
            const col = G.subarray(6 * (base + 8 + s), 6 * (base + 8 + s) + 6);
            for (let i = 0; i < 3; i++) {
              expect(col[i]).toBe(0);
              expect(col[3 + i]).toBeCloseTo((s === 0 ? 1 : -1) * k * c.inwardNormal[i], 12);
            }
          }
        });
        const hard = graspMatrix([c1, c2], com, qualityConfig({ softFingers: false }))!;
        expect(hard.length).toBe(6 * 16);
      }),
      { numRuns: 100, seed: 14 },
    );
  });

  it('is null when any contact slips', () => {
    const ok: Contact = { point: [0, 0, 0], inwardNormal: [0, 0, 1], approachDirection: [0, 0, 1] };
    const slip: Contact = { point: [0, 0, 0.05], inwardNormal: [0, 0, -1], approachDirection: normalize([0.6, 0, -1]) };
    expect(graspMatrix([ok, slip], [0, 0, 0])).toBeNull();
    expect(graspMatrix([ok, { ...slip, approachDirection: normalize([0.4, 0, -1]) }], [0, 0, 0])).not.toBeNull();
  });
});
