// MeshDistance against brute force over every triangle (distance) and closed forms (sign, distance to a box), on
// the points where a face's own plane gives the wrong side: beyond an edge or a corner.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { pointTriangleDistanceSquared } from '../../src/geometry/distance-grid.js';
import { MeshDistance } from '../../src/geometry/mesh-distance.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import { boxMesh, extrudePolygon, icosphereMesh, lBracketMesh, torusMesh } from '../../src/geometry/primitives.js';

function bruteForce(mesh: Mesh, p: readonly number[]): number {
  const v = mesh.vertices,
    t = mesh.triangles;
  let best = Infinity;
  for (let i = 0; i < t.length; i += 3) {
    const [a, b, c] = [3 * t[i], 3 * t[i + 1], 3 * t[i + 2]];
    best = Math.min(
      best,
      pointTriangleDistanceSquared(
        p[0],
        p[1],
        p[2],
        v[a],
        v[a + 1],
        v[a + 2],
        v[b],
        v[b + 1],
        v[b + 2],
        v[c],
        v[c + 1],
        v[c + 2],
      ),
    );
  }
  return Math.sqrt(best);
}

/** The mesh with every triangle given its own three vertices (an unwelded soup of the same surface). */
function unwelded(mesh: Mesh): Mesh {
  const vertices = new Float32Array(mesh.triangles.length * 3);
  mesh.triangles.forEach((i, k) => vertices.set(mesh.vertices.subarray(3 * i, 3 * i + 3), 3 * k));
  return { vertices, triangles: Uint32Array.from(mesh.triangles, (_, k) => k) };
}

/** Signed distance to the box [−h, h]³ about `centre` (closed form); h may differ per axis. */
function boxSigned(h: number | readonly number[], p: readonly number[], centre = [0, 0, 0]): number {
  const q = p.map((x, k) => Math.abs(x - centre[k]) - (typeof h === 'number' ? h : h[k]));
  const outside = Math.hypot(...q.map((x) => Math.max(x, 0)));
  return outside > 0 ? outside : Math.max(...q);
}

