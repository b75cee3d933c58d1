import { describe, expect, it } from 'vitest';
import { convexHull } from '../../src/geometry/convex-hull.js';
import { boxMesh, icosphereMesh, torusMesh, uChannelMesh } from '../../src/geometry/primitives.js';
import type { Mesh } from '../../src/geometry/mesh.js';
import type { Vec3 } from '../../src/geometry/vector.js';
import { convexPieces } from '../../src/physics/convex-pieces.js';

/** Whether p lies inside (or within `tol` of) the convex hull of the packed points (or of a hull already built). */
function insideHull(points: Float32Array | Mesh, p: Vec3, tol = 1e-6): boolean {
  const hull = points instanceof Float32Array ? convexHull(points) : points;
  const v = hull.vertices,
    t = hull.triangles;
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f],
      b = 3 * t[f + 1],
      c = 3 * t[f + 2];
    const u = [v[b] - v[a], v[b + 1] - v[a + 1], v[b + 2] - v[a + 2]];
    const w = [v[c] - v[a], v[c + 1] - v[a + 1], v[c + 2] - v[a + 2]];
    const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
    const len = Math.hypot(n[0], n[1], n[2]);
    if (len === 0) continue;
    const d = (n[0] * (p[0] - v[a]) + n[1] * (p[1] - v[a + 1]) + n[2] * (p[2] - v[a + 2])) / len;
    if (d > tol) return false;
  }
  return true;
}

function everyVertexCovered(mesh: Mesh, pieces: Float32Array[], tol = 1e-6): boolean {
  const hulls = pieces.map((piece) => convexHull(piece));
  const v = mesh.vertices;
  for (let i = 0; i < v.length; i += 3) {
    const p: Vec3 = [v[i], v[i + 1], v[i + 2]];
    if (!hulls.some((hull) => insideHull(hull, p, tol))) return false;
  }
  return true;
}

describe('convexPieces', () => {
  it('keeps a convex object whole: one piece, its hull', () => {
    expect(convexPieces(boxMesh(0.04, 0.03, 0.02))).toHaveLength(1);
    expect(convexPieces(icosphereMesh(0.02, 3))).toHaveLength(1);
  });

  it('cuts a U-channel into pieces that cover its surface and leave the channel open', () => {
    const mesh = uChannelMesh(0.07, 0.05, 0.01, 0.04);
    const pieces = convexPieces(mesh);
    expect(pieces.length).toBeGreaterThan(4);
    expect(everyVertexCovered(mesh, pieces)).toBe(true);
    // The middle of the channel (between the walls, above the base) is free; so is most of its width.
    for (const x of [-0.015, 0, 0.015])
      for (const y of [0, 0.015]) expect(pieces.some((p) => insideHull(p, [x, y, 0]))).toBe(false);
    // The pieces are a shell 1.5 mm thick under the surface: just under the channel's floor and inner wall is covered.
    expect(pieces.some((p) => insideHull(p, [0, -0.0155, 0]))).toBe(true);
    expect(pieces.some((p) => insideHull(p, [-0.0255, 0.01, 0.01]))).toBe(true);
  });

  it('leaves the hole of a torus open and is deterministic', () => {
    const mesh = torusMesh(0.03, 0.012, 48, 24);
    const pieces = convexPieces(mesh);
    // Curved patches are thinned to their extreme points, so their hulls sit up to ~½ mm inside this coarse torus.
    expect(everyVertexCovered(mesh, pieces, 0.001)).toBe(true);
    expect(pieces.some((p) => insideHull(p, [0, 0, 0]))).toBe(false);
    expect(pieces.some((p) => insideHull(p, [0.008, 0.008, 0]))).toBe(false);
    expect(convexPieces(mesh)).toEqual(pieces);
  });
});
