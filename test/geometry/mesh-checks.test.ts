// The mesh checks every mesh-reading command applies: each kind of broken mesh, built from a good box by one
// known change, is refused with its own one-line reason; the box and the other primitives pass.
import { describe, expect, it } from 'vitest';
import { checkMeshBudget, MESH_BUDGET, MeshTooLargeError } from '../../src/geometry/mesh-budget.js';
import { meshProblem } from '../../src/geometry/mesh-checks.js';
import { createMesh, type Mesh } from '../../src/geometry/mesh.js';
import { boxMesh, cylinderMesh, icosphereMesh } from '../../src/geometry/primitives.js';

const box = boxMesh(0.04, 0.05, 0.06);
const scaled = (m: Mesh, s: number) =>
  createMesh(
    Array.from(m.vertices, (v) => v * s),
    m.triangles,
  );
const flipped = (m: Mesh) => {
  const t = Array.from(m.triangles);
  for (let i = 0; i < t.length; i += 3) [t[i + 1], t[i + 2]] = [t[i + 2], t[i + 1]];
  return createMesh(m.vertices, t);
};
const withTriangles = (m: Mesh, keep: (i: number) => boolean, extra: number[] = []) => {
  const t: number[] = [];
  for (let i = 0; i < m.triangles.length / 3; i++) if (keep(i)) t.push(...m.triangles.subarray(3 * i, 3 * i + 3));
  return createMesh(m.vertices, [...t, ...extra]);
};

describe('meshProblem', () => {
  it('accepts closed, outward, metre-scale primitives', () => {
    for (const m of [box, cylinderMesh(0.02, 0.08), icosphereMesh(0.03)]) expect(meshProblem(m)).toBeNull();
  });

  it("accepts a door-sized slab at Dex-Net's scale (0.6 m, 4 cm thick) and refuses one longer than the camera is far", () => {
    expect(meshProblem(boxMesh(0.6, 0.25, 0.04))).toBeNull();
    expect(meshProblem(boxMesh(0.7, 0.25, 0.04))).toMatch(/^mesh is 0\.70 m across, larger than 0\.65 m/);
  });

  it.each<[string, Mesh, RegExp]>([
    ['empty', createMesh([], []), /empty/],
    ['half its faces missing', withTriangles(box, (i) => i % 2 === 0), /not watertight \(\d+ open/],
    ['one face missing (open)', withTriangles(box, (i) => i !== 0), /not watertight \(3 open, 0 non-manifold/],
    ['inverted normals', flipped(box), /inside out/],
    [
      'a duplicated face (non-manifold)',
      withTriangles(box, () => true, Array.from(box.triangles.subarray(0, 3))),
      /non-manifold/,
    ],
    ['every face twice', withTriangles(box, () => true, Array.from(box.triangles)), /[1-9]\d* non-manifold/],
    [
      'one face flipped (misoriented)',
      createMesh(box.vertices, [box.triangles[0], box.triangles[2], box.triangles[1], ...box.triangles.subarray(3)]),
      /misoriented/,
    ],
    ['millimetres', scaled(box, 1000), /millimetres/],
    ['1e30 m', scaled(box, 1e30), /larger than 0\.65 m/],
    ['too small', scaled(box, 1e-3), /too small/],
    ['a NaN vertex', createMesh([NaN, ...box.vertices.subarray(1)], box.triangles), /non-finite/],
  ])('refuses a mesh with %s', (_, mesh, reason) => {
    const problem = meshProblem(mesh);
    expect(problem).toMatch(reason);
    expect(problem).not.toMatch(/\n/);
  });
});

describe('checkMeshBudget', () => {
  it('passes counts within the budget and refuses larger or non-integer ones before anything is allocated', () => {
    expect(() => checkMeshBudget({ vertices: 8, triangles: 12 }, 'box.obj')).not.toThrow();
    expect(() =>
      checkMeshBudget({ vertices: MESH_BUDGET.vertices, triangles: MESH_BUDGET.triangles }, 'x'),
    ).not.toThrow();
    expect(() => checkMeshBudget({ triangles: MESH_BUDGET.triangles + 1 }, 'big.stl')).toThrow(
      /^big\.stl: 1000001 triangles is more than/,
    );
    expect(() => checkMeshBudget({ vertices: 2 ** 63 }, 'x.ply')).toThrow(MeshTooLargeError);
    expect(() => checkMeshBudget({ vertices: -1 }, 'x.ply')).toThrow(/not a count/);
    expect(() => checkMeshBudget({ triangles: 1.5 }, 'x.ply')).toThrow(/not a count/);
  });
});
