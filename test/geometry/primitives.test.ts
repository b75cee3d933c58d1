// Primitive meshes: closed, outward, and with the exact volumes their construction implies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Mesh } from '../../src/geometry/mesh.js';
import { convexHull } from '../../src/geometry/convex-hull.js';
import {
  edgeReport,
  isWatertight,
  massProperties,
  meshVolume,
  triangleAreas,
  triangleNormals,
} from '../../src/geometry/mesh-properties.js';
import {
  boxMesh,
  cylinderMesh,
  ellipsoidMesh,
  extrudePolygon,
  icosphereMesh,
  lBracketMesh,
  torusMesh,
  triangulatePolygon,
  uChannelMesh,
} from '../../src/geometry/primitives.js';

const shoelace = (pts: ReadonlyArray<readonly [number, number]>): number => {
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const [x0, y0] = pts[i];
    const [x1, y1] = pts[(i + 1) % pts.length];
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
};

/** Every triangle's normal points away from the given interior point (true for star-shaped solids). */
function normalsPointAwayFrom(mesh: Mesh, c: [number, number, number]): boolean {
  const n = triangleNormals(mesh);
  const v = mesh.vertices,
    t = mesh.triangles;
  for (let i = 0; i < t.length; i += 3) {
    let d = 0;
    for (let k = 0; k < 3; k++) {
      const centroid = (v[t[i] * 3 + k] + v[t[i + 1] * 3 + k] + v[t[i + 2] * 3 + k]) / 3;
      d += n[i + k] * (centroid - c[k]);
    }
    if (!(d > 0)) return false;
  }
  return true;
}

describe('primitive meshes', () => {
  const named: Array<[string, Mesh]> = [
    ['box', boxMesh(0.03, 0.03, 0.06)],
    ['cylinder', cylinderMesh(0.02, 0.07, 48)],
    ['triangular cylinder', cylinderMesh(1, 1, 3)],
    ['icosahedron', icosphereMesh(0.05, 0)],
    ['icosphere', icosphereMesh(0.05, 3)],
    ['ellipsoid', ellipsoidMesh(0.02, 0.03, 0.05, 2)],
    ['L bracket', lBracketMesh()],
    ['U channel', uChannelMesh()],
  ];
  it.each(named)('%s is watertight with positive volume', (_, mesh) => {
    expect(edgeReport(mesh)).toEqual({ boundaryEdges: 0, nonManifoldEdges: 0, misorientedEdges: 0 });
    expect(isWatertight(mesh)).toBe(true);
    expect(massProperties(mesh).volume).toBeGreaterThan(0);
    for (const a of triangleAreas(mesh)) expect(a).toBeGreaterThan(0);
  });

  it.each(named.slice(0, 6))('%s (convex) has every normal pointing away from its centre', (_, mesh) => {
    expect(normalsPointAwayFrom(mesh, [0, 0, 0])).toBe(true);
  });

  it('box has volume and centre of mass of its extents', () => {
    const p = massProperties(boxMesh(0.03, 0.04, 0.06));
    // Exact for the float32 corner coordinates ±s/2 the mesh actually stores.
    const f = (x: number): number => 2 * Math.fround(x / 2);
    expect(Math.abs(p.volume - f(0.03) * f(0.04) * f(0.06)) / p.volume).toBeLessThan(1e-14);
    for (const c of p.centerOfMass) expect(Math.abs(c)).toBeLessThan(1e-9);
  });

  it('cylinder volume equals the inscribed polygon prism exactly, and approaches πr²h', () => {
    for (const n of [3, 8, 48, 200]) {
      const r = 0.02,
        h = 0.07;
      const exact = (n / 2) * r * r * Math.sin((2 * Math.PI) / n) * h;
      const { volume, centerOfMass } = massProperties(cylinderMesh(r, h, n));
      expect(Math.abs(volume - exact) / exact).toBeLessThan(1e-6); // float32 vertices
      expect(volume).toBeLessThan(Math.PI * r * r * h);
      for (const c of centerOfMass) expect(Math.abs(c)).toBeLessThan(1e-8);
    }
    const fine = massProperties(cylinderMesh(0.02, 0.07, 200)).volume;
    expect(Math.abs(fine - Math.PI * 0.02 * 0.02 * 0.07) / fine).toBeLessThan(2e-4);
  });

  it('icosphere has 10·4^s + 2 vertices on the sphere and a volume between the inscribed and circumscribed spheres', () => {
    const r = 0.05;
    let previous = 0;
    for (let s = 0; s <= 4; s++) {
      const mesh = icosphereMesh(r, s);
      expect(mesh.vertices.length / 3).toBe(10 * 4 ** s + 2);
      expect(mesh.triangles.length / 3).toBe(20 * 4 ** s);
      const v = mesh.vertices;
      for (let i = 0; i < v.length; i += 3)
        expect(Math.abs(Math.hypot(v[i], v[i + 1], v[i + 2]) - r)).toBeLessThan(1e-8);
      // Inradius: the nearest face plane to the centre.
      const normals = triangleNormals(mesh);
      let inradius = Infinity;
      for (let i = 0; i < mesh.triangles.length; i += 3) {
        const a = mesh.triangles[i] * 3;
        inradius = Math.min(inradius, normals[i] * v[a] + normals[i + 1] * v[a + 1] + normals[i + 2] * v[a + 2]);
      }
      const { volume, centerOfMass } = massProperties(mesh);
      expect(volume).toBeLessThan((4 / 3) * Math.PI * r ** 3);
      expect(volume).toBeGreaterThan((4 / 3) * Math.PI * inradius ** 3);
      expect(volume).toBeGreaterThan(previous); // refinement only adds volume
      previous = volume;
      for (const c of centerOfMass) expect(Math.abs(c)).toBeLessThan(1e-9);
    }
    expect(1 - previous / ((4 / 3) * Math.PI * r ** 3)).toBeLessThan(0.01);
  });

  it('ellipsoid volume approaches 4/3·π·abc', () => {
    const { volume } = massProperties(ellipsoidMesh(0.02, 0.03, 0.05, 4));
    const exact = (4 / 3) * Math.PI * 0.02 * 0.03 * 0.05;
    expect(volume).toBeLessThan(exact);
    expect(1 - volume / exact).toBeLessThan(0.005);
  });

  it('L bracket has the volume and centre of mass of its two legs', () => {
    const w = 0.08,
      h = 0.05,
      t = 0.012,
      d = 0.04;
    const { volume, centerOfMass } = massProperties(lBracketMesh(w, h, t, d));
    const a1 = w * t,
      a2 = (h - t) * t;
    expect(Math.abs(volume / ((a1 + a2) * d) - 1)).toBeLessThan(1e-6); // float32 vertices
    const cx = (a1 * (w / 2) + a2 * (t / 2)) / (a1 + a2) - w / 2;
    const cy = (a1 * (t / 2) + a2 * ((t + h) / 2)) / (a1 + a2) - h / 2;
    expect(centerOfMass[0]).toBeCloseTo(cx, 7);
    expect(centerOfMass[1]).toBeCloseTo(cy, 7);
    expect(centerOfMass[2]).toBeCloseTo(0, 9);
    // Non-convex: less than its bounding box minus the missing corner would allow a convex body.
    expect(volume).toBeLessThan(w * h * d - ((w - t) * (h - t) * d) / 2);
  });

  it('rejects bad sizes', () => {
    expect(() => cylinderMesh(0, 1)).toThrow(/radius/);
    expect(() => cylinderMesh(1, 1, 2)).toThrow(/segments/);
    expect(() => icosphereMesh(1, 9)).toThrow(/subdivisions/);
    expect(() => lBracketMesh(0.05, 0.05, 0.06)).toThrow(/thickness/);
  });
});

