// The smoothed surface normal (MeshIndex.smoothedNormal) against closed forms: a sphere's radial direction, a flat
// face's normal, the bisector at a box edge, and a jittered sphere where it beats the hit triangle's own normal.
import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/random.js';
import { MeshIndex } from '../../src/geometry/bvh.js';
import { boxMesh, icosphereMesh } from '../../src/geometry/primitives.js';
import type { Vec3 } from '../../src/geometry/vector.js';

const angle = (a: Vec3, b: Vec3) => Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));

describe('MeshIndex.smoothedNormal', () => {
  it('is the face normal on a flat face and the bisector exactly on a box edge', () => {
    const index = new MeshIndex(boxMesh(0.04, 0.04, 0.04));
    expect(index.smoothedNormal([0.005, 0.003, 0.02], 0.002, [0, 0, 1])).toEqual([0, 0, 1]);
    const edge = index.smoothedNormal([0.02, 0, 0.02], 0.002, [1, 0, 1])!;
    expect(edge[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(edge[2]).toBeCloseTo(Math.SQRT1_2, 6);
    // Only triangles facing the reference's side count: from below, the top face is ignored.
    expect(index.smoothedNormal([0.005, 0.003, 0.02], 0.002, [0, 0, -1])).toBeNull();
  });

  it('follows the radial direction of a jittered sphere better than the hit triangle does', () => {
    const sphere = icosphereMesh(0.03, 4);
    const rng = new Random(3);
    const v = new Float32Array(sphere.vertices);
    for (let i = 0; i < v.length; i++) v[i] += rng.uniform(-0.0003, 0.0003);
    const index = new MeshIndex({ vertices: v, triangles: sphere.triangles });
    let raw = 0,
      smooth = 0;
    for (let k = 0; k < 50; k++) {
      const d: Vec3 = [rng.normal(), rng.normal(), rng.normal()];
      const len = Math.hypot(...d);
      const dir: Vec3 = [d[0] / len, d[1] / len, d[2] / len];
      const hit = index.raycast([dir[0] * 0.1, dir[1] * 0.1, dir[2] * 0.1], [-dir[0], -dir[1], -dir[2]])!;
      raw += angle(hit.normal, dir);
      smooth += angle(index.smoothedNormal(hit.point, 0.004, hit.normal)!, dir);
    }
    expect(smooth).toBeLessThan(0.5 * raw);
  });
});