describe('MeshDistance', () => {
  it('matches brute force on a torus and an L bracket, with points near and far', () => {
    const rng = new Random(3);
    for (const mesh of [torusMesh(0.03, 0.01, 24, 12), lBracketMesh()]) {
      const index = new MeshDistance(mesh);
      for (let k = 0; k < 300; k++) {
        const p = [rng.uniform(-0.06, 0.06), rng.uniform(-0.06, 0.06), rng.uniform(-0.04, 0.04)];
        const near = index.nearest(p[0], p[1], p[2]);
        expect(near.distance).toBeCloseTo(bruteForce(mesh, p), 12);
        expect(Math.hypot(near.point[0] - p[0], near.point[1] - p[1], near.point[2] - p[2])).toBeCloseTo(
          near.distance,
          12,
        );
        expect(Math.abs(index.signedDistance(p[0], p[1], p[2]))).toBeCloseTo(near.distance, 12);
      }
    }
  });

  it("gives a box's closed-form signed distance, beyond its edges and corners too, welded or not", () => {
    const h = 0.02;
    const points = [
      [0.021, 0.021, 0.021], // beyond a corner: nearest point the corner vertex
      [0.0201, 0.0201, 0.0201],
      [0.019, 0.019, 0.019], // just inside the corner
      [0.025, 0.024, 0], // beyond an edge
      [0.0199, 0.0199, 0.005],
      [0, 0, 0.03],
      [0.001, -0.002, 0.003], // deep inside
      [-0.05, 0.01, -0.04],
    ];
    for (const mesh of [boxMesh(2 * h, 2 * h, 2 * h), unwelded(boxMesh(2 * h, 2 * h, 2 * h))]) {
      const index = new MeshDistance(mesh);
      for (const p of points) expect(index.signedDistance(p[0], p[1], p[2])).toBeCloseTo(boxSigned(h, p), 8);
    }
  });

  it("gives an L bracket's union-of-boxes distance outside and its side inside, around the inner corner", () => {
    // lBracketMesh(): legs 8 × 1.2 cm along x and 5 × 1.2 cm along y, 4 cm deep, centred on its box.
    const index = new MeshDistance(lBracketMesh());
    const legX = (p: number[]) => boxSigned([0.04, 0.006, 0.02], p, [0, -0.019, 0]);
    const legY = (p: number[]) => boxSigned([0.006, 0.025, 0.02], p, [-0.034, 0, 0]);
    const rng = new Random(9);
    for (let k = 0; k < 300; k++) {
      // Around the inner corner (−2.8, −1.3) cm, where the faces meet at a concave edge.
      const p = [-0.028 + rng.uniform(-0.006, 0.006), -0.013 + rng.uniform(-0.006, 0.006), rng.uniform(-0.025, 0.025)];
      const union = Math.min(legX(p), legY(p));
      if (Math.abs(union) < 1e-6) continue;
      const d = index.signedDistance(p[0], p[1], p[2]);
      expect(Math.sign(d)).toBe(Math.sign(union));
      if (union > 0) expect(d).toBeCloseTo(union, 8);
    }
  });

  it('puts points beside a knife edge outside, where one of its faces has them under its plane', () => {
    // A 10° wedge along z with its edge on the z axis, pointing −x: around the edge, a point at angle φ from +x
    // (100°…260°) is 1 mm from the edge and outside, yet under the plane of the face on its far side.
    const index = new MeshDistance(
      extrudePolygon(
        [
          [0, 0],
          [0.05, -0.0044],
          [0.05, 0.0044],
        ],
        0.04,
      ),
    );
    for (const deg of [100, 110, 140, 180, 220, 250, 260])
      for (const z of [-0.01, 0, 0.012]) {
        const phi = (deg * Math.PI) / 180;
        expect(index.signedDistance(0.001 * Math.cos(phi), 0.001 * Math.sin(phi), z)).toBeCloseTo(0.001, 8);
      }
  });

  it('tells inside from outside of a torus as its closed form does, away from the facets', () => {
    const [R, r] = [0.03, 0.01];
    const index = new MeshDistance(torusMesh(R, r, 96, 48));
    const rng = new Random(5);
    let checked = 0;
    for (let k = 0; k < 400; k++) {
      const p = [rng.uniform(-0.045, 0.045), rng.uniform(-0.045, 0.045), rng.uniform(-0.015, 0.015)];
      const analytic = Math.hypot(Math.hypot(p[0], p[1]) - R, p[2]) - r;
      // The 96×48 facets lie within ~0.1 mm of the true torus.
      if (Math.abs(analytic) < 3e-4) continue;
      checked++;
      expect(Math.sign(index.signedDistance(p[0], p[1], p[2]))).toBe(Math.sign(analytic));
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('tells inside from outside by ray parity where the surface crosses itself', () => {
    // An icosphere whose vertex at +z is pulled to z = −3 cm, through the ball and out of its bottom: its six
    // triangles become a spike that crosses the surface twice.
    const sphere = icosphereMesh(0.02, 3);
    const v = new Float32Array(sphere.vertices);
    let top = 0;
    for (let i = 0; i < v.length; i += 3) if (v[i + 2] > v[top + 2]) top = i;
    v[top] = v[top + 1] = 0;
    v[top + 2] = -0.03;
    const spike = new Set<number>();
    sphere.triangles.forEach((i, k) => i === top / 3 && spike.add(Math.floor(k / 3)));
    const index = new MeshDistance({ vertices: v, triangles: sphere.triangles });
    const rng = new Random(11);
    let checked = 0;
    for (let k = 0; k < 600; k++) {
      const p = [rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03)];
      const r = Math.hypot(p[0], p[1], p[2]);
      // Away from the spike (the z axis) and from the sphere's surface, the solid is the ball.
      if (Math.hypot(p[0], p[1]) < 0.005 || Math.abs(r - 0.02) < 0.002) continue;
      checked++;
      expect(index.insideByParity(p[0], p[1], p[2])).toBe(r < 0.02);
      if (!spike.has(index.nearest(p[0], p[1], p[2]).triangle))
        expect(index.signedDistance(p[0], p[1], p[2]) < 0).toBe(r < 0.02);
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('stops early only for points nearer than stopBelow', () => {
    const index = new MeshDistance(boxMesh(0.04, 0.04, 0.04));
    expect(index.signedDistance(0.0205, 0, 0, 0.001)).toBe(0);
    expect(index.signedDistance(0.019, 0, 0, 0.002)).toBe(0);
    expect(index.signedDistance(0.023, 0, 0, 0.001)).toBeCloseTo(0.003, 9);
    expect(index.signedDistance(0.01, 0, 0, 0.001)).toBeCloseTo(-0.01, 9);
  });

  it('refuses an empty mesh', () => {
    expect(() => new MeshDistance({ vertices: new Float32Array(0), triangles: new Uint32Array(0) })).toThrow(
      /MeshDistance: the mesh has no triangles/,
    );
  });
});