describe('extrudePolygon / triangulatePolygon', () => {
  /** A random star-shaped (hence simple, usually non-convex) polygon around the origin. */
  const starPolygon = fc
    .array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true })), {
      minLength: 3,
      maxLength: 24,
    })
    .map((items) => {
      const angles = items.map(([a], i) => ((i + a * 0.9) / items.length) * 2 * Math.PI);
      return items.map(([, r], i) => [r * Math.cos(angles[i]), r * Math.sin(angles[i])] as [number, number]);
    })
    .filter((pts) => shoelace(pts) > 1e-3);

  it('caps cover the polygon exactly with counter-clockwise triangles', () => {
    fc.assert(
      fc.property(starPolygon, (pts) => {
        const tris = triangulatePolygon(pts);
        expect(tris.length).toBe(3 * (pts.length - 2));
        let total = 0;
        for (let i = 0; i < tris.length; i += 3) {
          const a = shoelace([pts[tris[i]], pts[tris[i + 1]], pts[tris[i + 2]]]);
          expect(a).toBeGreaterThanOrEqual(-1e-12);
          total += a;
        }
        expect(total).toBeCloseTo(shoelace(pts), 9);
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('gives a watertight prism of volume area × height for either winding', () => {
    fc.assert(
      fc.property(
        starPolygon,
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.boolean(),
        (pts, height, clockwise) => {
          const input = clockwise ? pts.slice().reverse() : pts;
          const mesh = extrudePolygon(input, height);
          expect(isWatertight(mesh)).toBe(true);
          const { volume, centerOfMass } = massProperties(mesh);
          expect(volume / (shoelace(pts) * height)).toBeCloseTo(1, 5);
          expect(centerOfMass[2]).toBeCloseTo(0, 6);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('rejects degenerate input', () => {
    expect(() =>
      extrudePolygon(
        [
          [0, 0],
          [1, 1],
        ],
        1,
      ),
    ).toThrow(/at least 3/);
    expect(() =>
      extrudePolygon(
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ],
        1,
      ),
    ).toThrow(/zero area/);
    expect(() =>
      extrudePolygon(
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        0,
      ),
    ).toThrow(/height/);
  });

  it('handles collinear points on the boundary', () => {
    const mesh = extrudePolygon(
      [
        [0, 0],
        [0.5, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
      1,
    );
    expect(isWatertight(mesh)).toBe(true);
    expect(massProperties(mesh).volume).toBeCloseTo(1, 6);
  });
});

describe('torusMesh', () => {
  it('is a closed, outward, non-convex solid with the torus volume 2π²Rr² (to the faceting error)', () => {
    const m = torusMesh(0.03, 0.012, 100, 100);
    expect(m.triangles.length / 3).toBe(20_000);
    expect(isWatertight(m)).toBe(true);
    const exact = 2 * Math.PI ** 2 * 0.03 * 0.012 ** 2;
    expect(meshVolume(m)).toBeGreaterThan(0.995 * exact);
    expect(meshVolume(m)).toBeLessThan(exact);
    // The hole makes it non-convex: its hull holds much more than the torus itself.
    expect(meshVolume(convexHull(m))).toBeGreaterThan(1.3 * meshVolume(m));
    expect(() => torusMesh(0.01, 0.02)).toThrow(/tubeRadius/);
  });
});
